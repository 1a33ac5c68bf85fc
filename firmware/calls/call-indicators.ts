/**
 * What the phone shows of its calls outside the call screen: the mute key and
 * its LED, the calls of each line for the line key LEDs (the lines module
 * lights them, line-key-led.ts), "Ringing" in the status bar while a call
 * rings in (on every screen), and on the idle screen the count of missed
 * calls not yet seen.
 *
 * Mute: the mute key toggles it while a call is connected or held; it ends
 * with the last call. Missed calls count the entries added to the Missed
 * list since it was last opened (kept in RAM: a reboot or a new user starts
 * from 0, the list itself stays). Until it is first opened, what the owner's
 * lists held when read from flash counts as seen: the lists are read when
 * first needed, so drawing the idle screen reads nothing.
 */
import type { Hal } from '../../hal/contract';
import type { CallRecord } from './call-record';
import type { Call } from './call-controller';
import { t } from '../ui/i18n/messages';
import { LINE_CALLS_EVENT, type LineCalls, type LineCallState } from '../lines/line-key-led';

export interface CallIndicatorDeps {
  hal: Pick<Hal, 'leds' | 'board'>;
  emit(event: typeof LINE_CALLS_EVENT, payload: LineCalls): void;
  calls(): readonly Call[];
  missed(): readonly CallRecord[];
  /** The newest sequence number of the owner's lists when read from flash; null while unread (nothing recorded since the owner was set). */
  newestSeqAtRead(): number | null;
}

const LINE_STATE: Record<Call['state'], LineCallState | null> = {
  incoming: 'incoming', dialing: 'active', ringing: 'active', connected: 'active', held: 'held', ended: null,
};

export class CallIndicators {
  private muted = false;
  /** The newest missed entry seen; null: the owner's entries stored before they were read are seen. */
  private missedSeen: number | null = null;

  constructor(private readonly d: CallIndicatorDeps) {}

  /** The calls changed: line LEDs, and mute ends with the last call. */
  callsChanged(): void {
    const calls = this.d.calls().flatMap((c) => {
      const state = LINE_STATE[c.state];
      return state ? [{ line: c.record.line, state }] : [];
    });
    this.d.emit(LINE_CALLS_EVENT, { calls });
    if (this.muted && !this.d.calls().some((c) => c.state === 'connected' || c.state === 'held')) this.setMuted(false);
  }

  /** The mute key: true when it acted (a call to mute). */
  muteKey(): boolean {
    if (!this.d.calls().some((c) => c.state === 'connected' || c.state === 'held')) return false;
    this.setMuted(!this.muted);
    return true;
  }

  isMuted(): boolean {
    return this.muted;
  }

  /** The Missed list was opened: what it holds now is seen. */
  missedListOpened(): void {
    this.missedSeen = this.newestMissed();
  }

  /** The list owner changed (login, logout): count from now. */
  ownerChanged(): void {
    this.missedSeen = null;
  }

  missedCount(): number {
    const seen = this.missedSeen ?? this.d.newestSeqAtRead();
    if (seen === null) return 0;
    return this.d.missed().filter((r) => r.seq > seen).length;
  }

  /** Status bar indicator: "Ringing" while a call rings in. */
  statusIndicator(): string {
    return this.d.calls().some((c) => c.state === 'incoming') ? t('status.ringing') : '';
  }

  /** Lines for the idle screen: missed calls not yet seen. */
  idleLines(): string[] {
    const missed = this.missedCount();
    return missed > 0 ? [t('idle.missedCalls', { count: missed })] : [];
  }

  private setMuted(on: boolean): void {
    this.muted = on;
    if (this.d.hal.board.keys.includes('mute')) this.d.hal.leds.set('mute', on ? 'on' : 'off');
  }

  private newestMissed(): number {
    return this.d.missed().reduce((max, r) => Math.max(max, r.seq), 0);
  }
}
