/**
 * The incoming and active call screen: what the focused call is doing and
 * the soft keys that act on it (answer, reject, forward; hold, transfer,
 * consultation/conference, end). Hook and speaker answer or hang up.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from '../ui/screen';
import type { Call, CallController } from './call-controller';
import { DialScreen } from './dial-screen';
import { t, type MessageKey } from '../ui/i18n/messages';

const STATE_KEY: Record<Call['state'], MessageKey> = {
  dialing: 'call.dialing', ringing: 'call.ringing', incoming: 'call.incoming', connected: 'call.connected', held: 'call.held', ended: 'call.ended',
};
const stateLabel = (state: Call['state']) => t(STATE_KEY[state]);

function mmss(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export class CallScreen implements Screen {
  constructor(
    private readonly calls: CallController,
    private readonly monotonic: () => number,
  ) {}

  /** Milliseconds until the call timer on this screen shows another second; null when it shows none. */
  nextChangeIn(): number | null {
    const call = this.calls.focused();
    if (!call || call.connectedAt === null || call.state === 'ended') return null;
    const elapsed = this.monotonic() - call.connectedAt;
    return elapsed < 0 ? -elapsed : 1000 - (elapsed % 1000);
  }

  view(): ScreenText {
    const call = this.calls.focused();
    if (!call) return { id: 'call', title: t('call.callEnded'), lines: [], softKeys: ['', '', '', ''], focus: -1 };
    const who = call.remote.name || call.remote.address;
    const lines = [who];
    if (call.remote.name) lines.push(call.remote.address);
    if (call.connectedAt !== null && call.state !== 'ended') lines.push(`${call.conference ? t('call.conference') : stateLabel(call.state)} ${mmss(this.monotonic() - call.connectedAt)}`);
    for (const other of this.calls.calls()) if (other !== call) lines.push(t('call.other', { state: stateLabel(other.state), party: other.remote.name || other.remote.address }));
    return {
      id: call.state === 'incoming' ? 'incoming' : 'call',
      title: call.emergency ? t('call.emergency', { state: stateLabel(call.state) }) : stateLabel(call.state),
      lines,
      softKeys: this.softKeys(call),
      focus: -1,
    };
  }

  private softKeys(call: Call): string[] {
    switch (call.state) {
      case 'incoming': return [t('softkey.answer'), t('softkey.reject'), t('softkey.forward'), ''];
      case 'dialing': case 'ringing': return ['', '', '', t('softkey.end')];
      case 'held': return [t('softkey.resume'), t('softkey.transfer'), t('softkey.new'), t('softkey.end')];
      default: return [t('softkey.hold'), t('softkey.transfer'), this.canConference() ? t('softkey.conference') : t('softkey.new'), t('softkey.end')];
    }
  }

  private canConference(): boolean {
    const consult = this.calls.calls().find((c) => c.consultFor !== undefined && c.state === 'connected');
    return !!consult && this.calls.calls().some((c) => c.key === consult.consultFor && c.state === 'held');
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    const call = this.calls.focused();
    if (!call) return key !== 'back' && key !== 'home' ? true : false;
    if (call.state === 'incoming') {
      if (key === 'soft1' || key === 'select' || key === 'hook' || key === 'speaker' || key === 'headset') this.calls.answer(call);
      else if (key === 'soft2') this.calls.reject(call);
      else if (key === 'soft3') nav.push(new DialScreen('', t('call.forwardTo'), (target) => this.calls.forward(call, target), 'target'));
      return true;
    }
    if (key === 'soft4' || key === 'hook') this.calls.hangup(call);
    else if ((key === 'soft1' || key === 'hold') && (call.state === 'connected' || call.state === 'held')) void this.calls.hold(call, call.state === 'connected');
    else if ((key === 'soft2' || key === 'transfer') && (call.state === 'connected' || call.state === 'held')) {
      const consulting = call.consultFor !== undefined || this.calls.calls().some((c) => c.consultFor === call.key && c.state === 'connected');
      if (consulting) this.calls.transfer(call);
      else nav.push(new DialScreen('', t('call.transferTo'), (target) => this.calls.transfer(call, target), 'target'));
    } else if ((key === 'soft3' || key === 'conference') && (call.state === 'connected' || call.state === 'held')) {
      if (!this.calls.conference()) nav.push(new DialScreen('', t('call.newCall'), (target) => { this.calls.dial(target); }));
    }
    // Keys other than home stay here: back must not leave a live call's screen.
    return key !== 'home';
  }
}
