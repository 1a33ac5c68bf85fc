/** The idle (home) screen: date, line state, the soft keys into the phone's functions. */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from './screen';
import { t } from './i18n/messages';

export interface IdleState {
  /** Today's local date, as configured (lcl.datetime.date.*). */
  date(): string;
  lineState(): string;
  lineLabel(): string;
  /** The lines module: one `<label>: <state>` per line, replacing the single `Line 1:` line; null while absent. */
  lineLines?(): string[] | null;
  /** A line key pressed at idle (the lines module shows that line); true when handled. */
  lineKey?(key: KeyName, nav: Navigator): boolean;
  /** User profiles (login module): Login / Logout soft key label, '' for none. */
  loginKey?(): string;
  loginPressed?(nav: Navigator): void;
  /** Extra line (who is logged in, or "Login required"), '' for none. */
  notice?(): string;
}

/** What the calls module adds to idle: labels of soft keys 2 and 3, and the keys idle does not use (digits, hook, redial, those soft keys). */
export interface IdleExtension {
  softKeys(): [string, string];
  /** Indicators below the lines (missed calls). */
  lines?(): string[];
  onKey(key: KeyName, nav: Navigator): boolean;
}

export class IdleScreen implements Screen {
  constructor(
    private readonly state: IdleState,
    private readonly openMenu: (nav: Navigator) => void,
    /** Told each time the phone is back at idle, however it got there (home or back). */
    private readonly shown: () => void = () => {},
    private readonly extension: () => IdleExtension | null = () => null,
  ) {}

  onShow(): void {
    this.shown();
  }

  view(): ScreenText {
    return {
      id: 'idle',
      title: this.state.lineLabel(),
      lines: [this.state.date(), ...(this.state.lineLines?.() ?? [t('idle.line', { state: this.state.lineState() })]), ...(this.state.notice?.() ? [this.state.notice!()] : []), ...(this.extension()?.lines?.() ?? [])],
      softKeys: [this.state.loginKey?.() ?? '', ...(this.extension()?.softKeys() ?? ['', '']), t('idle.menu')],
      focus: -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (key === 'soft1' && this.state.loginKey?.()) {
      this.state.loginPressed?.(nav);
      return true;
    }
    if (this.extension()?.onKey(key, nav)) return true;
    if (this.state.lineKey?.(key, nav)) return true;
    if (key === 'soft4' || key === 'select' || key === 'home') {
      this.openMenu(nav);
      return true;
    }
    return key === 'back';
  }
}
