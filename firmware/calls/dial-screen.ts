/**
 * Number entry: dialing from idle (a digit or off-hook opens it), and the
 * target of a forward or blind transfer. Digits, `*`, `#`; Del erases one.
 */
import { t } from '../ui/i18n/messages';
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from '../ui/screen';

const MAX_DIGITS = 64;

export class DialScreen implements Screen {
  constructor(
    private digits: string,
    private readonly title: string,
    /** Dial/Send pressed with the digits: return false to stay on this screen. */
    private readonly done: (digits: string, nav: Navigator) => void,
    private readonly id = 'dial',
  ) {}

  view(): ScreenText {
    return { id: this.id, title: this.title, lines: [this.digits ? this.digits : t('dial.enterNumber')], softKeys: [this.id === 'dial' ? t('softkey.dial') : t('softkey.send'), t('softkey.del'), '', t('softkey.cancel')], focus: -1 };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if ((key.length === 1 && /[0-9*#]/.test(key)) && this.digits.length < MAX_DIGITS) this.digits += key;
    else if (key === 'soft2' || key === 'left') this.digits = this.digits.slice(0, -1);
    else if (key === 'soft1' || key === 'select' || key === 'hook' || key === 'speaker' || key === 'headset') {
      if (this.digits) {
        nav.pop();
        this.done(this.digits, nav);
      }
      return true;
    } else if (key === 'soft4' || key === 'back') nav.pop();
    else return key !== 'home';
    nav.redraw();
    return true;
  }
}
