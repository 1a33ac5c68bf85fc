/**
 * The Linux board host: opens the board's devices as the board file says,
 * composes them into the HAL (sim/host/host-hal.ts, every callback through
 * the event gate), and runs dist/firmware.js in QuickJS (with the board's
 * memory, stack and CPU budget) or directly under Node.
 *
 * Around the firmware it does what a board's supervisor does:
 * - the hardware watchdog is fed after every entry into the firmware and by
 *   an idle timer while the event gate is not stuck (hardware-watchdog.ts);
 * - `power.reboot()` is acted on after the event returns: the reason is
 *   recorded in the state directory, the devices are closed cleanly and the
 *   board file's reboot command runs (`[]`: the firmware restarts in-process);
 * - with the board file's `update.rauc`, the first idle screen of the boot
 *   runs `rauc status mark-good` (rauc-mark-good.ts): RAUC's trial ends;
 * - an engine that crashed (QuickJS left unusable) restarts the firmware
 *   in-process with boot reason `crash`, as the watchdog would;
 * - a device that cannot be opened (missing, wrong geometry) stops the start
 *   with the driver's message (BoardStartError), before anything boots.
 *
 * Flash, display and keys need the kernel's MTD, fbdev and evdev; a host
 * without them (these tests, a laptop) passes already-made devices in
 * `devices` (the drivers, and koffi, are then never used).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import type { BootReason, Flash, Hal, KeyName, Keys, ScreenText, Usb } from '../contract';
import type { PanelDevice } from '../../sim/host/frame-scheduler';
import { boardProfile, type BoardProfile } from '../boards';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { EventGate, type FirmwareFault } from '../../sim/host/event-gate';
import type { FirmwareEngine } from '../../sim/host/firmware-engine';
import { FaultError } from '../../sim/host/firmware-fault';
import { loadFirmwareImage, type LoadedImage } from '../../sim/host/firmware-image-cache';
import { loadBootImage } from '../../sim/host/slot-boot-loader';
import { createHostHal } from '../../sim/host/host-hal';
import { NodeEngine } from '../../sim/host/node-engine';
import { QuickJsEngine, quickJsModule } from '../../sim/host/quickjs-engine';
import { condenseStack } from '../../sim/source-map';
import type { BoardFile } from './board-file';
import { BoardLine } from './board-line';
import { DirectoryKeystore } from './directory-keystore';
import { EvdevKeys } from './evdev-keys';
import { FbDisplay } from './fb-display';
import { HardwareWatchdog } from './hardware-watchdog';
import { HostLdap } from './host-ldap';
import { HostNet } from './host-net';
import { LinkStateMonitor } from './link-state-monitor';
import { LinuxClock } from './linux-clock';
import { LinuxPower } from './linux-power';
import { MountedUsb } from './mounted-usb';
import { SerialConsole } from './serial-console';
import { LinuxSocket } from './socket';
import { NodeHttpServer } from './node-http-server';
import { SysfsLeds } from './sysfs-leds';
import { LinuxUdp } from './udp';
import { MtdFlash } from './mtd-flash';
import { RaucMarkGood } from './rauc-mark-good';

/** What the runner needs of a display beyond the HAL: the text model it publishes. */
export type BoardDisplay = PanelDevice & { text(): ScreenText; onScreen(listener: (s: ScreenText) => void): () => void; close?(): void };
/** Keys: `start` begins reading (evdev), `release` lets go of keys held at power-on (the simulator's keys). */
export type BoardKeys = Keys & { start?(): void; release?(): void; close?(): void };
export type BoardFlash = Flash & { close?(): void };

export interface BoardDevices {
  flash: BoardFlash;
  display: BoardDisplay;
  keys: BoardKeys;
}

/** Where the Linux interfaces are; tests point them at a fake tree. Defaults are the kernel's paths. */
export interface BoardPaths {
  ledsDir?: string;
  procMounts?: string;
  sysClassNet?: string;
  bootIdFile?: string;
  watchdogBootstatusFile?: string;
}

