/** One contact: its fields, and Call / Edit / Delete (Edit and Delete not when read-only). */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MessageScreen } from '../ui/message-screen';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import { displayName, type Contact } from './contact';
import { ContactEditScreen } from './contact-edit-screen';
import type { DirectoryUiContext } from './directory-ui-context';
import { shown, t } from '../ui/i18n/messages';

export class ContactScreen implements Screen {
  private confirmDelete = false;

  constructor(private readonly ctx: DirectoryUiContext, private readonly contact: Contact) {}

  view(): ScreenText {
    const c = this.contact;
    const lines = [t('contact.name', { value: displayName(c) }), t('contact.number', { value: c.ct })];
    if (c.lb) lines.push(t('contact.label', { value: c.lb }));
    if (c.sd) lines.push(t('contact.speedDial', { value: c.sd }));
    if (c.rt) lines.push(t('contact.ringTone', { value: c.rt }));
    if (c.ad === '1') lines.push(t('contact.autoDivertTo', { value: c.dc ?? '' }));
    else if (c.dc) lines.push(t('contact.divertContact', { value: c.dc }));
    if (c.ar === '1') lines.push(t('contact.autoRejectOn'));
    if (this.confirmDelete) lines.push(t('contact.confirmDelete'));
    const ro = this.ctx.readonly();
    return { id: 'contact', title: t('contact.title'), lines, softKeys: [t('softkey.call'), ro ? '' : t('softkey.edit'), ro ? '' : t('softkey.delete'), t('softkey.back')], focus: -1 };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (key === 'soft1') this.ctx.dial(this.contact.ct);
    else if ((key === 'soft2' || key === 'soft3') && this.ctx.readonly()) nav.push(new MessageScreen(t('contact.title'), [t('contact.readOnly')]));
    else if (key === 'soft2') nav.replace(new ContactEditScreen(this.ctx, this.contact));
    else if (key === 'soft3') this.confirmDelete = true;
    else if (key === 'select' && this.confirmDelete) {
      const r = this.ctx.service.remove(this.contact.ct);
      if (r.ok) nav.pop();
      else nav.replace(new MessageScreen(t('contact.title'), [shown(r.error)]));
      return true;
    } else return closeOnBack(key, nav);
    nav.redraw();
    return true;
  }
}
