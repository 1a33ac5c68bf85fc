/**
 * The incoming and active call screen: what the focused call is doing and
 * the soft keys that act on it (answer, reject, forward; hold, transfer,
 * consultation/conference, end). Hook and speaker answer or hang up.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from '../ui/screen';
import type { Call, CallController } from './call-controller';
import { DialScreen } from './dial-screen';

const STATE_LABEL: Record<Call['state'], string> = {
  dialing: 'Dialing', ringing: 'Ringing', incoming: 'Incoming call', connected: 'Connected', held: 'On hold', ended: 'Ended',
};

function mmss(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export class CallScreen implements Screen {
  constructor(
    private readonly calls: CallController,
    private readonly monotonic: () => number,
    /** Told when the screen is shown again (back from a transfer target, say): the call timer resumes. */
    private readonly shown: () => void = () => {},
  ) {}

  onShow(): void {
    this.shown();
  }

  /** Milliseconds until the call timer on this screen shows another second; null when it shows none. */
  nextChangeIn(): number | null {
    const call = this.calls.focused();
    if (!call || call.connectedAt === null || call.state === 'ended') return null;
    const elapsed = this.monotonic() - call.connectedAt;
    return elapsed < 0 ? -elapsed : 1000 - (elapsed % 1000);
  }

  view(): ScreenText {
    const call = this.calls.focused();
    if (!call) return { id: 'call', title: 'Call ended', lines: [], softKeys: ['', '', '', ''], focus: -1 };
    const who = call.remote.name || call.remote.address;
    const lines = [who];
    if (call.remote.name) lines.push(call.remote.address);
    if (call.connectedAt !== null && call.state !== 'ended') lines.push(`${call.conference ? 'Conference' : STATE_LABEL[call.state]} ${mmss(this.monotonic() - call.connectedAt)}`);
    for (const other of this.calls.calls()) if (other !== call) lines.push(`${STATE_LABEL[other.state]}: ${other.remote.name || other.remote.address}`);
    return {
      id: call.state === 'incoming' ? 'incoming' : 'call',
      title: call.emergency ? `Emergency: ${STATE_LABEL[call.state]}` : STATE_LABEL[call.state],
      lines,
      softKeys: this.softKeys(call),
      focus: -1,
    };
  }

  private softKeys(call: Call): string[] {
    switch (call.state) {
      case 'incoming': return ['Answer', 'Reject', 'Forward', ''];
      case 'dialing': case 'ringing': return ['', '', '', 'End'];
      case 'held': return ['Resume', 'Transfer', 'New', 'End'];
      default: return ['Hold', 'Transfer', this.canConference() ? 'Conf' : 'New', 'End'];
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
      else if (key === 'soft3') nav.push(new DialScreen('', 'Forward to', (target) => this.calls.forward(call, target), 'target'));
      return true;
    }
    if (key === 'soft4' || key === 'hook') this.calls.hangup(call);
    else if ((key === 'soft1' || key === 'hold') && (call.state === 'connected' || call.state === 'held')) void this.calls.hold(call, call.state === 'connected');
    else if ((key === 'soft2' || key === 'transfer') && (call.state === 'connected' || call.state === 'held')) {
      const consulting = call.consultFor !== undefined || this.calls.calls().some((c) => c.consultFor === call.key && c.state === 'connected');
      if (consulting) this.calls.transfer(call);
      else nav.push(new DialScreen('', 'Transfer to', (target) => this.calls.transfer(call, target), 'target'));
    } else if ((key === 'soft3' || key === 'conference') && (call.state === 'connected' || call.state === 'held')) {
      if (!this.calls.conference()) nav.push(new DialScreen('', 'New call', (target) => { this.calls.dial(target); }));
    }
    // Keys other than home stay here: back must not leave a live call's screen.
    return key !== 'home';
  }
}
