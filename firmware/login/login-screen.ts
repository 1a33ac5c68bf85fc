/**
 * The login screen of user profiles: user ID and password from the keypad
 * (up/down or select moves between the fields), Login submits. The user ID
 * takes digits, or letters by multi-tap after the mode key (soft key 3);
 * `*` deletes there. The answer may take a server round trip: the screen
 * says so meanwhile.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MultiTapEntry } from '../ui/multi-tap-entry';
import type { Navigator, Screen } from '../ui/screen';
import type { LoginResult } from './login-service';

const DIGITS = '0123456789*#';
const MAX_FIELD = 64;

export interface LoginScreenDeps {
  login(user: string, password: string): Promise<LoginResult>;
  /** Refusal text while the login prompt is throttled, else null. */
  throttled(): string | null;
  echo: boolean;
  schedule(fn: () => void): void;
  /** Run `fn` after `ms`; returns a cancel function (multi-tap letter commit). */
  after(ms: number, fn: () => void): () => void;
  /** Login required: Cancel is hidden (there is nothing else to go back to). */
  required: boolean;
}

export class LoginScreen implements Screen {
  private readonly user: MultiTapEntry;
  private password = '';
  private nav: Navigator | null = null;
  private field: 0 | 1 = 0;
  private echoLast = false;
  private message = '';
  private pending = false;

  constructor(private readonly d: LoginScreenDeps) {
    this.message = d.throttled() ?? '';
    this.user = new MultiTapEntry('', '123', d.after, () => this.nav?.redraw(), MAX_FIELD);
  }

  view(): ScreenText {
    const masked = '*'.repeat(Math.max(0, this.password.length - (this.echoLast ? 1 : 0))) + (this.echoLast ? this.password.slice(-1) : '');
    const lines = [`User ID: ${this.user.value()}${this.field === 0 ? '_' : ''}`, `Password: ${masked}${this.field === 1 ? '_' : ''}`];
    if (this.message) lines.push(this.message);
    return { id: 'login', title: 'User Login', lines, softKeys: ['Login', 'Delete', this.field === 0 ? (this.user.mode === '123' ? 'ABC' : '123') : '', this.d.required ? '' : 'Cancel'], focus: this.field };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    this.nav = nav;
    if (this.pending) return key !== 'home' || this.d.required;
    if (this.field === 0 && key === 'soft3') {
      this.user.toggleMode();
    } else if (this.field === 0 && this.user.key(key)) {
      this.message = '';
    } else if (key.length === 1 && DIGITS.includes(key)) {
      this.message = '';
      if (this.password.length < MAX_FIELD) {
        this.password += key;
        if (this.d.echo) {
          this.echoLast = true;
          this.d.schedule(() => {
            this.echoLast = false;
            nav.redraw();
          });
        }
      }
    } else if (key === 'soft2' || key === 'left') {
      if (this.field === 0) this.user.backspace();
      else this.password = this.password.slice(0, -1);
      this.echoLast = false;
    } else if (key === 'up' || key === 'down') {
      this.field = this.field === 0 ? 1 : 0;
    } else if (key === 'select' && this.field === 0) {
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
    const user = this.user.value();
    const password = this.password;
    this.password = '';
    this.echoLast = false;
    this.pending = true;
    this.message = 'Logging in...';
    // A login that throws must not leave the screen swallowing every key on "Logging in..." (with login required, for good).
    const failed = (): LoginResult => ({ ok: false, message: 'Login failed: try again' });
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
