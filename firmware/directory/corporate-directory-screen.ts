/**
 * Contacts > Corporate Directory: type part of a name (multi-tap), Search
 * asks the LDAP server, the results are browsed with up/down and called
 * with Call or Select. Results stay in this screen's RAM only.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import type { CorporateContact, CorporateDirectory } from './corporate-directory';
import { MultiTapEntry } from '../ui/multi-tap-entry';
import { RESULT_ROWS } from './local-directory-screen';
import { shown, t, tLabel } from '../ui/i18n/messages';

export class CorporateDirectoryScreen implements Screen {
  private readonly entry: MultiTapEntry;
  private results: CorporateContact[] = [];
  private status = '';
  private cursor = 0;
  private searchNo = 0;

  constructor(
    private readonly corp: CorporateDirectory,
    schedule: (ms: number, fn: () => void) => () => void,
    private readonly dial: (number: string) => void,
    private readonly redraw: () => void,
  ) {
    this.entry = new MultiTapEntry('', 'abc', schedule, () => redraw(), 40);
    if (!corp.configured()) this.status = t('directory.notConfigured');
  }

  view(): ScreenText {
    const lines = [t('directory.search', { query: this.entry.value() })];
    const top = this.cursor - (this.cursor % RESULT_ROWS);
    for (const r of this.results.slice(top, top + RESULT_ROWS)) lines.push(`${[r.firstName, r.lastName].filter(Boolean).join(' ')}\t${r.number}`);
    if (this.status) lines.push(this.status);
    return {
      id: 'corporate-directory',
      title: this.results.length ? t('directory.corporateTitle', { count: this.results.length }) : tLabel('menu.', 'Corporate Directory'),
      lines,
      softKeys: [t('softkey.search'), this.results.length ? t('softkey.call') : '', '', t('softkey.back')],
      focus: this.results.length ? 1 + (this.cursor % RESULT_ROWS) : -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (this.entry.key(key)) {
      // typing only edits the query: the server is asked on Search
    } else if (key === 'left') this.entry.backspace();
    else if (key === 'up' && this.results.length) this.cursor = (this.cursor + this.results.length - 1) % this.results.length;
    else if (key === 'down' && this.results.length) this.cursor = (this.cursor + 1) % this.results.length;
    else if (key === 'soft1') this.search();
    else if ((key === 'soft2' || key === 'select') && this.results.length) {
      const r = this.results[this.cursor];
      if (r.number) this.dial(r.number);
    } else return closeOnBack(key, nav);
    nav.redraw();
    return true;
  }

  private search(): void {
    this.entry.commit();
    const n = ++this.searchNo;
    this.status = t('directory.searching');
    void this.corp.search(this.entry.value()).then((r) => {
      if (n !== this.searchNo) return;
      this.cursor = 0;
      if (r.ok) {
        this.results = r.contacts;
        this.status = r.contacts.length ? '' : t('directory.noMatch');
      } else {
        this.results = [];
        this.status = shown(r.error);
      }
      this.redraw();
    });
  }
}