export interface BootBoardOptions {
  boardFile: BoardFile;
  /** The firmware bundle (dist/firmware.js). */
  image: string;
  engine?: 'quickjs' | 'node';
  /** Already-made flash / display / keys (a host without MTD, fbdev or evdev); the rest are opened from the board file. */
  devices?: Partial<BoardDevices>;
  paths?: BoardPaths;
  /** Serial lines as they are written (before `bootBoard` returns, so start-up lines are seen too). */
  onLog?: (line: string) => void;
}

export type BoardState = 'running' | 'crashed' | 'stopped';

/** Why the runner stopped: a clean `stop()`, or a reboot handed to the OS (with the command's exit status). */
export type BoardStop = { kind: 'stopped' } | { kind: 'reboot'; reason: string; commandStatus: number | null };

export interface RunningBoard {
  readonly profile: BoardProfile;
  readonly state: BoardState;
  screen(): ScreenText;
  onScreen(listener: (s: ScreenText) => void): () => void;
  log(): string[];
  onLog(listener: (line: string) => void): () => void;
  faults(): FirmwareFault[];
  lastBootReason(): BootReason;
  bootCount(): number;
  /** Clean stop: firmware stopped, devices closed, watchdog disarmed (magic close), boot record marked stopped. */
  stop(): Promise<void>;
  /** Resolves when the runner stopped, by `stop()` or for a reboot through the OS. */
  readonly stopped: Promise<BoardStop>;
}

/** A device could not be opened or the board file's state is unusable: nothing was booted. */
export class BoardStartError extends Error {}

export async function bootBoard(o: BootBoardOptions): Promise<RunningBoard> {
  const bf = o.boardFile;
  const profile = boardProfile(bf.board);
  const serial = new SerialConsole({ device: bf.serial?.device });
  if (o.onLog) serial.onLine(o.onLog);
  const hostLog = (line: string) => serial.write(`[board] ${line}`);

  if (!fs.existsSync(o.image)) {
    serial.close();
    throw new BoardStartError(`no firmware image at ${o.image}: run "phone build" first`);
  }
  const image = loadFirmwareImage(o.image);
  const engineKind = o.engine ?? 'quickjs';
  const quickjs = engineKind === 'quickjs' ? await quickJsModule() : null;

  const closers: (() => void)[] = [];
  const fail = (what: string, e: unknown): never => {
    for (const close of closers.splice(0).reverse()) {
      try { close(); } catch { /* already failing */ }
    }
    serial.close();
    throw new BoardStartError(`${what}: ${(e as Error).message ?? e}`);
  };

  let flash: BoardFlash, display: BoardDisplay, keys: BoardKeys, keystore: DirectoryKeystore;
  try {
    flash = o.devices?.flash ?? openMtdFlash(bf, profile);
    closers.push(() => flash.close?.());
  } catch (e) {
    return fail('flash', e);
  }
  try {
    display = o.devices?.display ?? openFbDisplay(bf, profile, hostLog);
    closers.push(() => display.close?.());
  } catch (e) {
    return fail('display', e);
  }
  try {
    keys = o.devices?.keys ?? openEvdevKeys(bf, hostLog);
    closers.push(() => keys.close?.());
  } catch (e) {
    return fail('keys', e);
  }
  try {
    // After the devices: a board that cannot run leaves nothing behind.
    fs.mkdirSync(bf.stateDir, { recursive: true });
  } catch (e) {
    return fail(`state directory ${bf.stateDir}`, e);
  }
  try {
    keystore = DirectoryKeystore.open(bf.keystore.dir);
  } catch (e) {
    return fail('keystore', e);
  }

  const board = new BoardRunner(o, profile, image, quickjs, serial, hostLog, { flash, display, keys, keystore });
  board.boot();
  return board;
}

