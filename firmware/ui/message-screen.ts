/** A short message (error, confirmation) dismissed with any soft key, back or select. */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from './screen';
import { t } from './i18n/messages';

export class MessageScreen implements Screen {
  constructor(private readonly title: string, private readonly lines: string[], private readonly then?: (nav: Navigator) => void) {}

  view(): ScreenText {
    return { id: 'message', title: this.title, lines: this.lines, softKeys: [t('softkey.ok')], focus: -1 };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (key === 'soft1' || key === 'select' || key === 'back') {
      nav.pop();
      this.then?.(nav);
      return true;
    }
    return key !== 'home';
  }
}
