/** The call-list chooser opened from idle: each enabled list with its number of entries. */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from '../ui/screen';
import type { CallListName } from './call-record';
import { listTitle } from './call-list-screen';
import { t } from '../ui/i18n/messages';

export class CallListsMenu implements Screen {
  private focus = 0;

  constructor(private readonly enabled: () => CallListName[], private readonly count: (l: CallListName) => number, private readonly open: (l: CallListName, nav: Navigator) => void) {}

  view(): ScreenText {
    const lists = this.enabled();
    return {
      id: 'calllists',
      title: t('calls.recent'),
      lines: lists.length ? lists.map((l, i) => `${i + 1}. ${listTitle(l)} (${this.count(l)})`) : [t('calls.disabled')],
      softKeys: [t('softkey.select'), '', '', t('softkey.back')],
      focus: lists.length ? Math.min(this.focus, lists.length - 1) : -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    const lists = this.enabled();
    if (key === 'up' && lists.length) this.focus = (this.focus + lists.length - 1) % lists.length;
    else if (key === 'down' && lists.length) this.focus = (this.focus + 1) % lists.length;
    else if ((key === 'select' || key === 'soft1' || key === 'right') && lists[this.focus]) this.open(lists[this.focus], nav);
    else if (key.length === 1 && key >= '1' && key <= '3' && lists[Number(key) - 1]) this.open(lists[Number(key) - 1], nav);
    else if (key === 'soft4') nav.pop();
    else return false;
    nav.redraw();
    return true;
  }
}
