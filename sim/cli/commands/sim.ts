/**
 * `phone sim`: run one simulated phone in real time, headless (screen text and
 * log on stdout, simple commands on stdin) or with the browser UI (`--web`).
 * With `--flash FILE` the flash image is loaded at start (refused when it does
 * not fit the board) and saved on Ctrl-C.
 */
import { Command, Option } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { BOARDS } from '../../../hal/boards';
import { DEFAULT_IMAGE, FlashImageError, createPhone, type Phone } from '../../phone';
import type { EngineKind } from '../../phone-api';
import { RealtimePacer } from '../../realtime-pacer';
import { ROOT } from '../../../build/image-banner';
import { loadFirmwareImage } from '../../host/firmware-image-cache';
import { FirmwareReloader } from '../../host/firmware-reloader';
import { startWebServer, type ServedPhone, type WebServer } from '../../web/server';
import { tracesOf } from '../../web/trace-recorder';
import { MAX_NETWORK_PHONES, createNetworkedPhones, phoneNames } from '../../phone-network';
import { formatScreen } from '../screen-text';
import { CallWatcher, TERMINAL_COMMANDS, runTerminalCommand } from '../terminal';
import { NETWORK_TERMINAL_COMMANDS, startNetworkTerminal } from '../network-terminal';

export { formatScreen };

interface SimOptions {
  board: string;
  engine: EngineKind;
  flash?: string;
  usb?: string;
  /** Folder for `sim://prov/`; true or unset: a copy of the built-in folder; false (--no-prov): no provisioning server. */
  prov?: string | boolean;
  web?: boolean;
  port: string;
  image: string;
  updateKey?: string;
  mac?: string;
  time?: string;
  quiet?: boolean;
  /** Unset: a prompt when stdin is a terminal. */
  prompt?: boolean;
  /** Rebuild the image on a change under firmware/ and reboot the phone on it. */
  watch?: boolean;
  /** Phones on one virtual SIP network (browser UI only). */
  phones?: string;
}

export function simCommand(): Command {
  return new Command('sim')
    .description('run one simulated phone in real time: headless (screen text and log on stdout) or with the browser UI (--web)')
    .addOption(new Option('-b, --board <id>', 'board profile').choices(Object.keys(BOARDS)).default('desk-500'))
    .addOption(new Option('-e, --engine <engine>', 'engine that runs the firmware image').choices(['quickjs', 'node']).default('quickjs'))
    .option('-f, --flash <file>', 'raw flash image: loaded at start if it exists (refused if it does not fit the board), saved on Ctrl-C')
    .option('--usb <dir>', 'folder that plays the USB stick')
    .option('--prov <dir>', 'folder served as the provisioning server sim://prov/, in place (default: a temporary copy of sim/provisioning/folder)')
    .option('--no-prov', 'no built-in provisioning server')
    .option('--web', 'start the browser UI on 127.0.0.1 and print its URL')
    .option('-p, --port <n>', 'port of the browser UI (0: any free port)', '8500')
    .option('--image <file>', 'firmware bundle to run', path.relative(process.cwd(), DEFAULT_IMAGE) || DEFAULT_IMAGE)
    .option('--update-key <pem>', 'update key (phone keygen\'s FILE or FILE.pub.pem) put into a blank updater partition: the phone then installs update files signed with it (docs/update.md)')
    .option('--mac <mac>', 'the phone\'s MAC address, e.g. 00:04:f2:12:34:56 (default: the board profile\'s); names its provisioning files <mac>.cfg')
    .option('-t, --time <when>', 'the phone\'s wall clock at power-on: an ISO 8601 time (e.g. 2026-03-02T08:30:00Z) or "now"', 'now')
    .option('-q, --quiet', 'terminal mode: print only what commands answer (no log lines, no screen on every change)')
    .option('--phones <n>', `run N phones (A, B, …; extensions 1001, 1002, …) on one virtual SIP network: a tab each in the browser UI, or "phone B" in terminal mode (1–${MAX_NETWORK_PHONES})`, '1')
    .option('-w, --watch', 'rebuild the image (--image) when a file under firmware/ changes and reboot the phone on it, keeping its flash')
    .option('--prompt', 'terminal mode: show a "phone>" prompt (default when stdin is a terminal)')
    .option('--no-prompt', 'terminal mode: no prompt')
    .addHelpText('after', TERMINAL_COMMANDS + '\n' + NETWORK_TERMINAL_COMMANDS)
    .action(async (opts: SimOptions) => runSim(opts));
}

