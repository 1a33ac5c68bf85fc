/**
 * Add Contact / Edit Contact: one line per field, up/down to move, keypad to
 * type (names multi-tap, numbers digits; soft2 switches), `*` deletes,
 * select toggles the on/off fields. Only the contact number is required.
 * Fields the screen does not show (pt, bw, bb) are kept as they were.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MessageScreen } from '../ui/message-screen';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import type { Contact, ContactField } from './contact';
import type { DirectoryUiContext } from './directory-ui-context';
import { MultiTapEntry, type EntryMode } from '../ui/multi-tap-entry';
import { type MessageKey, shown, t } from '../ui/i18n/messages';

interface FieldRow { field: ContactField; label: MessageKey; mode: EntryMode | 'flag' }

const ROWS: FieldRow[] = [
  { field: 'fn', label: 'contact.field.fn', mode: 'abc' },
  { field: 'ln', label: 'contact.field.ln', mode: 'abc' },
  { field: 'ct', label: 'contact.field.ct', mode: '123' },
  { field: 'sd', label: 'contact.field.sd', mode: '123' },
  { field: 'rt', label: 'contact.field.rt', mode: '123' },
  { field: 'lb', label: 'contact.field.lb', mode: 'abc' },
  { field: 'dc', label: 'contact.field.dc', mode: '123' },
  { field: 'ad', label: 'contact.field.ad', mode: 'flag' },
  { field: 'ar', label: 'contact.field.ar', mode: 'flag' },
];

export class ContactEditScreen implements Screen {
  private focus = 0;
  private readonly entries = new Map<ContactField, MultiTapEntry>();
  private readonly flags = new Map<ContactField, boolean>();
  private error = '';

  constructor(private readonly ctx: DirectoryUiContext, private readonly original: Contact | null) {
    for (const r of ROWS) {
      const v = original?.[r.field] ?? '';
      if (r.mode === 'flag') this.flags.set(r.field, v === '1');
      else this.entries.set(r.field, new MultiTapEntry(v, r.mode, ctx.schedule, () => {}, 128));
    }
  }

  view(): ScreenText {
    const lines = ROWS.map((r) => t('contact.field', { label: t(r.label), value: r.mode === 'flag' ? t(this.flags.get(r.field) ? 'contact.flagOn' : 'contact.flagOff') : this.entries.get(r.field)!.value() }));
    if (this.error) lines.push(this.error);
    const row = ROWS[this.focus];
    const entry = this.entries.get(row.field);
    const view: ScreenText = { id: 'contact-edit', title: t(this.original ? 'contact.edit' : 'contact.add'), lines, softKeys: [t('softkey.save'), entry ? entry.nextModeLabel() : '', '', t('softkey.cancel')], focus: this.focus };
    // The entry mode indicator takes the status bar's place while a text field has the focus.
    if (entry) view.status = entry.mode;
    return view;
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    const row = ROWS[this.focus];
    const entry = this.entries.get(row.field);
    if (key === 'up') this.move(-1);
    else if (key === 'down') this.move(1);
    else if (key === 'select' && row.mode === 'flag') this.flags.set(row.field, !this.flags.get(row.field));
    else if (key === 'soft2' && entry) entry.nextMode();
    else if (key === 'left' && entry) entry.backspace();
    else if (entry && entry.key(key)) this.error = '';
    else if (key === 'soft1' || key === 'select') {
      this.save(nav);
      return true;
    } else return closeOnBack(key, nav);
    nav.redraw();
    return true;
  }

  private move(by: number): void {
    this.entries.get(ROWS[this.focus].field)?.commit();
    this.focus = (this.focus + ROWS.length + by) % ROWS.length;
  }

  private save(nav: Navigator): void {
    const c: Partial<Contact> = { ...(this.original ?? {}) };
    for (const r of ROWS) {
      const v = r.mode === 'flag' ? (this.flags.get(r.field) ? '1' : '') : this.entries.get(r.field)!.value().trim();
      if (v) c[r.field] = v;
      else delete c[r.field];
    }
    const result = this.ctx.service.put(c, this.original?.ct);
    if (result.ok) {
      nav.pop();
      return;
    }
    if (result.error.key === 'contact.error.full') {
      nav.replace(new MessageScreen(t('contact.add'), [shown(result.error), t('contact.deleteOne')]));
      return;
    }
    this.error = shown(result.error);
    nav.redraw();
  }
}
