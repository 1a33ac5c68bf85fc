/**
 * A simulated desk phone: the firmware image running in QuickJS (or Node)
 * over virtual devices built from a board profile. See sim/phone-api.ts.
 */
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { BootReason, KeyName, ScreenText } from '../hal/contract';
import { boardProfile, type BoardProfile } from '../hal/boards';
import { readUpdateKey, writeUpdateKey } from '../firmware/updater/update-key';
import { writeFileAtomic } from './devices/atomic-file';
import { Keystore } from './devices/crypto';
import { PowerCutError, VirtualFlash } from './devices/flash';
import { VirtualPower } from './devices/power';
import { EventGate, type FirmwareFault } from './host/event-gate';
import type { FirmwareEngine } from './host/firmware-engine';
import { FaultError } from './host/firmware-fault';
import { loadFirmwareImage, type LoadedImage } from './host/firmware-image-cache';
import type { FirmwareBuildInfo } from './host/firmware-build-info';
import { createHostHal } from './host/host-hal';
import { NodeEngine } from './host/node-engine';
import { QuickJsEngine, quickJsModule } from './host/quickjs-engine';
import { loadBootImage } from './host/slot-boot-loader';
import { createVirtualDevices, type VirtualDevices } from './host/virtual-devices';
import type { EngineKind, FarEnd, FlashStats, PhoneOptions, PhoneState, SimulatedPhone } from './phone-api';
import { stageProvisioning } from './provisioning/staging';
import { BundleSourceMap, condenseStack } from './source-map';

export const DEFAULT_IMAGE = path.resolve(__dirname, '..', 'dist', 'firmware.js');
export const DEFAULT_START_TIME = Date.UTC(2026, 0, 1, 9, 0, 0);

/** A flash image file that does not fit the board, or is unreadable. */
export class FlashImageError extends Error {}

/** Read and check a flash image file against a board's geometry. */
export function loadFlashImage(file: string, profile: BoardProfile): VirtualFlash {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new FlashImageError(`cannot read flash image ${file}: ${(e as Error).message}`);
  }
  try {
    return VirtualFlash.fromImage(profile.flash, bytes);
  } catch (e) {
    throw new FlashImageError(`refusing flash image ${file}: ${(e as Error).message} (board ${profile.profile})`);
  }
}

/** The factory step: the update key into the updater partition, unless it holds one already (a phone trusts one key for life). */
function stageUpdateKey(flash: VirtualFlash, pem: string): void {
  if (!flash.partitions().includes('updater')) return;
  const part = flash.open('updater');
  if (readUpdateKey(part)) return;
  const key = nodeCrypto.createPublicKey(pem);
  const algorithm = key.asymmetricKeyType === 'ed25519' ? 'ed25519' : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ecdsa-p256' : null;
  if (!algorithm) throw new Error(`update key: a ${key.asymmetricKeyType} key; update keys are Ed25519 or ECDSA P-256`);
  writeUpdateKey(part, { algorithm, publicKeyDer: key.export({ format: 'der', type: 'spki' }) });
}

export async function createPhone(options: PhoneOptions): Promise<Phone> {
  const profile = boardProfile(options.board);
  const engine = options.engine ?? 'quickjs';
  const imagePath = options.image ?? DEFAULT_IMAGE;
  if (!fs.existsSync(imagePath)) throw new Error(`no firmware image at ${imagePath}: run "phone build" first`);
  const flash = options.flashImage && fs.existsSync(options.flashImage) ? loadFlashImage(options.flashImage, profile) : new VirtualFlash(profile.flash);
  if (options.updateKeyPem) stageUpdateKey(flash, options.updateKeyPem);
  const module = engine === 'quickjs' ? await quickJsModule() : null;
  const phone = new Phone(profile, engine, loadFirmwareImage(imagePath), flash, options, module);
  // Built-in provisioning folder (sim/provisioning) and staged device settings, before the first boot.
  phone.onDispose(stageProvisioning(options, phone.devices.flash, phone.devices.crypto, phone.devices.net));
  return phone;
}

