/**
 * Contacts > Local Directory: the merged directory sorted by
 * `dir.search.field`, narrowed as the user types a name on the keypad
 * (multi-tap letters; `*` deletes). Only the rows on screen are read from
 * flash. Call, Add +, open a contact (Select) for edit and delete.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MessageScreen } from '../ui/message-screen';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import { displayName } from './contact';
import { ContactEditScreen } from './contact-edit-screen';
import { ContactScreen } from './contact-screen';
import type { DirectoryUiContext } from './directory-ui-context';
import { MultiTapEntry } from '../ui/multi-tap-entry';
import { t, tLabel } from '../ui/i18n/messages';

/** Rows shown per page of results. */
export const RESULT_ROWS = 8;

export class LocalDirectoryScreen implements Screen {
  private readonly entry: MultiTapEntry;
  private match = { start: 0, count: 0 };
  private cursor = 0;
  private nav: Navigator | null = null;

  constructor(private readonly ctx: DirectoryUiContext) {
    this.entry = new MultiTapEntry('', 'abc', ctx.schedule, () => this.nav?.redraw(), 40);
    this.refresh();
  }

  onShow(nav: Navigator): void {
    this.nav = nav;
    this.refresh();
  }

  view(): ScreenText {
    const lines = [t('directory.search', { query: this.entry.value() })];
    const top = this.cursor - (this.cursor % RESULT_ROWS);
    for (let i = top; i < Math.min(top + RESULT_ROWS, this.match.count); i++) {
      const e = this.ctx.service.entry(this.match.start + i);
      if (e) lines.push(`${displayName(e.c)}\t${e.c.ct}`);
    }
    if (this.match.count === 0) lines.push(t(this.ctx.service.size() === 0 ? 'directory.noContacts' : 'directory.noMatch'));
    const ro = this.ctx.readonly();
    return {
      id: 'directory',
      title: t('directory.localTitle', { count: this.match.count, size: this.ctx.service.size() }),
      lines,
      softKeys: [t('softkey.call'), ro ? '' : t('softkey.add'), '', t('softkey.back')],
      focus: this.match.count > 0 ? 1 + (this.cursor % RESULT_ROWS) : -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    this.nav = nav;
    if (this.entry.key(key)) {
      this.refresh();
    } else if (key === 'left') {
      this.entry.backspace();
      this.refresh();
    } else if (key === 'up' && this.match.count > 0) {
      this.cursor = (this.cursor + this.match.count - 1) % this.match.count;
    } else if (key === 'down' && this.match.count > 0) {
      this.cursor = (this.cursor + 1) % this.match.count;
    } else if (key === 'soft1' || key === 'hook' || key === 'speaker') {
      const c = this.selected();
      if (c) this.ctx.dial(c.ct);
    } else if (key === 'soft2') {
      if (this.ctx.readonly()) nav.push(new MessageScreen(tLabel('menu.', 'Local Directory'), [t('contact.readOnly')]));
      else nav.push(new ContactEditScreen(this.ctx, null));
      return true;
    } else if (key === 'select' || key === 'right') {
      const e = this.selectedEntry();
      if (e) nav.push(new ContactScreen(this.ctx, e.c));
      return true;
    } else return closeOnBack(key, nav);
    nav.redraw();
    return true;
  }

  private selectedEntry() {
    return this.match.count > 0 ? this.ctx.service.entry(this.match.start + this.cursor) : undefined;
  }

  private selected() {
    return this.selectedEntry()?.c;
  }

  private refresh(): void {
    this.match = this.ctx.service.search(this.entry.value());
    this.cursor = 0;
  }
}
