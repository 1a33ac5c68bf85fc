/**
 * Password prompt. Digits are masked with '*'; with echo on
 * (`up.echoPasswordDigits`) the last digit shows briefly first.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { closeOnBack, type Navigator, type Screen } from './screen';

const DIGITS = '0123456789*#';

export class PasswordScreen implements Screen {
  private entry = '';
  private echoLast = false;
  constructor(
    private readonly purpose: string,
    /** Returns an error text to show, or null when accepted (the callback navigates). */
    private readonly submit: (password: string, nav: Navigator) => string | null,
    private readonly echo: boolean,
    private readonly scheduleEchoEnd: (fn: () => void) => void,
    /** Shown until the first key (e.g. why a previous step sent the user back here). */
    private error = '',
    private readonly title = 'Password',
  ) {}

  view(): ScreenText {
    const masked = '*'.repeat(Math.max(0, this.entry.length - (this.echoLast ? 1 : 0))) + (this.echoLast ? this.entry.slice(-1) : '');
    const lines = [this.purpose, `Password: ${masked}_`];
    if (this.error) lines.push(this.error);
    return { id: 'password', title: this.title, lines, softKeys: ['Enter', 'Delete', '', 'Cancel'], focus: -1 };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (key.length === 1 && DIGITS.includes(key)) {
      this.entry += key;
      this.error = '';
      if (this.echo) {
        this.echoLast = true;
        this.scheduleEchoEnd(() => {
          this.echoLast = false;
          nav.redraw();
        });
      }
    } else if (key === 'soft2' || key === 'left') {
      this.entry = this.entry.slice(0, -1);
      this.error = '';
      this.echoLast = false;
    } else if (key === 'soft1' || key === 'select') {
      const password = this.entry;
      this.entry = '';
      this.echoLast = false;
      const error = this.submit(password, nav);
      if (error === null) return true;
      this.error = error;
    } else {
      return closeOnBack(key, nav);
    }
    nav.redraw();
    return true;
  }
}