async function runSim(opts: SimOptions): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0..65535, got "${opts.port}"`);
  if (opts.usb && !fs.statSync(opts.usb, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--usb ${opts.usb} is not a folder`);
  if (typeof opts.prov === 'string' && !fs.statSync(opts.prov, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--prov ${opts.prov} is not a folder`);
  // commander leaves `prov` unset (not true) when neither --prov nor --no-prov is given: that means the built-in folder.
  const provisioningDir = typeof opts.prov === 'string' ? path.resolve(opts.prov) : opts.prov === false ? null : undefined;
  const mac = opts.mac === undefined ? undefined : parseMac(opts.mac);
  const startTime = parseStartTime(opts.time ?? 'now');
  const phoneCount = Number(opts.phones ?? '1');
  if (!Number.isInteger(phoneCount) || phoneCount < 1 || phoneCount > MAX_NETWORK_PHONES) throw new Error(`--phones must be a whole number 1–${MAX_NETWORK_PHONES}, got "${opts.phones}"`);
  if (phoneCount > 1) {
    if (opts.flash) throw new Error('--phones N runs each phone on its own blank flash: --flash is for one phone');
    return runNetworkedSim(opts, phoneCount, { provisioningDir, mac, startTime, port });
  }

  let phone: Phone;
  try {
    const updateKeyPem = opts.updateKey ? fs.readFileSync(opts.updateKey, 'utf8') : undefined;
    phone = await createPhone({ board: opts.board, engine: opts.engine, flashImage: opts.flash, usbDir: opts.usb, image: opts.image, provisioningDir, mac, startTime, updateKeyPem });
  } catch (e) {
    if (e instanceof FlashImageError) {
      throw new Error(`${e.message}\n  Nothing was changed. Pass another --flash file (a missing file starts from blank flash and is created on exit).`);
    }
    // Other start-up failures with --flash come from its side files (keystore, power record): name them.
    const from = opts.flash ? ` from ${opts.flash} (side files ${opts.flash}.keys.json, ${opts.flash}.power.json)` : '';
    throw new Error(`cannot start the phone${from}: ${(e as Error).message}\n  Nothing was changed.`);
  }

  // Quiet: only what commands answer. The browser UI shows the log itself; the terminal prints it.
  const terminal = !opts.web;
  const quiet = terminal && opts.quiet === true;
  if (!quiet) {
    for (const line of phone.log()) console.log(line);
    phone.onLog((line) => console.log(line));
  }
  // The browser UI's traces start with the boot (provisioning, flash writes).
  if (opts.web) tracesOf(phone);
  await phone.boot();

  let lastScreen = '';
  const printScreen = (force = false) => {
    const text = formatScreen(phone.screen());
    if (force || text !== lastScreen) console.log(text);
    lastScreen = text;
  };
  const calls = new CallWatcher(phone, (line) => console.log(line));
  const pacer = new RealtimePacer(phone, {
    onTick: terminal && !quiet ? () => { if (phone.state === 'running') printScreen(); calls.check(); } : undefined,
  });
  pacer.start();

  let web: WebServer | null = null;
  const reloader = opts.watch ? watchFirmware([{ phone, pacer }], path.resolve(opts.image)) : null;
  // Ctrl-C saves the flash from here on, before the ready line tells anyone the phone is up.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    reloader?.close();
    await pacer.stop();
    await web?.close();
    // The terminal user's last look at the phone.
    if (terminal && !quiet) calls.check();
    if (terminal && phone.state === 'running') printScreen(true);
    let code = 0;
    if (opts.flash) {
      try {
        phone.saveFlash(opts.flash);
        console.log(`phone sim: flash saved to ${opts.flash}`);
      } catch (e) {
        console.error(`phone sim: could not save the flash to ${opts.flash}: ${(e as Error).message}`);
        code = 1;
      }
    }
    phone.dispose();
    console.log(`phone sim: stopped (${signal})`);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await printPhoneWebUrl(phone);
  if (opts.web) {
    web = await startWebServer({ phone, pacer, port });
    console.log(`phone sim: ${phone.board} (${phone.engine}) browser UI at ${web.url}  (Ctrl-C to stop)`);
  } else {
    if (!quiet) printScreen(true);
    console.log(`phone sim: ${phone.board} (${phone.engine}) running headless; type "help" for commands, Ctrl-C to stop`);
  }

  if (process.stdin.readable) {
    const prompt = terminal && (opts.prompt ?? process.stdin.isTTY === true);
    const rl = readline.createInterface({ input: process.stdin, output: prompt ? process.stdout : undefined, terminal: prompt && process.stdin.isTTY === true, prompt: 'phone> ' });
    // One command at a time, in the order typed: a line waits for the previous command to finish.
    let previous: Promise<void> = Promise.resolve();
    rl.on('line', (line) => {
      previous = previous.then(async () => {
        try {
          await runTerminalCommand(line, { phone, pacer, flashFile: opts.flash, quit: () => stop('quit') });
        } catch (e) {
          console.error(`phone sim: ${(e as Error).message}`);
        }
        if (stopping) return;
        // What the command changed, at once rather than at the next tick.
        if (!quiet) {
          if (phone.state === 'running') printScreen();
          calls.check();
        }
        if (prompt) rl.prompt();
      });
    });
    if (prompt) rl.prompt();
  }
}

/** `--phones N --web`: N phones on one SIP network, each paced in real time, one browser UI to switch between them. */
async function runNetworkedSim(opts: SimOptions, count: number, o: { provisioningDir: string | null | undefined; mac?: string; startTime: number; port: number }): Promise<void> {
  const { phones } = await createNetworkedPhones(phoneNames(count), {
    board: opts.board, engine: opts.engine, usbDir: opts.usb, image: opts.image, provisioningDir: o.provisioningDir, mac: o.mac, startTime: o.startTime,
  });
  const served: ServedPhone[] = [];
  for (const p of phones) {
    tracesOf(p.phone);
    await p.phone.boot();
    const pacer = new RealtimePacer(p.phone);
    pacer.start();
    served.push({ ...p, pacer });
  }
  const reloader = opts.watch ? watchFirmware(served, path.resolve(opts.image)) : null;
  const web = opts.web ? await startWebServer({ phone: served[0].phone, phones: served, port: o.port }) : null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    reloader?.close();
    for (const s of served) await s.pacer.stop();
    await web?.close();
    for (const s of served) {
      if (!opts.web && s.phone.state === 'running') console.log(formatScreen(s.phone.screen()).split('\n').map((l) => `${s.name}| ${l}`).join('\n'));
      s.phone.dispose();
    }
    console.log(`phone sim: stopped (${signal})`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  console.log(`phone sim: ${count} ${opts.board} phones on one SIP network: ${served.map((s) => `${s.name} = ${s.extension}`).join(', ')}`);
  if (web) {
    console.log(`phone sim: browser UI at ${web.url}  (Ctrl-C to stop)`);
    return;
  }
  const quiet = opts.quiet === true;
  startNetworkTerminal(served, { quiet, prompt: opts.prompt ?? process.stdin.isTTY === true, quit: () => stop('quit') });
}

/** `--watch`: each saved change under firmware/ rebuilds `imagePath` and reboots the phone on it (flash kept). */
function watchFirmware(targets: { phone: Phone; pacer: RealtimePacer }[], imagePath: string): FirmwareReloader {
  const folder = path.join(ROOT, 'firmware');
  console.log(`phone sim: watching ${path.relative(process.cwd(), folder) || folder} for changes (rebuilds ${path.relative(process.cwd(), imagePath)})`);
  return new FirmwareReloader({
    folders: [folder],
    rebuild: async () => {
      // Loaded only with --watch: esbuild is not needed to run a phone.
      const { buildFirmware } = await import('../../../build/bundle');
      await buildFirmware(imagePath);
      return loadFirmwareImage(imagePath);
    },
    onImage: async (image, { changedAt, builtAt }) => {
      if (image.build && targets.every(({ phone }) => image.build!.hash === phone.build?.hash)) {
        console.log(`phone sim: rebuilt in ${Math.round(builtAt - changedAt)} ms: same code as running (${image.build.hash}), no reboot`);
        return;
      }
      await Promise.all(targets.map(({ phone, pacer }) => pacer.run(() => phone.reloadImage(image))));
      const done = performance.now();
      const b = image.build;
      console.log(`phone sim: rebuilt ${b?.version ?? ''} ${b?.hash ?? ''} in ${Math.round(builtAt - changedAt)} ms, rebooted on it in ${Math.round(done - builtAt)} ms (${Math.round(done - changedAt)} ms from the change; flash kept)`);
    },
    onError: (e) => {
      const errors = 'errors' in e ? (e as unknown as { errors: { text: string; location?: { file: string; line: number } }[] }).errors.map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`) : [e.message];
      console.error(`phone sim: rebuild failed, the phone keeps running the last good image:\n  ${errors.join('\n  ')}`);
    },
  });
}

