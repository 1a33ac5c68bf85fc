/**
 * The board file: where a Linux board's devices are (MTD partition names,
 * framebuffer, input device and keymap, LEDs, USB mount point, watchdog,
 * serial console, baresip's ctrl_tcp) and where the phone keeps its state.
 * One JSON file per board; the repository ships the defaults of each board
 * profile in boards/<id>.json (README "Bring up a dev board" lists every field).
 *
 * A board file is checked as a whole before anything is opened: an unknown
 * board, an unknown or missing field, a keymap entry that names no key of the
 * board — each is refused with a message naming the file and the field, so
 * `phone run` exits at once instead of booting half a phone.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { KeyName, LedName } from '../contract';
import { BOARDS, isBoardId } from '../boards';
import { defaultKeymap } from './keymaps';
import { DEFAULT_MARK_GOOD_COMMAND } from './rauc-mark-good';

export interface BoardFile {
  /** Board profile id (hal/boards.ts), e.g. `desk-500`. */
  board: string;
  /** 12 hex digits; absent: the profile's. */
  mac?: string;
  /** Serial number; absent: the profile's. */
  serialNumber?: string;
  /** Where the phone keeps its state across boots (boot record, clock offset). */
  stateDir: string;
  flash: {
    /** Firmware partition name (nvram, fs, updater) → MTD partition name in /proc/mtd. */
    partitions: Record<string, string>;
    /** Close and reopen the MTD device after every program/erase (block2mtd reaches its disk only then). */
    writeThrough: boolean;
  };
  /** `backlight`: a /sys/class/backlight/<name> directory; absent: no backlight control. */
  display: { device: string; backlight?: string };
  keys: {
    /** Input device name as in /sys/class/input/event* /device/name. */
    deviceName: string;
    /** Linux KEY_* code (decimal, as a string) → key of the board; absent in the file: the board's default (hal/linux/keymaps.ts), filled in here. */
    keymap: Record<string, KeyName>;
  };
  keystore: { dir: string };
  /** HAL LED → name under /sys/class/leds; an LED not listed is not fitted. */
  leds: Partial<Record<LedName, string>>;
  /** Absent: the board has no USB port. */
  usb?: { mountPoint: string };
  /** Interface whose /sys/class/net/<if>/operstate is the link state. */
  net: { interface: string };
  /** Absent: no hardware watchdog. */
  watchdog?: { device: string };
  /** Absent: serial log on stdout only. */
  serial?: { device: string };
  line: { baresip: { host: string; port: number } };
  /** `setSystemTime`: an NTP or manual time also sets the system clock (`date -s`, needs root). */
  clock: { setSystemTime: boolean };
  power: {
    /** Run to reboot the board; `[]` restarts the firmware in the running process (dev boards without root). */
    rebootCommand: string[];
    /** A file the board's boot firmware fills with a boot reason (`watchdog`, `power-cut`, ...); optional. */
    bootReasonFile?: string;
  };
  /**
   * The phone's own web server. `listenAddress`: default `0.0.0.0` (every interface);
   * `httpPort` / `httpsPort`: where the board listens, default the firmware's
   * `httpd.cfg.port` / `httpd.cfg.secureTunnelPort` (80 / 443; below 1024 needs root or CAP_NET_BIND_SERVICE); 0: any free port (tests, dev boards).
   */
  httpServer: { listenAddress: string; httpPort?: number; httpsPort?: number };
  /** Absent: `rauc` off. */
  update?: {
    /** RAUC manages the board's A/B slots: the booted slot is marked good once the firmware first shows idle (docs/update.md). */
    rauc: boolean;
    /** The command that marks the booted slot good; default `rauc status mark-good`. */
    markGoodCommand: string[];
  };
}

/** Where the shipped defaults live: boards/<id>.json at the repository root. */
export const BOARD_FILES_DIR = path.resolve(__dirname, '..', '..', 'boards');
export const DEFAULT_REBOOT_COMMAND = ['systemctl', 'reboot'];

export class BoardFileError extends Error {}

const LED_NAMES: LedName[] = ['messageWaiting', 'line1', 'line2', 'line3', 'line4', 'mute', 'speaker', 'headset'];
const PARTITIONS = ['nvram', 'fs', 'updater'];

/**
 * The board file for `boardId`: `file` when given, else boards/<boardId>.json.
 * Throws BoardFileError naming the file and field at the first problem.
 */
