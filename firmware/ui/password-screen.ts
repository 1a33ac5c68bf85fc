/**
 * Password prompt: every character a password may contain, from the keypad
 * (multi-tap-entry.ts): digits at once in 123 mode (the start), letters and
 * symbols by multi-tap in abc / ABC mode; soft key 3 switches the mode
 * (labelled with the next one) and the status bar shows the current one.
 * `*` and `#` are password characters; Delete (soft key 2 or left) deletes.
 * Characters are masked with '*'; with echo on (`up.echoPasswordDigits`) the
 * character just typed and the letter being cycled show briefly first, with
 * echo off nothing typed is ever shown.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MultiTapEntry } from './multi-tap-entry';
import { closeOnBack, type Navigator, type Screen } from './screen';
import { t } from './i18n/messages';

/** What a password field may hold (sec.pwd.length.* allows at most 32; room for a longer provisioned one). */
export const PASSWORD_MAX = 64;

/** Run `fn` after `ms`; returns a cancel function (echo end, multi-tap letter commit). */
export type EntrySchedule = (ms: number, fn: () => void) => () => void;

/** How long the character just typed shows with echo on. */
export const PASSWORD_ECHO_MS = 1000;

/**
 * A password field with its echo: the text model shows `masked()`.
 * Shared by the password prompt and the login screen.
 */
export class PasswordField {
  readonly entry: MultiTapEntry;
  private echoLast = false;
  private cancelEchoEnd: (() => void) | null = null;

  constructor(
    private readonly echo: boolean,
    private readonly after: EntrySchedule,
    private readonly redraw: () => void,
  ) {
    this.entry = new MultiTapEntry('', '123', after, redraw, PASSWORD_MAX, undefined, { literalStarHash: true });
  }

  /** A keypad key (digit, `*`, `#`); false for other keys. */
  key(key: KeyName): boolean {
    if (!this.entry.key(key)) return false;
    if (this.echo) {
      this.echoLast = true;
      this.cancelEchoEnd?.();
      this.cancelEchoEnd = this.after(PASSWORD_ECHO_MS, () => {
        this.cancelEchoEnd = null;
        this.echoLast = false;
        this.redraw();
      });
    }
    return true;
  }

  backspace(): void {
    this.entry.backspace();
    this.echoLast = false;
  }

  /** The password typed (a letter still cycling included); clears the field. */
  take(): string {
    this.entry.commit();
    const password = this.entry.value();
    this.entry.clear();
    this.echoLast = false;
    return password;
  }

  masked(): string {
    const pending = this.entry.pendingLetter();
    const text = this.entry.committedText();
    if (!this.echo) return '*'.repeat(text.length + pending.length);
    if (pending) return '*'.repeat(text.length) + pending;
    return this.echoLast && text ? '*'.repeat(text.length - 1) + text.slice(-1) : '*'.repeat(text.length);
  }
}

export class PasswordScreen implements Screen {
  private readonly field: PasswordField;
  private nav: Navigator | null = null;
  constructor(
    private readonly purpose: string,
    /** Returns an error text to show, or null when accepted (the callback navigates). */
    private readonly submit: (password: string, nav: Navigator) => string | null,
    echo: boolean,
    /** Timers: the echo's end, the multi-tap pause. */
    after: EntrySchedule,
    /** Shown until the first key (e.g. why a previous step sent the user back here). */
    private error = '',
    private readonly title = t('password.title'),
  ) {
    this.field = new PasswordField(echo, after, () => this.nav?.redraw());
  }

  view(): ScreenText {
    const lines = [this.purpose, t('password.field', { masked: `${this.field.masked()}_` })];
    if (this.error) lines.push(this.error);
    const entry = this.field.entry;
    return { id: 'password', title: this.title, lines, softKeys: [t('softkey.enter'), t('softkey.delete'), entry.nextModeLabel(), t('softkey.cancel')], focus: -1, status: entry.mode };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    this.nav = nav;
    if (this.field.key(key)) {
      this.error = '';
    } else if (key === 'soft3') {
      this.field.entry.nextMode();
    } else if (key === 'soft2' || key === 'left') {
      this.field.backspace();
      this.error = '';
    } else if (key === 'soft1' || key === 'select') {
      const error = this.submit(this.field.take(), nav);
      if (error === null) return true;
      this.error = error;
    } else {
      return closeOnBack(key, nav);
    }
    nav.redraw();
    return true;
  }
}
