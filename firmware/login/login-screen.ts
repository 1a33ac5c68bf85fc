/**
 * The login screen of user profiles: user ID and password from the keypad
 * (up/down or select moves between the fields), Login submits. Both fields
 * start in 123 mode; the mode key (soft key 3, labelled with the next mode)
 * goes to abc / ABC multi-tap and the status bar shows the current mode
 * (multi-tap-entry.ts). `*` deletes in the user ID; in the password `*` and
 * `#` are characters and Delete deletes. The answer may take a server round
 * trip: the screen says so meanwhile.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MultiTapEntry } from '../ui/multi-tap-entry';
import { PasswordField, type EntrySchedule } from '../ui/password-screen';
import { t } from '../ui/i18n/messages';
import type { Navigator, Screen } from '../ui/screen';
import type { LoginResult } from './login-service';

const MAX_FIELD = 64;

export interface LoginScreenDeps {
  login(user: string, password: string): Promise<LoginResult>;
  /** Refusal text while the login prompt is throttled, else null. */
  throttled(): string | null;
  echo: boolean;
  /** Run `fn` after `ms`; returns a cancel function (password echo, multi-tap letter commit). */
  after: EntrySchedule;
  /** Login required: Cancel is hidden (there is nothing else to go back to). */
  required: boolean;
}

export class LoginScreen implements Screen {
  private readonly user: MultiTapEntry;
  private readonly password: PasswordField;
  private nav: Navigator | null = null;
  private field: 0 | 1 = 0;
  private message = '';
  private pending = false;

  constructor(private readonly d: LoginScreenDeps) {
    this.message = d.throttled() ?? '';
    this.user = new MultiTapEntry('', '123', d.after, () => this.nav?.redraw(), MAX_FIELD);
    this.password = new PasswordField(d.echo, d.after, () => this.nav?.redraw());
  }

  view(): ScreenText {
    const lines = [t('login.userId', { value: `${this.user.value()}${this.field === 0 ? '_' : ''}` }), t('password.field', { masked: `${this.password.masked()}${this.field === 1 ? '_' : ''}` })];
    if (this.message) lines.push(this.message);
    const entry = this.focusedEntry();
    return { id: 'login', title: t('login.title'), lines, softKeys: [t('softkey.login'), t('softkey.delete'), entry.nextModeLabel(), this.d.required ? '' : t('softkey.cancel')], focus: this.field, status: entry.mode };
  }

  private focusedEntry(): MultiTapEntry {
    return this.field === 0 ? this.user : this.password.entry;
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    this.nav = nav;
    if (this.pending) return key !== 'home' || this.d.required;
    if (key === 'soft3') {
      this.focusedEntry().nextMode();
    } else if (this.field === 0 && this.user.key(key)) {
      this.message = '';
    } else if (this.field === 1 && this.password.key(key)) {
      this.message = '';
    } else if (key === 'soft2' || key === 'left') {
      if (this.field === 0) this.user.backspace();
      else this.password.backspace();
    } else if (key === 'up' || key === 'down') {
      this.focusedEntry().commit();
      this.field = this.field === 0 ? 1 : 0;
    } else if (key === 'select' && this.field === 0) {
      this.user.commit();
      this.field = 1;
    } else if (key === 'soft1' || key === 'select') {
      this.submit(nav);
    } else if ((key === 'soft4' || key === 'back') && !this.d.required) {
      nav.pop();
      return true;
    } else {
      // Login required: home and back stay here.
      return this.d.required;
    }
    nav.redraw();
    return true;
  }

  private submit(nav: Navigator): void {
    this.user.commit();
    const user = this.user.value();
    const password = this.password.take();
    this.pending = true;
    this.message = t('login.pending');
    // A login that throws must not leave the screen swallowing every key on "Logging in..." (with login required, for good).
    const failed = (): LoginResult => ({ ok: false, message: t('login.failed') });
    void this.d.login(user, password).catch(failed).then((r) => {
      this.pending = false;
      if (r.ok) {
        nav.home();
        return;
      }
      this.message = r.message;
      // Keep the user ID: usually the password was wrong.
      this.field = 1;
      nav.redraw();
    });
  }
}