export function loadBoardFile(file: string | undefined, boardId: string): BoardFile {
  if (!isBoardId(boardId)) throw new BoardFileError(`unknown board "${boardId}" (known: ${Object.keys(BOARDS).join(', ')})`);
  const source = file ?? path.join(BOARD_FILES_DIR, `${boardId}.json`);
  let text: string;
  try {
    text = fs.readFileSync(source, 'utf8');
  } catch (e) {
    throw new BoardFileError(`board file ${source}: cannot read it: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BoardFileError(`board file ${source}: not JSON: ${(e as Error).message}`);
  }
  const board = parseBoardFile(raw, source);
  if (board.board !== boardId) throw new BoardFileError(`board file ${source}: field "board" is "${board.board}" but --board is "${boardId}"`);
  return board;
}

/** Check a parsed board file; `source` names it in messages. */
export function parseBoardFile(raw: unknown, source: string): BoardFile {
  const r = new FieldReader(source);
  const top = r.object(raw, '');
  r.known(top, '', ['board', 'mac', 'serialNumber', 'stateDir', 'flash', 'display', 'keys', 'keystore', 'leds', 'usb', 'net', 'watchdog', 'serial', 'line', 'clock', 'power', 'update', 'httpServer', 'comment']);
  const boardId = r.string(top, 'board');
  if (!isBoardId(boardId)) r.fail('board', `unknown board "${boardId}" (known: ${Object.keys(BOARDS).join(', ')})`);
  const profile = BOARDS[boardId];

  const mac = r.optionalString(top, 'mac');
  if (mac !== undefined && !/^[0-9a-f]{12}$/.test(mac)) r.fail('mac', `"${mac}" is not 12 lower-case hex digits`);

  const flash = r.object(top.flash, 'flash');
  r.known(flash, 'flash', ['partitions', 'writeThrough']);
  const partitionsRaw = r.object(flash.partitions, 'flash.partitions');
  const partitions: Record<string, string> = {};
  for (const [name, value] of Object.entries(partitionsRaw)) {
    if (!PARTITIONS.includes(name)) r.fail(`flash.partitions.${name}`, `unknown partition (the firmware's partitions: ${PARTITIONS.join(', ')})`);
    partitions[name] = r.string(partitionsRaw, name, `flash.partitions.${name}`);
  }
  for (const p of profile.flash.partitions) if (!(p.name in partitions)) r.fail(`flash.partitions.${p.name}`, 'missing (the MTD partition name that holds it)');

  const display = r.object(top.display, 'display');
  r.known(display, 'display', ['device', 'backlight']);

  const keys = r.object(top.keys, 'keys');
  r.known(keys, 'keys', ['deviceName', 'keymap']);
  const keymapRaw = keys.keymap === undefined ? undefined : r.object(keys.keymap, 'keys.keymap');
  const keymap: Record<string, KeyName> = {};
  for (const [code, key] of Object.entries(keymapRaw ?? {})) {
    const field = `keys.keymap.${code}`;
    if (!/^\d+$/.test(code) || Number(code) > 0x2ff) r.fail(field, `"${code}" is not a Linux KEY_* code (a decimal number up to 767)`);
    if (typeof key !== 'string' || !(profile.keys as string[]).includes(key)) {
      r.fail(field, `${JSON.stringify(key)} is not a key of board ${boardId} (keys: ${profile.keys.join(' ')})`);
    }
    keymap[code] = key as KeyName;
  }

  const keystore = r.object(top.keystore, 'keystore');
  r.known(keystore, 'keystore', ['dir']);

  const ledsRaw = top.leds === undefined ? {} : r.object(top.leds, 'leds');
  const leds: Partial<Record<LedName, string>> = {};
  for (const name of Object.keys(ledsRaw)) {
    if (!(LED_NAMES as string[]).includes(name)) r.fail(`leds.${name}`, `unknown LED (LEDs: ${LED_NAMES.join(', ')})`);
    leds[name as LedName] = r.string(ledsRaw, name, `leds.${name}`);
  }

  const optionalDevice = <K extends string>(key: 'usb' | 'watchdog' | 'serial', field: K): Record<K, string> | undefined => {
    if (top[key] === undefined || top[key] === null) return undefined;
    const o = r.object(top[key], key);
    r.known(o, key, [field]);
    return { [field]: r.string(o, field, `${key}.${field}`) } as Record<K, string>;
  };

  const net = top.net === undefined ? { interface: 'eth0' } : r.object(top.net, 'net');
  r.known(net, 'net', ['interface']);

  const line = r.object(top.line, 'line');
  r.known(line, 'line', ['baresip']);
  const baresip = r.object(line.baresip, 'line.baresip');
  r.known(baresip, 'line.baresip', ['host', 'port']);
  const port = baresip.port;
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) r.fail('line.baresip.port', `${JSON.stringify(port)} is not a TCP port (1..65535)`);

  const clock = top.clock === undefined ? {} : r.object(top.clock, 'clock');
  r.known(clock, 'clock', ['setSystemTime']);
  const power = top.power === undefined ? {} : r.object(top.power, 'power');
  r.known(power, 'power', ['rebootCommand', 'bootReasonFile']);
  const rebootCommand = power.rebootCommand === undefined ? DEFAULT_REBOOT_COMMAND : power.rebootCommand;
  if (!Array.isArray(rebootCommand) || rebootCommand.some((w) => typeof w !== 'string' || w === '')) {
    r.fail('power.rebootCommand', `${JSON.stringify(rebootCommand)} is not a command as a list of words, e.g. ["systemctl","reboot"] ([] restarts the firmware in-process)`);
  }

  const update = top.update === undefined ? undefined : r.object(top.update, 'update');
  if (update) r.known(update, 'update', ['rauc', 'markGoodCommand']);
  const markGoodCommand = update?.markGoodCommand ?? DEFAULT_MARK_GOOD_COMMAND;
  if (!Array.isArray(markGoodCommand) || markGoodCommand.length === 0 || markGoodCommand.some((w) => typeof w !== 'string' || w === '')) {
    r.fail('update.markGoodCommand', `${JSON.stringify(markGoodCommand)} is not a command as a list of words, e.g. ["rauc","status","mark-good"]`);
  }

  const httpServer = top.httpServer === undefined ? {} : r.object(top.httpServer, 'httpServer');
  r.known(httpServer, 'httpServer', ['listenAddress', 'httpPort', 'httpsPort']);
  for (const key of ['httpPort', 'httpsPort']) {
    const v = httpServer[key];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535)) r.fail(`httpServer.${key}`, `${JSON.stringify(v)} is not a TCP port (1..65535, or 0: any free port)`);
  }

  const serialNumber = r.optionalString(top, 'serialNumber');
  return {
    board: boardId,
    ...(mac !== undefined ? { mac } : {}),
    ...(serialNumber !== undefined ? { serialNumber } : {}),
    stateDir: r.string(top, 'stateDir'),
    flash: { partitions, writeThrough: r.optionalBoolean(flash, 'writeThrough', 'flash.writeThrough') ?? false },
    display: { device: r.string(display, 'device', 'display.device'), ...withDefined('backlight', r.optionalString(display, 'backlight', 'display.backlight')) },
    keys: { deviceName: r.string(keys, 'deviceName', 'keys.deviceName'), keymap: keymapRaw ? keymap : { ...defaultKeymap(boardId) } },
    keystore: { dir: r.string(keystore, 'dir', 'keystore.dir') },
    leds,
    ...withDefined('usb', optionalDevice('usb', 'mountPoint')),
    net: { interface: r.string(net, 'interface', 'net.interface') },
    ...withDefined('watchdog', optionalDevice('watchdog', 'device')),
    ...withDefined('serial', optionalDevice('serial', 'device')),
    line: { baresip: { host: r.string(baresip, 'host', 'line.baresip.host'), port: port as number } },
    clock: { setSystemTime: r.optionalBoolean(clock, 'setSystemTime', 'clock.setSystemTime') ?? false },
    power: {
      rebootCommand: [...(rebootCommand as string[])],
      ...withDefined('bootReasonFile', r.optionalString(power, 'bootReasonFile', 'power.bootReasonFile')),
    },
    httpServer: {
      listenAddress: r.optionalString(httpServer, 'listenAddress', 'httpServer.listenAddress') ?? '0.0.0.0',
      ...withDefined('httpPort', httpServer.httpPort as number | undefined),
      ...withDefined('httpsPort', httpServer.httpsPort as number | undefined),
    },
    ...(update ? { update: { rauc: r.optionalBoolean(update, 'rauc', 'update.rauc') ?? false, markGoodCommand: [...(markGoodCommand as string[])] } } : {}),
  } as BoardFile;
}

