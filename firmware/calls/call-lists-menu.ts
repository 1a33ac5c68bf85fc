/** The call-list chooser opened from idle: each enabled list with its number of entries. */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from '../ui/screen';
import type { CallListName } from './call-record';
import { LIST_TITLES } from './call-list-screen';

export class CallListsMenu implements Screen {
  private focus = 0;

  constructor(private readonly enabled: () => CallListName[], private readonly count: (l: CallListName) => number, private readonly open: (l: CallListName, nav: Navigator) => void) {}

  view(): ScreenText {
    const lists = this.enabled();
    return {
      id: 'calllists',
      title: 'Recent Calls',
      lines: lists.length ? lists.map((l, i) => `${i + 1}. ${LIST_TITLES[l]} (${this.count(l)})`) : ['(call lists disabled)'],
      softKeys: ['Select', '', '', 'Back'],
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