class BoardRunner implements RunningBoard {
  state: BoardState = 'stopped';
  readonly stopped: Promise<BoardStop>;
  private resolveStopped!: (s: BoardStop) => void;
  private readonly gate: EventGate;
  private engine: FirmwareEngine | null = null;
  private readonly faultList: FirmwareFault[] = [];
  private readonly power: LinuxPower;
  private readonly clock: LinuxClock;
  private readonly net = new HostNet();
  private readonly ldap = new HostLdap();
  private readonly udp = new LinuxUdp();
  private readonly socket = new LinuxSocket();
  private readonly httpServer: NodeHttpServer;
  private readonly line: BoardLine;
  private readonly link: LinkStateMonitor;
  private readonly watchdog: HardwareWatchdog | null;
  private readonly hal: Hal;
  /** `update.rauc`: marks RAUC's booted slot good at the first idle screen of this boot. */
  private readonly markGood: RaucMarkGood | null;
  private shuttingDown = false;

  constructor(
    private readonly o: BootBoardOptions,
    readonly profile: BoardProfile,
    private readonly image: ReturnType<typeof loadFirmwareImage>,
    private readonly quickjs: Awaited<ReturnType<typeof quickJsModule>> | null,
    private readonly serial: SerialConsole,
    private readonly hostLog: (line: string) => void,
    private readonly devices: BoardDevices & { keystore: DirectoryKeystore },
  ) {
    const bf = o.boardFile;
    this.stopped = new Promise((resolve) => { this.resolveStopped = resolve; });
    this.gate = new EventGate((label, fn) => this.runEntry(label, fn), () => this.afterEntry());
    this.power = new LinuxPower({ stateDir: bf.stateDir, bootReasonFile: bf.power.bootReasonFile, bootIdFile: o.paths?.bootIdFile, watchdogBootstatusFile: o.paths?.watchdogBootstatusFile }, hostLog);
    this.clock = new LinuxClock({ stateDir: bf.stateDir, setSystemTime: bf.clock.setSystemTime, log: hostLog });
    this.ldap.followLink(() => this.net.linkUp());
    this.link = new LinkStateMonitor({ interface: bf.net.interface, sysClassNet: o.paths?.sysClassNet, log: hostLog, onChange: (up) => this.net.setLink(up) });
    this.link.start();
    this.line = new BoardLine({ host: bf.line.baresip.host, port: bf.line.baresip.port, log: hostLog });
    void this.line.start();
    // The idle feed asks whether the gate is stuck in an entry (a runaway loop blocks Node's
    // event loop, so the timer stops with it) or the engine is unusable. A firmware whose boot
    // failed is not stuck: its fault is on the serial log, and the board stays up for diagnosis
    // instead of resetting into the same failure again and again.
    this.watchdog = bf.watchdog
      ? new HardwareWatchdog({ device: bf.watchdog.device, log: hostLog, healthy: () => !this.gate.busy && !this.engine?.crashed })
      : null;
    this.markGood = bf.update?.rauc
      ? new RaucMarkGood({ command: bf.update.markGoodCommand, log: hostLog, screen: () => devices.display.text() })
      : null;
    const crypto = new NodeCryptoEngine(devices.keystore);
    this.httpServer = new NodeHttpServer({
      host: bf.httpServer.listenAddress,
      portFor: (scheme, configured) => (scheme === 'http' ? bf.httpServer.httpPort : bf.httpServer.httpsPort) ?? configured,
      keyPem: (name) => crypto.signingKeyPem(name),
      log: hostLog,
    });
    const usb: Usb = bf.usb ? new MountedUsb({ mountPoint: bf.usb.mountPoint, procMounts: o.paths?.procMounts }) : NO_USB;
    const info = { ...this.profile, mac: bf.mac ?? this.profile.mac, serial: bf.serialNumber ?? this.profile.serial };
    this.hal = createHostHal(info, {
      flash: devices.flash,
      crypto,
      clock: this.clock,
      display: devices.display,
      keys: devices.keys,
      leds: new SysfsLeds({ map: bf.leds, ledsDir: o.paths?.ledsDir, log: hostLog }),
      line: this.line,
      net: this.net,
      usb,
      power: this.power,
      serial: this.serial,
      ldap: this.ldap,
      udp: this.udp,
      socket: this.socket,
      httpServer: this.httpServer,
    }, this.gate);
  }