export class Phone implements SimulatedPhone {
  readonly devices: VirtualDevices;
  readonly faults: FirmwareFault[] = [];
  private engineInstance: FirmwareEngine | null = null;
  private gate: EventGate;
  private phoneState: PhoneState = 'off';
  private powerWasCut = false;
  private readonly keystore: Keystore;
  private readonly power: VirtualPower;
  private readonly disposers: (() => void)[] = [];
  /** Source map of the image running now (none for an image booted from an update slot). */
  private runningSourceMap: BundleSourceMap;
  private runningBuild: FirmwareBuildInfo | null;

  constructor(
    readonly profile: BoardProfile,
    readonly engine: EngineKind,
    /** The factory image: what the boot loader starts when no update slot is chosen; `reloadImage` replaces it. */
    private factoryImage: LoadedImage,
    flash: VirtualFlash,
    private readonly options: PhoneOptions,
    private readonly quickjs: Awaited<ReturnType<typeof quickJsModule>> | null,
  ) {
    this.keystore = options.flashImage ? Keystore.load(options.flashImage + '.keys.json') : new Keystore();
    this.power = VirtualPower.load(options.flashImage ? options.flashImage + '.power.json' : undefined);
    this.devices = createVirtualDevices(profile, {
      flash, keystore: this.keystore, power: this.power, startTime: options.startTime ?? DEFAULT_START_TIME,
      usbDir: options.usbDir ?? null, mac: options.mac ?? profile.mac,
    });
    this.gate = new EventGate((label, fn) => this.runEntry(label, fn), () => this.afterEntry());
    this.runningSourceMap = factoryImage.sourceMap;
    this.runningBuild = factoryImage.build ?? null;
    flash.onPowerCut(() => { this.powerWasCut = true; });
  }

  get board(): string {
    return this.profile.profile;
  }

  /** The MAC the phone was made with (its provisioning files are named after it). */
  get mac(): string {
    return this.options.mac ?? this.profile.mac;
  }

  get state(): PhoneState {
    return this.phoneState;
  }

  get farEnd(): FarEnd {
    return this.devices.line.farEnd;
  }

  async boot(): Promise<void> {
    this.start(this.powerWasCut ? 'power-cut' : 'power-on');
    await this.settle();
  }

  async powerOn(): Promise<void> {
    if (this.phoneState !== 'off') this.teardown();
    this.devices.flash.restorePower();
    await this.boot();
  }

  /** Restart the image over the same flash (boot reason `reboot`); boots normally when the phone is off. */
  async reboot(reason = 'user request'): Promise<void> {
    if (this.phoneState === 'off') return this.powerOn();
    this.host(`reboot: ${reason}`);
    this.teardown();
    this.start('reboot', reason);
    await this.settle();
  }

  /** The build the phone runs now (or ran last, when off); null for an image made in memory. */
  get build(): FirmwareBuildInfo | null {
    return this.runningBuild;
  }

  /**
   * A new factory image (a rebuilt dist/firmware.js): the phone reboots on it
   * over the same flash, as after flashing a dev board. An update slot the boot
   * record chooses still wins, as on the board.
   */
  async reloadImage(image: LoadedImage): Promise<void> {
    this.factoryImage = image;
    if (this.phoneState === 'off') return;
    await this.reboot('new firmware image');
  }

  /** Hold keys down through the next power-on or reboot (the updater's recovery key combination). */
  holdKeysAtBoot(keys: KeyName[]): void {
    this.devices.keys.holdAtPowerOn(keys);
  }

  cutPower(afterOps?: number): void {
    if (afterOps && afterOps > 0) {
      this.devices.flash.cutPowerAfter(afterOps);
      return;
    }
    this.devices.flash.cutPowerAfter(0);
    if (this.phoneState !== 'off') {
      this.host('power cut');
      this.teardown();
    }
  }