/** `--time`: "now" (the host's clock, to the second) or an ISO 8601 time. */
export function parseStartTime(text: string): number {
  if (text === 'now') return Math.floor(Date.now() / 1000) * 1000;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`--time "${text}" is not an ISO 8601 time (e.g. 2026-03-02T08:30:00Z) or "now"`);
  return ms;
}

/** "00:04:f2:12:34:56", "00-04-F2-12-34-56" or "0004f2123456" as the 12 lower-case hex digits the firmware uses. */
export function parseMac(text: string): string {
  const digits = text.replace(/[:.-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(digits)) throw new Error(`--mac "${text}" is not a MAC address (12 hex digits, e.g. 00:04:f2:12:34:56)`);
  return digits;
}

/** The phone's own web interface (Web Configuration Utility), once its server listens (a second at most). */
async function printPhoneWebUrl(phone: Phone): Promise<void> {
  for (let i = 0; i < 100 && phone.state === 'running'; i++) {
    const urls = phone.webUrls();
    if (urls.https || urls.http) {
      console.log(`phone sim: phone web interface at ${urls.https ?? urls.http}${urls.https ? ' (self-signed certificate)' : ''}`);
      return;
    }
    await phone.settle();
    await new Promise((r) => setTimeout(r, 10));
  }
  console.log('phone sim: the phone\'s web interface is off');
}