  boot(): void {
    this.hostLog(`${this.profile.profile} boot ${this.power.bootCount()} (reason ${this.power.lastBootReason()}${this.power.lastRebootMessage() ? `: ${this.power.lastRebootMessage()}` : ''}), engine ${this.o.engine ?? 'quickjs'}, mac ${this.hal.board.mac}`);
    this.watchdog?.start();
    this.startFirmware();
    this.devices.keys.start?.();
  }

  screen(): ScreenText { return this.devices.display.text(); }
  onScreen(listener: (s: ScreenText) => void): () => void { return this.devices.display.onScreen(listener); }
  log(): string[] { return this.serial.all(); }
  onLog(listener: (line: string) => void): () => void { return this.serial.onLine(listener); }
  faults(): FirmwareFault[] { return [...this.faultList]; }
  lastBootReason(): BootReason { return this.power.lastBootReason(); }
  bootCount(): number { return this.power.bootCount(); }

  async stop(): Promise<void> {
    if (this.shuttingDown) return;
    this.hostLog('stopping');
    this.shutdown();
    this.power.recordCleanStop();
    this.serial.close();
    this.resolveStopped({ kind: 'stopped' });
  }

  // ── internals ──

  /** The updater partition's boot record picks the image file (factory) or an A/B slot the firmware installed (docs/update.md). */
  private bootImage(): LoadedImage {
    try {
      const booted = loadBootImage(this.devices.flash, this.image);
      for (const note of booted.notes) this.hostLog(`boot loader: ${note}`);
      if (booted.label !== 'factory image') this.hostLog(`boot loader: booting ${booted.label}`);
      return booted;
    } catch (e) {
      this.hostLog(`boot loader: boot record unusable (${(e as Error).message}): booting the image file`);
      return this.image;
    }
  }

  private startFirmware(): void {
    this.state = 'running';
    this.devices.display.setBacklight(100);
    const deliver = (label: string, fn: () => void) => this.gate.deliver(label, fn);
    const image = this.bootImage();
    const engine: FirmwareEngine = this.quickjs
      ? new QuickJsEngine(this.quickjs, boardCpuBudget(this.profile), image.code, deliver)
      : new NodeEngine(image.code, deliver);
    // The running image's resources (font glyphs), read from its pack in the installed image directory or its A/B slot.
    const hal: Hal = image.resources ? { ...this.hal, resources: image.resources } : this.hal;
    this.engine = engine;
    this.gate.deliver('boot', () => {
      try {
        engine.boot(hal);
      } catch (e) {
        this.report('boot', e);
        const bootCompleted = e instanceof FaultError && e.firmwareCarriedOn;
        if (this.state === 'running' && !bootCompleted) this.state = 'crashed';
      } finally {
        this.devices.keys.release?.();
      }
    });
  }

  private runEntry(label: string, fn: () => void): void {
    const engine = this.engine;
    if (!engine || this.state === 'stopped') return;
    if (label === 'boot') return fn();
    try {
      engine.enter(fn);
    } catch (e) {
      this.report(label, e);
    }
  }

  /** After every entry: feed the watchdog, mark RAUC's slot good at the first idle, then act on a crashed engine or a reboot request. */
  private afterEntry(): void {
    if (this.state === 'stopped') return;
    if (!this.engine?.crashed) this.watchdog?.feed();
    if (this.state === 'running' && !this.engine?.crashed) this.markGood?.check();
    if (this.engine?.crashed && this.state === 'running') {
      this.hostLog('the firmware engine crashed: restarting the firmware (boot reason crash)');
      this.stopFirmware();
      this.power.booting('crash', 'engine crashed');
      this.startFirmware();
      return;
    }
    const reason = this.power.rebootRequested;
    if (reason !== null) this.reboot(reason);
  }