  /** Press and release `key`; with `holdMs` the key stays down that long in virtual time (a long press). */
  async press(key: KeyName, holdMs = 0): Promise<void> {
    this.requireRunning();
    // A key the board lacks is the caller's mistake, not a firmware fault: refuse it here.
    if (!this.profile.keys.includes(key)) throw new Error(`board ${this.profile.profile} has no "${key}" key`);
    this.gate.deliver(`key ${key}`, () => this.devices.keys.send(key, true));
    if (holdMs > 0) {
      await this.settle();
      await this.advance(holdMs);
      if (this.phoneState !== 'running') return;
    }
    this.gate.deliver(`key ${key}`, () => this.devices.keys.send(key, false));
    await this.settle();
  }

  async pressAll(keys: KeyName[]): Promise<void> {
    for (const k of keys) await this.press(k);
  }

  async advance(ms: number): Promise<void> {
    const clock = this.devices.clock;
    const target = clock.monotonic() + Math.max(0, ms);
    // Timer by timer, settling between, so host I/O answers interleave as they would in real time.
    for (;;) {
      const next = clock.nextDue();
      if (this.phoneState !== 'running' || next === null || next > target) break;
      clock.advance(next - clock.monotonic());
      await this.settle();
    }
    clock.advance(target - clock.monotonic());
  }

