/** Settings > Status: what the phone is and how it booted. */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Kernel } from '../kernel/kernel';
import type { Navigator, Screen } from './screen';

export class StatusScreen implements Screen {
  constructor(private readonly kernel: Kernel, private readonly extra: () => string[] = () => []) {}

  view(): ScreenText {
    const { board, power, clock } = this.kernel.hal;
    const uptimeS = Math.floor((clock.monotonic() - this.kernel.bootStartedAt) / 1000);
    const clearUntil = this.kernel.log.partyInClearUntil();
    return {
      id: 'status',
      title: 'Status',
      lines: [
        `Model: ${board.model}`,
        `MAC: ${board.mac}`,
        `Serial: ${board.serial}`,
        `HW rev: ${board.hardwareRevision}`,
        `Firmware: ${this.kernel.version}`,
        `Boot: ${power.lastBootReason()} #${power.bootCount()}`,
        `Uptime: ${Math.floor(uptimeS / 3600)}h ${Math.floor((uptimeS % 3600) / 60)}m`,
        // An admin opened the bounded window of clear-text party logging (log.clearParty.hours): whoever looks must see it.
        ...(clearUntil !== null ? [`Party data logged IN CLEAR until ${new Date(clearUntil).toISOString().slice(0, 16).replace('T', ' ')} GMT`] : []),
        ...this.extra(),
      ],
      softKeys: ['', '', '', 'Back'],
      focus: -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (key === 'soft4') {
      nav.pop();
      return true;
    }
    return false;
  }
}
