/**
 * Contacts > Favorites / Speed Dial: the contacts with a speed-dial index
 * (`sd`), in index order; Select, Call or the index's digit (1–9) calls.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import { displayName } from './contact';
import type { DirectoryUiContext } from './directory-ui-context';
import { t, tLabel } from '../ui/i18n/messages';

export class SpeedDialScreen implements Screen {
  private cursor = 0;

  constructor(private readonly ctx: DirectoryUiContext) {}

  private entries(): { index: number; name: string; ct: string }[] {
    const out: { index: number; name: string; ct: string }[] = [];
    for (const index of this.ctx.service.speedDialIndexes()) {
      const c = this.ctx.service.speedDial(index);
      if (c) out.push({ index, name: displayName(c), ct: c.ct });
    }
    return out;
  }

  view(): ScreenText {
    const list = this.entries();
    if (this.cursor >= list.length) this.cursor = Math.max(0, list.length - 1);
    return {
      id: 'speed-dial',
      title: tLabel('menu.', 'Favorites / Speed Dial'),
      lines: list.length ? list.map((e) => `${e.index}. ${e.name}\t${e.ct}`) : [t('directory.noSpeedDials')],
      softKeys: [list.length ? t('softkey.call') : '', '', '', t('softkey.back')],
      focus: list.length ? this.cursor : -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    const list = this.entries();
    if (key === 'up' && list.length) this.cursor = (this.cursor + list.length - 1) % list.length;
    else if (key === 'down' && list.length) this.cursor = (this.cursor + 1) % list.length;
    else if ((key === 'soft1' || key === 'select') && list.length) this.ctx.dial(list[this.cursor].ct);
    else if (key.length === 1 && key >= '1' && key <= '9') {
      const c = this.ctx.service.speedDial(Number(key));
      if (c) this.ctx.dial(c.ct);
    } else return closeOnBack(key, nav);
    nav.redraw();
    return true;
  }
}