  async settle(): Promise<void> {
    for (let rounds = 0; rounds < 10000; rounds++) {
      await new Promise((r) => setImmediate(r));
      const pending = (this.engineInstance?.pendingHostCalls() ?? 0) + this.devices.socket.awaitingReplies();
      if (pending === 0) {
        await new Promise((r) => setImmediate(r));
        if ((this.engineInstance?.pendingHostCalls() ?? 0) + this.devices.socket.awaitingReplies() === 0) return;
      } else {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  }

  screen(): ScreenText {
    return this.devices.display.text();
  }

  screenshotPng(): Buffer {
    return this.devices.display.toPng();
  }

  log(): string[] {
    return this.devices.serial.all();
  }

  onLog(listener: (line: string) => void): () => void {
    return this.devices.serial.onLine(listener);
  }

  onScreen(listener: (screen: ScreenText) => void): () => void {
    return this.devices.display.onScreen(listener);
  }

  flashStats(): FlashStats {
    return { partitions: this.devices.flash.stats().map((p) => ({ name: p.name, size: p.size, blockSize: p.blockSize, eraseCounts: p.eraseCounts, programBytes: p.programBytes })) };
  }

  dumpFlash(): Buffer {
    return Buffer.from(this.devices.flash.image());
  }

  saveFlash(file = this.options.flashImage): void {
    if (!file) throw new Error('saveFlash: no file given and the phone has no flash image path');
    // Each file is replaced atomically; keys first: a crash before the image is replaced leaves the
    // old image with keys it may not need, never a new image whose class keys are missing.
    this.keystore.save(file + '.keys.json');
    this.power.save(file + '.power.json');
    writeFileAtomic(file, this.devices.flash.image());
  }

  lastBootReason(): BootReason {
    return this.power.lastBootReason();
  }

  webUrls(): { http: string | null; https: string | null } {
    return this.devices.httpServer.urls();
  }

  memoryUsage(): number {
    return this.engineInstance?.memoryUsage() ?? 0;
  }

  /** Highest QuickJS heap since this boot or the last reset (options.trackMemoryPeak; 0 otherwise or under Node). */
  memoryPeak(reset = false): number {
    return this.engineInstance?.memoryPeak(reset) ?? 0;
  }

  /**
   * Most bytes QuickJS's allocator held at once since this boot or the last
   * reset, kept by the allocator itself (options.trackMemoryPeak, own
   * runtime; 0 otherwise): exact, where memoryPeak() samples QuickJS's own
   * estimate at interrupt polls. Counts what malloc hands out (each block's
   * usable size and header), about a quarter above that estimate.
   */
  allocatorPeak(reset = false): number {
    return this.engineInstance?.allocatorPeak(reset) ?? 0;
  }

  dispose(): void {
    this.teardown();
    this.devices.udp.dispose();
    for (const d of this.disposers.splice(0)) d();
  }

  /** Run `fn` when the phone is disposed (temporary folders of the simulation). */
  onDispose(fn: () => void): void {
    this.disposers.push(fn);
  }

  // ── internals ──

  private start(reason: BootReason, message = ''): void {
    // The boot loader: the updater partition's boot record picks the factory image or an A/B slot.
    let image;
    try {
      image = loadBootImage(this.devices.flash, this.factoryImage);
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
      this.host('power cut in the boot loader');
      this.phoneState = 'off';
      return;
    }
    for (const note of image.notes) this.host(`boot loader: ${note}`);
    if (image.label !== 'factory image') this.host(`boot loader: booting ${image.label}`);
    this.runningSourceMap = image.sourceMap;
    this.runningBuild = image.build ?? null;
    this.power.booting(reason, message);
    this.powerWasCut = false;
    this.phoneState = 'running';
    this.devices.display.setBacklight(100);
    const hal = createHostHal(this.profile, this.devices, this.gate, image.resources);
    const deliver = (label: string, fn: () => void) => this.gate.deliver(label, fn);
    this.engineInstance = this.engine === 'quickjs'
      ? new QuickJsEngine(this.quickjs!, this.profile, image.code, deliver, this.options.trackMemoryPeak ?? false, this.options.sharedCode ?? false)
      : new NodeEngine(image.code, deliver);
    const engine = this.engineInstance;
    this.gate.deliver('boot', () => {
      try {
        engine.boot(hal);
      } catch (e) {
        this.report('boot', e);
        // A budget fault the firmware caught in a job: reported, but the boot itself completed.
        const bootCompleted = e instanceof FaultError && e.firmwareCarriedOn;
        if (this.phoneState === 'running' && !bootCompleted) this.phoneState = 'crashed';
      } finally {
        // Keys held through power-on are let go once the boot has looked at them.
        this.devices.keys.release();
      }
    });
  }

  private runEntry(label: string, fn: () => void): void {
    const engine = this.engineInstance;
    if (!engine || this.phoneState === 'off') return;
    if (label === 'boot') {
      fn();
      return;
    }
    try {
      engine.enter(fn);
    } catch (e) {
      this.report(label, e);
    }
  }

  private afterEntry(): void {
    if (this.powerWasCut && this.phoneState !== 'off') {
      this.host(`power cut (boot count ${this.power.bootCount()})`);
      this.teardown();
      return;
    }
    if (this.engineInstance?.crashed && this.phoneState === 'running') {
      this.host('the firmware engine crashed: restarting the firmware (boot reason crash)');
      this.teardown();
      this.start('crash', 'engine crashed');
      return;
    }
    const reboot = this.power.rebootRequested;
    if (reboot !== null && this.phoneState !== 'off') {
      this.host(`reboot requested: ${reboot}`);
      this.teardown();
      this.start('reboot', reboot);
    }
  }

  private report(label: string, e: unknown): void {
    if (this.powerWasCut) return;
    const fault: FirmwareFault = e instanceof FaultError
      ? { kind: e.kind, message: e.message, stack: condenseStack(this.runningSourceMap.mapStack(e.guestStack)) }
      : { kind: 'firmware-exception', message: String((e as Error)?.message ?? e), stack: condenseStack(this.runningSourceMap.mapStack(String((e as Error)?.stack ?? ''))) };
    this.faults.push(fault);
    this.host(`firmware fault (${fault.kind}) in ${label}: ${fault.message}${fault.stack ? '\n' + fault.stack : ''}`);
  }

  private host(text: string): void {
    this.devices.serial.write(`[sim] ${text}`);
  }

  private teardown(): void {
    this.gate.clear();
    this.engineInstance?.dispose();
    this.engineInstance = null;
    this.devices.clock.reset();
    this.devices.keys.detach();
    this.devices.line.detach();
    this.devices.net.detach();
    // A reboot ends the phone's connections, as on a board.
    this.devices.socket.closeAll();
    this.devices.httpServer.stop();
    this.devices.display.off();
    this.phoneState = 'off';
  }

  private requireRunning(): void {
    if (this.phoneState !== 'running') throw new Error(`the phone is ${this.phoneState}`);
  }
}
