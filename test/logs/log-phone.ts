/**
 * Shared by the log suites: the firmware's real boot sequence run in this
 * process over virtual devices (as sim/host/in-process-firmware.ts does),
 * with what those suites need besides: a provisioning folder served as
 * `sim://prov/` with the test's site configuration, a folder playing the
 * USB drive, the flash and keystore kept across power cycles, and virtual
 * time that settles host I/O between timers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BootedPhone } from '../../firmware/main';
import { boardProfile } from '../../hal/boards';
import { Keystore } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { VirtualPower } from '../../sim/devices/power';
import { EventGate } from '../../sim/host/event-gate';
import { createHostHal } from '../../sim/host/host-hal';
import { createVirtualDevices, type VirtualDevices } from '../../sim/host/virtual-devices';
import { DEFAULT_START_TIME } from '../../sim/phone';
import { BUILT_IN_FOLDER, stageProvisioning } from '../../sim/provisioning/staging';

export const MAC = '0004f2a1b2c3';

export interface LogPhoneOptions {
  /** Parameters of site.cfg in the provisioning folder (absent: no server at all). */
  site?: Record<string, string>;
  /** Folder playing the USB drive (null: none plugged in). */
  usbDir?: string | null;
  /** Capacity of the USB drive, bytes. */
  usbCapacity?: number;
  /** Boot on this flash/keystore (a power cycle). */
  flash?: VirtualFlash;
  keystore?: Keystore;
  provDir?: string;
}

export interface LogPhone {
  booted: BootedPhone;
  devices: VirtualDevices;
  flash: VirtualFlash;
  keystore: Keystore;
  /** The provisioning folder (uploads land in its `logs/`). */
  provDir: string | null;
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  log(): string[];
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function siteCfg(attributes: Record<string, string>): string {
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}="${v}"`).join(' ');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig ${attrs}/>\n`;
}

export async function bootLogPhone(o: LogPhoneOptions = {}): Promise<LogPhone> {
  const g = globalThis as { __FIRMWARE_VERSION__?: string };
  g.__FIRMWARE_VERSION__ ??= 'host';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { boot } = require('../../firmware/main') as typeof import('../../firmware/main');
  const profile = boardProfile('desk-500');
  const flash = o.flash ?? new VirtualFlash(profile.flash);
  flash.restorePower();
  const keystore = o.keystore ?? new Keystore();
  const power = new VirtualPower();
  power.booting('power-on');
  let provDir: string | null = null;
  if (o.site) {
    provDir = o.provDir ?? tempDir('logs-prov-');
    if (!o.provDir) {
      fs.cpSync(BUILT_IN_FOLDER, provDir, { recursive: true });
      fs.rmSync(path.join(provDir, '000000000000-directory.xml'), { force: true });
    }
    fs.writeFileSync(path.join(provDir, 'site.cfg'), siteCfg(o.site));
  }
  const devices = createVirtualDevices(profile, { flash, keystore, power, startTime: DEFAULT_START_TIME, usbDir: null, mac: MAC });
  if (o.usbDir !== undefined) {
    const { FolderUsb } = await import('../../sim/devices/usb');
    (devices as { usb: InstanceType<typeof FolderUsb> }).usb = new FolderUsb(o.usbDir, o.usbCapacity);
  }
  stageProvisioning({ provisioningDir: provDir }, flash, devices.crypto, devices.net);
  const gate = new EventGate((_label, fn) => fn(), () => {});
  let booted: BootedPhone | undefined;
  gate.deliver('boot', () => { booted = boot(createHostHal(profile, devices, gate)); });
  if (!booted) throw new Error('boot did not complete');
  const settle = async () => {
    for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
  };
  const phone: LogPhone = {
    booted,
    devices,
    flash,
    keystore,
    provDir,
    settle,
    async advance(ms: number) {
      const clock = devices.clock;
      const target = clock.monotonic() + ms;
      for (;;) {
        const next = clock.nextDue();
        if (next === null || next > target) break;
        clock.advance(next - clock.monotonic());
        await settle();
      }
      clock.advance(target - clock.monotonic());
      await settle();
    },
    log: () => devices.serial.all(),
  };
  await phone.advance(0);
  return phone;
}

/** `count` lines of about `bytes` characters from component `component`. */
export function logLines(phone: LogPhone, count: number, bytes = 100, component = 'calls', tag = 'line'): void {
  const log = phone.booted.kernel.log.component(component);
  for (let i = 0; i < count; i++) log.info(`${tag} ${i} `.padEnd(bytes, 'x'));
}