function withDefined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Reads fields of untrusted JSON; every failure names the file and the dotted field. */
class FieldReader {
  constructor(private readonly source: string) {}

  fail(field: string, what: string): never {
    throw new BoardFileError(`board file ${this.source}: field "${field}": ${what}`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (value === undefined) this.fail(field, 'missing');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field || '(top level)', `expected an object, got ${JSON.stringify(value)}`);
    return value as Record<string, unknown>;
  }

  known(o: Record<string, unknown>, prefix: string, fields: string[]): void {
    for (const k of Object.keys(o)) {
      if (!fields.includes(k)) this.fail(prefix ? `${prefix}.${k}` : k, `unknown field (known here: ${fields.join(', ')})`);
    }
  }

  string(o: Record<string, unknown>, key: string, field = key): string {
    const v = o[key];
    if (v === undefined) this.fail(field, 'missing');
    if (typeof v !== 'string' || v === '') this.fail(field, `expected a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  }

  optionalString(o: Record<string, unknown>, key: string, field = key): string | undefined {
    if (o[key] === undefined) return undefined;
    return this.string(o, key, field);
  }

  optionalBoolean(o: Record<string, unknown>, key: string, field: string): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(field, `expected true or false, got ${JSON.stringify(v)}`);
    return v;
  }
}
