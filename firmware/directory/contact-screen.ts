/** One contact: its fields, and Call / Edit / Delete (Edit and Delete not when read-only). */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MessageScreen } from '../ui/message-screen';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import { displayName, type Contact } from './contact';
import { ContactEditScreen } from './contact-edit-screen';
import type { DirectoryUiContext } from './directory-ui-context';

export class ContactScreen implements Screen {
  private confirmDelete = false;

  constructor(private readonly ctx: DirectoryUiContext, private readonly contact: Contact) {}

  view(): ScreenText {
    const c = this.contact;
    const lines = [`Name: ${displayName(c)}`, `Number: ${c.ct}`];
    if (c.lb) lines.push(`Label: ${c.lb}`);
    if (c.sd) lines.push(`Speed dial: ${c.sd}`);
    if (c.rt) lines.push(`Ring tone: ${c.rt}`);
    if (c.ad === '1') lines.push(`Auto-divert to: ${c.dc ?? ''}`);
    else if (c.dc) lines.push(`Divert contact: ${c.dc}`);
    if (c.ar === '1') lines.push('Auto-reject: on');
    if (this.confirmDelete) lines.push('Delete this contact? Select: yes');
    const ro = this.ctx.readonly();
    return { id: 'contact', title: 'Contact', lines, softKeys: ['Call', ro ? '' : 'Edit', ro ? '' : 'Delete', 'Back'], focus: -1 };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (key === 'soft1') this.ctx.dial(this.contact.ct);
    else if ((key === 'soft2' || key === 'soft3') && this.ctx.readonly()) nav.push(new MessageScreen('Contact', ['The directory is read-only']));
    else if (key === 'soft2') nav.replace(new ContactEditScreen(this.ctx, this.contact));
    else if (key === 'soft3') this.confirmDelete = true;
    else if (key === 'select' && this.confirmDelete) {
      const r = this.ctx.service.remove(this.contact.ct);
      if (r.ok) nav.pop();
      else nav.replace(new MessageScreen('Contact', [r.error]));
      return true;
    } else return closeOnBack(key, nav);
    nav.redraw();
    return true;
  }
}
