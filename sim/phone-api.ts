/**
 * What a simulated phone offers its drivers: the CLI, the browser UI, the
 * scenario runner, tests and benchmarks. Implemented by `sim/phone.ts`.
 */
import type { RegistrarControl } from './devices/registrar';
import type { BootReason, CallEndCause, KeyName, LineEvent, ScreenText } from '../hal/contract';

/** Which engine runs the firmware image. */
export type EngineKind = 'quickjs' | 'node';

export interface PhoneOptions {
  /** Board profile id: `desk-500` or `desk-99`. */
  board: string;
  engine?: EngineKind;
  /** Path of a raw flash image file to load (and to save to with `saveFlash()` without argument). Absent: blank flash. */
  flashImage?: string;
  /** Wall clock at power-on, ms since epoch (default 2026-01-01T00:00:00Z). The virtual clock starts there. */
  startTime?: number;
  /** Directory that plays the USB stick; absent: no stick. */
  usbDir?: string;
  /** Path of the firmware bundle (default dist/firmware.js). */
  image?: string;
  /** MAC override (default from the board profile). */
  mac?: string;
  /** Folder served as the provisioning server `sim://prov/` (default: a temporary copy of sim/provisioning/folder; null: none). */
  provisioningDir?: string | null;
  /** Device settings staged into nvram before boot (provisioning server, credentials, trusted CA: see firmware/provisioning/server-settings.ts). */
  deviceSettings?: Record<string, string>;
  /** Public update key (PEM) the factory puts into the updater partition when it holds none (docs/update.md); absent: none, the phone installs no update. */
  updateKeyPem?: string;
  /** Blank flash: let the out-of-box wizard run at first boot (default: staged past it, like a phone from a staging tool). */
  outOfBox?: boolean;
  /**
   * Sample the QuickJS heap at every interrupt poll, host call and entry so
   * `memoryPeak()` is a peak, not an after-value (slow: for tests and benches);
   * a phone with its own runtime also keeps `allocatorPeak()`, exactly.
   */
  trackMemoryPeak?: boolean;
  /**
   * QuickJS only: run in a runtime shared with up to 127 other phones of the
   * same board and image, with one copy of the image's compiled code (fleets:
   * about a third of an idle phone's memory). Each phone keeps its own
   * context, globals, CPU budget and faults; its memory figure is an estimate
   * (sim/host/shared-quickjs-vm.ts says what is given up).
   */
  sharedCode?: boolean;
}

/** A line event log entry as seen from the far end. */
export interface FarEndCall {
  callId: string;
  direction: 'incoming' | 'outgoing';
  remote: string;
  state: 'ringing' | 'connected' | 'held' | 'ended';
}

/** Script for how the far end behaves when the phone dials out. */
export interface FarEndBehaviour {
  /** What happens to calls to this target ('*' = any). */
  target: string;
  action: 'answer' | 'busy' | 'no-answer' | 'reject' | 'forward';
  /** Delay before the action, ms of virtual time. */
  afterMs?: number;
  /** For `forward`: the new target. */
  forwardTo?: string;
  /** Hang up from the far end this long after answering. */
  hangupAfterMs?: number;
}

export interface FarEnd {
  /** Ring the phone; returns the call id. */
  ring(from: string, name?: string): string;
  /** Far end answers an outgoing call. */
  answer(callId: string): void;
  /** Far end hangs up. */
  hangup(callId: string): void;
  /** Far end transfers a connected call to `target`: the phone is then connected to that party. */
  transfer(callId: string, target: string, name?: string): void;
  /** The network ends a call with this cause (answered elsewhere, preempted, error, ...). */
  end(callId: string, cause: CallEndCause, sipCode?: number): void;
  /** Send a SIP NOTIFY (e.g. check-sync with params). */
  notify(event: string, params?: Record<string, string>): void;
  /** Scripted behaviour for calls the phone places. */
  script(behaviours: FarEndBehaviour[]): void;
  /** The script in force (empty: calls the phone places ring until answered by hand). */
  scripted(): FarEndBehaviour[];
  calls(): FarEndCall[];
  /** Every event sent to the phone, in order. */
  sent(): LineEvent[];
  /** The registrar the phone's lines register with (accepts every account unless scripted). */
  registrar: RegistrarControl;
}

export interface FlashStats {
  partitions: { name: string; size: number; blockSize: number; eraseCounts: number[]; programBytes: number }[];
}

export type PhoneState = 'running' | 'off' | 'crashed';

export interface SimulatedPhone {
  readonly board: string;
  readonly engine: EngineKind;
  readonly state: PhoneState;
  /** Power on and run the boot sequence until it settles. */
  boot(): Promise<void>;
  /** Press and release a key (pumps the VM). */
  press(key: KeyName): Promise<void>;
  /** Press several keys in order. */
  pressAll(keys: KeyName[]): Promise<void>;
  /** Advance virtual time, firing due timers in order. */
  advance(ms: number): Promise<void>;
  /** Let pending host I/O (network, etc.) settle and pump guest jobs. */
  settle(): Promise<void>;
  /** The text model of the current screen. */
  screen(): ScreenText;
  /** The framebuffer as PNG bytes. */
  screenshotPng(): Buffer;
  farEnd: FarEnd;
  /** Hold keys down through the next power-on or reboot (the updater's recovery key combination). */
  holdKeysAtBoot(keys: KeyName[]): void;
  /** Cut power now (or after `afterOps` more flash program/erase operations). */
  cutPower(afterOps?: number): void;
  /** Power back on (boot reason power-cut when power was cut, else power-on). */
  powerOn(): Promise<void>;
  /** Serial console and firmware log lines, oldest first. */
  log(): string[];
  onLog(listener: (line: string) => void): () => void;
  onScreen(listener: (screen: ScreenText) => void): () => void;
  flashStats(): FlashStats;
  /** Raw flash dump: all partitions concatenated in board order. */
  dumpFlash(): Buffer;
  saveFlash(path?: string): void;
  lastBootReason(): BootReason;
  /** Guest memory use (QuickJS runtime) in bytes; for node engine, heap delta estimate. */
  memoryUsage(): number;
  /** Where the phone's own web interface listens now (`https://127.0.0.1:PORT`); null while it serves no such scheme. */
  webUrls(): { http: string | null; https: string | null };
  /** Power off and release everything (the QuickJS runtime included). */
  dispose(): void;
}
