/**
 * Real baresip (Debian `baresip-core`) and sipp (Debian `sip-tester`) on
 * 127.0.0.1 for the Linux line adapter's integration test, and the firmware
 * booted in this process with that line instead of the virtual one. Missing
 * binaries fail the suite (never skip).
 */
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { boardProfile } from '../../hal/boards';
import { writeBaresipConfig } from '../../hal/linux/baresip-config';
import { BaresipLine } from '../../hal/linux/baresip-line';
import type { BootedPhone } from '../../firmware/main';
import { Keystore } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { stageProvisioning } from '../../sim/provisioning/staging';
import { VirtualPower } from '../../sim/devices/power';
import { EventGate } from '../../sim/host/event-gate';
import { createHostHal } from '../../sim/host/host-hal';
import { createVirtualDevices, type VirtualDevices } from '../../sim/host/virtual-devices';
import { DEFAULT_START_TIME } from '../../sim/phone';

export const BARESIP = '/usr/bin/baresip';
export const SIPP = '/usr/bin/sipp';

export function requireBinaries(): void {
  for (const [bin, pkg] of [[BARESIP, 'baresip-core'], [SIPP, 'sip-tester']]) {
    if (!existsSync(bin)) throw new Error(`${bin} missing: apt-get install -y ${pkg}${process.env.CI === 'true' ? ' — required under CI' : ''}`);
  }
}

/** A port free for TCP and UDP on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = require('dgram').createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

export interface RunningBaresip {
  sipPort: number;
  ctrlPort: number;
  account: string;
  output(): string;
  stop(): void;
}

/** `account: ''` starts baresip with no account: the firmware registers its configured lines (`uanew`). */
export async function startBaresip(options: { account?: string; quitAfterS?: number } = {}): Promise<RunningBaresip> {
  requireBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'baresip-'));
  const sipPort = await freePort();
  const ctrlPort = await freePort();
  const account = options.account ?? 'sip:phone@127.0.0.1';
  writeBaresipConfig({ dir, sipAddress: '127.0.0.1', sipPort, ctrlPort, account });
  let out = '';
  // -t: baresip quits by itself after 60 s even if this process dies first.
  const child: ChildProcess = spawn(BARESIP, ['-f', dir, '-t', String(options.quitAfterS ?? 60)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => { out += d.toString(); });
  child.stderr!.on('data', (d) => { out += d.toString(); });
  return {
    sipPort, ctrlPort, account,
    output: () => out,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Run sipp to completion; resolves with its exit code and output. */
export function runSipp(args: string[], timeoutMs = 20000): { done: Promise<{ code: number | null; output: string }>; stop(): void } {
  const child = spawn(SIPP, [...args, '-nostdin', '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += d.toString(); });
  child.stderr!.on('data', (d) => { output += d.toString(); });
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  return { done, stop: () => { if (child.exitCode === null) child.kill('SIGTERM'); } };
}

/** sipp scenario file in a temporary folder; `remove` deletes it. */
export function scenarioFile(name: string, xml: string): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const file = join(dir, name);
  writeFileSync(file, xml);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PhoneOnBaresip {
  booted: BootedPhone;
  devices: VirtualDevices;
  line: BaresipLine;
  log(): string[];
}

/**
 * The firmware (TypeScript sources, this process) on virtual devices except the line: baresip's.
 * `deviceSettings` are staged in nvram before boot (e.g. `device.prov.serverName` of a real server).
 */
export async function bootOnBaresip(ctrlPort: number, board = 'desk-500', deviceSettings?: Record<string, string>): Promise<PhoneOnBaresip> {
  const g = globalThis as { __FIRMWARE_VERSION__?: string };
  g.__FIRMWARE_VERSION__ ??= 'host';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { boot } = require('../../firmware/main') as typeof import('../../firmware/main');
  const profile = boardProfile(board);
  const power = new VirtualPower();
  power.booting('power-on');
  const devices = createVirtualDevices(profile, { flash: new VirtualFlash(profile.flash), keystore: new Keystore(), power, startTime: DEFAULT_START_TIME, usbDir: null, mac: profile.mac });
  // Staged past the out-of-box wizard, as the simulator stages a blank phone (sim/provisioning/staging.ts).
  stageProvisioning({ provisioningDir: null, deviceSettings }, devices.flash, devices.crypto, devices.net)();
  const serial: string[] = [];
  const line = await BaresipLine.connect({ port: ctrlPort, log: (l) => serial.push(`line: ${l}`) });
  (devices as { line: unknown }).line = line;
  const gate = new EventGate((_label, fn) => fn(), () => {});
  let booted: BootedPhone | undefined;
  gate.deliver('boot', () => { booted = boot(createHostHal(profile, devices, gate)); });
  if (!booted) throw new Error('boot did not complete');
  return { booted, devices, line, log: () => [...devices.serial.all(), ...serial] };
}

export async function until(what: string, ok: () => boolean, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
