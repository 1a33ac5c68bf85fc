/**
 * Missed / Received / Placed lists: time, party (the directory's name when
 * it knows the number) and the collapsed count; Dial redials the focused
 * entry, Delete removes it, Clear empties the list after a confirmation.
 */
import { t, type MessageKey } from '../ui/i18n/messages';
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from '../ui/screen';
import { remoteOf, type CallListName, type CallRecord } from './call-record';
import type { CallListRecorder } from './call-list-recorder';
import type { PartyNameLookup } from './incoming-call-policy';

const LIST_TITLE_KEYS: Record<CallListName, MessageKey> = { missed: 'calls.list.missed', received: 'calls.list.received', placed: 'calls.list.placed' };
/** A list's title in the phone's language. */
export const listTitle = (list: CallListName): string => t(LIST_TITLE_KEYS[list]);

export function entryLine(r: CallRecord, lookup?: PartyNameLookup): string {
  const p = remoteOf(r);
  const who = lookup?.(p.address) || p.name || p.address;
  return `${r.startTime.slice(5, 10)} ${r.startTime.slice(11, 16)} ${who}${r.count > 1 ? ` (${r.count})` : ''}`;
}

export class CallListScreen implements Screen {
  private focus = 0;
  private confirming = false;

  constructor(
    private readonly list: CallListName,
    private readonly recorder: CallListRecorder,
    private readonly dial: (address: string) => void,
    private readonly lookup: () => PartyNameLookup | undefined,
  ) {}

  view(): ScreenText {
    const entries = this.recorder.list(this.list);
    if (this.confirming) return { id: 'calllist-clear', title: t('calls.clearList', { list: listTitle(this.list) }), lines: [t('calls.entries', { count: entries.length })], softKeys: [t('softkey.yes'), '', '', t('softkey.no')], focus: -1 };
    this.focus = Math.max(0, Math.min(this.focus, entries.length - 1));
    return {
      id: `calllist-${this.list}`,
      title: listTitle(this.list),
      lines: entries.length ? entries.map((r) => entryLine(r, this.lookup())) : [t('calls.none')],
      softKeys: entries.length ? [t('softkey.dial'), t('softkey.delete'), t('softkey.clear'), t('softkey.back')] : ['', '', '', t('softkey.back')],
      focus: entries.length ? this.focus : -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    const entries = this.recorder.list(this.list);
    if (this.confirming) {
      if (key === 'soft1') this.recorder.clear(this.list);
      if (key === 'soft1' || key === 'soft4' || key === 'back') this.confirming = false;
      nav.redraw();
      return key !== 'home';
    }
    if (key === 'up' && entries.length) this.focus = (this.focus + entries.length - 1) % entries.length;
    else if (key === 'down' && entries.length) this.focus = (this.focus + 1) % entries.length;
    else if ((key === 'soft1' || key === 'select' || key === 'hook' || key === 'speaker') && entries[this.focus]) this.dial(remoteOf(entries[this.focus]).address);
    else if (key === 'soft2' && entries[this.focus]) this.recorder.deleteEntry(this.list, this.focus);
    else if (key === 'soft3' && entries.length) this.confirming = true;
    else if (key === 'soft4') nav.pop();
    else return false;
    nav.redraw();
    return true;
  }
}
