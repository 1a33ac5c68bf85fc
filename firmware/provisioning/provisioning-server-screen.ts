/**
 * Settings > Advanced > Provisioning Server (admin): the server address, user
 * name and password (device settings), typed by multi-tap. Up/down moves
 * between fields, `*` or left deletes, soft2 switches letters/digits. The
 * password is masked (only the letter still cycling shows). Save checks the
 * address; a refused one is explained here and the stored values stay.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MultiTapEntry, URL_LETTERS } from '../ui/multi-tap-entry';
import type { Navigator, Screen } from '../ui/screen';
import { t, tLabel, type MessageKey } from '../ui/i18n/messages';

/** The screen's title: its declared menu label, translated. */
export const provisioningServerTitle = (): string => tLabel('menu.', 'Provisioning Server');

export interface ServerFields {
  server: string;
  user: string;
  password: string;
}

export interface ProvisioningServerScreenDeps {
  current(): ServerFields;
  /** Stores the fields; returns why they were refused, or null when saved (the callback navigates). */
  save(fields: ServerFields, nav: Navigator): string | null;
  /** Run `fn` after `ms`; returns a cancel function. */
  schedule(ms: number, fn: () => void): () => void;
}

const FIELDS: { name: keyof ServerFields; label: MessageKey }[] = [
  { name: 'server', label: 'provisioning.field.server' },
  { name: 'user', label: 'provisioning.field.user' },
  { name: 'password', label: 'provisioning.field.password' },
];
const MAX_URL = 255;
const MAX_CREDENTIAL = 64;

export class ProvisioningServerScreen implements Screen {
  private focus = 0;
  private error = '';
  private nav: Navigator | null = null;
  private readonly entries: MultiTapEntry[];

  constructor(private readonly d: ProvisioningServerScreenDeps) {
    const now = d.current();
    this.entries = FIELDS.map((f) => new MultiTapEntry(now[f.name], 'abc', d.schedule, () => this.nav?.redraw(), f.name === 'server' ? MAX_URL : MAX_CREDENTIAL, URL_LETTERS));
  }

  view(): ScreenText {
    const lines = FIELDS.map((f, i) => {
      const e = this.entries[i];
      const shown = f.name === 'password' ? '*'.repeat(e.committedText().length) + e.pendingLetter() : e.value();
      return t('provisioning.field', { label: t(f.label), value: `${shown}${i === this.focus ? '_' : ''}` });
    });
    if (this.error) lines.push(this.error);
    const entry = this.entries[this.focus];
    // The entry mode indicator takes the status bar's place.
    return { id: 'provisioning-server', title: provisioningServerTitle(), lines, softKeys: [t('softkey.save'), entry.nextModeLabel(), '', t('softkey.cancel')], focus: this.focus, status: entry.mode };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    this.nav = nav;
    const entry = this.entries[this.focus];
    if (key === 'up' || key === 'down') {
      entry.commit();
      this.focus = (this.focus + FIELDS.length + (key === 'up' ? -1 : 1)) % FIELDS.length;
    } else if (key === 'soft2') entry.nextMode();
    else if (key === 'left') entry.backspace();
    else if (entry.key(key)) this.error = '';
    else if (key === 'soft1' || key === 'select') {
      for (const e of this.entries) e.commit();
      const [server, user, password] = this.entries.map((e) => e.value());
      const error = this.d.save({ server, user, password }, nav);
      if (error === null) return true;
      this.error = error;
    } else if (key === 'soft4' || key === 'back') {
      for (const e of this.entries) e.commit();
      nav.pop();
      return true;
    } else return false;
    nav.redraw();
    return true;
  }
}
