/**
 * Firmware image for bench/logs.bench.ts: boots the real kernel, flash store
 * and logs module (startLogs, default parameters) over the simulator's HAL,
 * then on every BURST_INTERVAL_MS of virtual time logs LINES_PER_BURST lines
 * (plain `calls` lines, or redacted `sip` message dumps when the MAC's last
 * start time is odd). Counters go out on the serial console as `bench|...`.
 */
import type { Hal } from '../hal/contract';
import { Kernel } from '../firmware/kernel/kernel';
import { startLogs } from '../firmware/logs/logs-module';
import { logsDeclaration } from '../firmware/logs/declaration';
import { FileStore } from '../firmware/storage/file-store';

export { createGuestHal } from '../hal/quickjs/guest';
export const version = 'logs-bench-image';

export const LINES_PER_BURST = 200;
export const BURST_INTERVAL_MS = 100;

const SIP_DUMP = (i: number) => [
  `INVITE sip:+4930${1000000 + i}@pbx.example.com SIP/2.0`,
  'Via: SIP/2.0/UDP 192.168.10.20:5060;branch=z9hG4bK776asdhds',
  `From: "Caller ${i % 50}" <sip:+4930${2000000 + (i % 50)}@example.com>;tag=1928301774`,
  'CSeq: 314159 INVITE',
].join('\n');

export function boot(hal: Hal): void {
  const kernel = new Kernel(hal, version);
  const fs = FileStore.mount(hal.flash.open('fs'), hal.crypto);
  const defaults = new Map(logsDeclaration.parameters.map((p) => [p.name, typeof p.default === 'boolean' ? (p.default ? '1' : '0') : String(p.default)]));
  defaults.set('log.level.change.sip', '0');
  const logs = startLogs(kernel, { fs, config: { get: (n) => defaults.get(n), onChange: () => () => {} } });
  // The boot phase would end at the first provisioning cycle: there is none here.
  kernel.bus.emit('prov:cycle', { outcome: 'no-server', rebooting: false });
  const sip = hal.clock.now() % 2 === 1;
  const log = kernel.log.component(sip ? 'sip' : 'calls');
  let n = 0;
  let bytes = 0;
  kernel.timers.every(BURST_INTERVAL_MS, 'log burst', () => {
    for (let i = 0; i < LINES_PER_BURST; i++, n++) {
      const text = sip ? SIP_DUMP(n) : `call ${n} state connected remote party answered codec G722 rtp 10.0.0.${n % 250}:${20000 + (n % 1000)}`;
      bytes += text.length + 40; // the line adds timestamp, component, level, missed and newline
      if (sip) log.debug(text);
      else log.info(text);
    }
  });
  kernel.timers.every(1000, 'bench report', () => {
    hal.serial.write(`bench|lines=${n}|bytes=${bytes}|dropped=${logs.writer.droppedLines()}|buffered=${logs.writer.bufferedLines()}|programBytes=${fs.stats().programBytes}`);
  });
}