  private reboot(reason: string): void {
    const command = this.o.boardFile.power.rebootCommand;
    if (command.length === 0) {
      this.hostLog(`reboot requested (${reason}): restarting the firmware in-process (power.rebootCommand is [])`);
      this.stopFirmware();
      this.power.booting('reboot', reason);
      this.startFirmware();
      return;
    }
    this.hostLog(`reboot requested (${reason}): stopping and running ${command.join(' ')}`);
    this.power.recordReboot(reason);
    this.shutdown();
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
    const done = (status: number | null, error?: Error) => {
      if (status !== 0) this.hostLog(`reboot command ${command.join(' ')} failed (${error?.message ?? `exit ${status}`}): the board did not reboot`);
      this.serial.close();
      this.resolveStopped({ kind: 'reboot', reason, commandStatus: status });
    };
    child.once('error', (e) => done(null, e));
    child.once('exit', (code) => done(code));
  }

  /** Stop the firmware and close every device (clean: the watchdog gets its magic close). */
  private shutdown(): void {
    this.shuttingDown = true;
    this.stopFirmware();
    this.state = 'stopped';
    this.markGood?.stop();
    this.watchdog?.stop();
    this.link.stop();
    this.line.close();
    this.udp.dispose();
    for (const close of [() => this.devices.keys.close?.(), () => this.devices.display.close?.(), () => this.devices.flash.close?.()]) {
      try {
        close();
      } catch (e) {
        this.hostLog(`closing a device failed: ${(e as Error).message}`);
      }
    }
  }

  private stopFirmware(): void {
    this.gate.clear();
    this.engine?.dispose();
    this.engine = null;
    this.clock.reset();
    this.line.detach();
    this.net.detach();
    this.socket.closeAll();
    this.httpServer.stop();
  }

  private report(label: string, e: unknown): void {
    const fault: FirmwareFault = e instanceof FaultError
      ? { kind: e.kind, message: e.message, stack: condenseStack(this.image.sourceMap.mapStack(e.guestStack)) }
      : { kind: 'firmware-exception', message: String((e as Error)?.message ?? e), stack: condenseStack(this.image.sourceMap.mapStack(String((e as Error)?.stack ?? ''))) };
    this.faultList.push(fault);
    this.hostLog(`firmware fault (${fault.kind}) in ${label}: ${fault.message}${fault.stack ? '\n' + fault.stack : ''}`);
  }
}

const NO_USB: Usb = {
  present: () => false,
  freeBytes: () => 0,
  writeFile: () => { throw new Error('absent: this board has no USB port'); },
};

// ── the kernel-ABI drivers (koffi is loaded by kernel-abi.ts only at the first ioctl) ──

function openMtdFlash(bf: BoardFile, profile: BoardProfile): BoardFlash {
  return MtdFlash.open({ geometry: profile.flash, partitions: bf.flash.partitions, writeThrough: bf.flash.writeThrough });
}

function openFbDisplay(bf: BoardFile, profile: BoardProfile, log: (line: string) => void): BoardDisplay {
  return FbDisplay.open({ device: bf.display.device, ...(bf.display.backlight ? { backlightDir: bf.display.backlight } : {}), ...profile.display, log });
}

function openEvdevKeys(bf: BoardFile, log: (line: string) => void): BoardKeys {
  const keymap: Record<number, KeyName> = {};
  for (const [code, key] of Object.entries(bf.keys.keymap)) keymap[Number(code)] = key;
  return new EvdevKeys({ deviceName: bf.keys.deviceName, keymap, log });
}

/**
 * The budgets a board enforces on the firmware: the poll count (deterministic, the same on any CPU)
 * but not the simulator's CPU-milliseconds backstop, which is tuned for a desktop host: a slower SoC
 * (or QEMU without KVM, where mounting a full store takes over 10 s) would trip it on healthy
 * firmware. A firmware stuck on a board is what the hardware watchdog is for.
 */
export function boardCpuBudget(profile: BoardProfile): BoardProfile {
  return { ...profile, cpuBudget: { ...profile.cpuBudget, msAtBoot: Infinity, msPerEvent: Infinity } };
}
