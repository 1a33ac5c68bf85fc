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
import type { KeyName, ScreenText } from '../../../hal/contract';
import { BOARDS } from '../../../hal/boards';
import { DEFAULT_IMAGE, FlashImageError, createPhone, type Phone } from '../../phone';
import type { EngineKind } from '../../phone-api';
import { RealtimePacer } from '../../realtime-pacer';
import { startWebServer, type WebServer } from '../../web/server';
import { boundParty } from '../../../firmware/calls/party-bounds';

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
}

const STDIN_COMMANDS = `
Headless commands on stdin (one per line):
  press KEY...         press keys, e.g. "press soft4 down select" (keys: see the board profile)
  ring NUMBER [NAME]   the far end rings the phone
  answer CALLID        the far end answers a call the phone placed
  hangup [CALLID]      the far end hangs up (all live calls without CALLID)
  cut | on | reboot    cut power, power on, reboot
  screen               print the screen text model
  save                 save the flash image now (needs --flash)
  quit                 save the flash (with --flash) and exit, like Ctrl-C`;

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
    .addHelpText('after', STDIN_COMMANDS)
    .action(async (opts: SimOptions) => runSim(opts));
}

async function runSim(opts: SimOptions): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0..65535, got "${opts.port}"`);
  if (opts.usb && !fs.statSync(opts.usb, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--usb ${opts.usb} is not a folder`);
  if (typeof opts.prov === 'string' && !fs.statSync(opts.prov, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--prov ${opts.prov} is not a folder`);
  // commander leaves `prov` unset (not true) when neither --prov nor --no-prov is given: that means the built-in folder.
  const provisioningDir = typeof opts.prov === 'string' ? path.resolve(opts.prov) : opts.prov === false ? null : undefined;

  let phone: Phone;
  try {
    const updateKeyPem = opts.updateKey ? fs.readFileSync(opts.updateKey, 'utf8') : undefined;
    phone = await createPhone({ board: opts.board, engine: opts.engine, flashImage: opts.flash, usbDir: opts.usb, image: opts.image, provisioningDir, updateKeyPem });
  } catch (e) {
    if (e instanceof FlashImageError) {
      throw new Error(`${e.message}\n  Nothing was changed. Pass another --flash file (a missing file starts from blank flash and is created on exit).`);
    }
    // Other start-up failures with --flash come from its side files (keystore, power record): name them.
    const from = opts.flash ? ` from ${opts.flash} (side files ${opts.flash}.keys.json, ${opts.flash}.power.json)` : '';
    throw new Error(`cannot start the phone${from}: ${(e as Error).message}\n  Nothing was changed.`);
  }

  for (const line of phone.log()) console.log(line);
  phone.onLog((line) => console.log(line));
  await phone.boot();

  let lastScreen = '';
  const printScreen = (force = false) => {
    const text = formatScreen(phone.screen());
    if (force || text !== lastScreen) console.log(text);
    lastScreen = text;
  };
  const pacer = new RealtimePacer(phone, { onTick: opts.web ? undefined : () => printScreen() });
  pacer.start();

  let web: WebServer | null = null;
  // Ctrl-C saves the flash from here on, before the ready line tells anyone the phone is up.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await pacer.stop();
    await web?.close();
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

  if (opts.web) {
    web = await startWebServer({ phone, pacer, port });
    console.log(`phone sim: ${phone.board} (${phone.engine}) browser UI at ${web.url}  (Ctrl-C to stop)`);
  } else {
    printScreen(true);
    console.log(`phone sim: ${phone.board} (${phone.engine}) running headless; type "help" for commands, Ctrl-C to stop`);
  }

  if (process.stdin.readable) {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (line) => {
      runStdinCommand(line.trim(), phone, pacer, opts, () => void stop('quit'), () => printScreen(true))
        .catch((e: Error) => console.error(`phone sim: ${e.message}`));
    });
  }
}

export async function runStdinCommand(line: string, phone: Phone, pacer: RealtimePacer, opts: SimOptions, quit: () => void, showScreen: () => void): Promise<void> {
  const [command, ...args] = line.split(/\s+/);
  switch (command) {
    case '':
      return;
    case 'help':
      return console.log(STDIN_COMMANDS.trim());
    case 'press':
      for (const key of args) {
        if (!phone.profile.keys.includes(key as KeyName)) throw new Error(`board ${phone.board} has no key "${key}" (keys: ${phone.profile.keys.join(' ')})`);
      }
      return pacer.run(() => phone.pressAll(args as KeyName[]));
    case 'ring':
      if (!args[0]) throw new Error('usage: ring NUMBER [NAME]');
      return pacer.run(async () => {
        const caller = boundParty(args[0], args.slice(1).join(' '));
        for (const c of caller.cuts) console.log(`phone sim: ring: caller ${c}`);
        console.log(`phone sim: far end rings from ${caller.address}: ${phone.farEnd.ring(caller.address, caller.name)}`);
        await phone.settle();
      });
    case 'answer':
      if (!args[0]) throw new Error('usage: answer CALLID');
      return pacer.run(async () => { phone.farEnd.answer(args[0]); await phone.settle(); });
    case 'hangup':
      return pacer.run(async () => {
        const ids = args[0] ? [args[0]] : phone.farEnd.calls().filter((c) => c.state !== 'ended').map((c) => c.callId);
        for (const id of ids) phone.farEnd.hangup(id);
        await phone.settle();
      });
    case 'cut':
      return pacer.run(() => phone.cutPower());
    case 'on':
      return pacer.run(() => phone.powerOn());
    case 'reboot':
      return pacer.run(() => phone.reboot('console'));
    case 'screen':
      return showScreen();
    case 'save':
      if (!opts.flash) throw new Error('save: no --flash file given');
      return pacer.run(() => { phone.saveFlash(opts.flash); console.log(`phone sim: flash saved to ${opts.flash}`); });
    case 'quit':
    case 'exit':
      return quit();
    default:
      throw new Error(`unknown command "${command}" (type "help")`);
  }
}

/** The text model as a few console lines: title and status, body (focus marked >), soft keys. */
export function formatScreen(screen: ScreenText): string {
  const head = `── screen ${screen.id}${screen.title ? ` · ${screen.title}` : ''}${screen.status ? ` · ${screen.status}` : ''} ──`;
  const body = screen.lines.map((l, i) => `${i === screen.focus ? '>' : ' '} ${l}`);
  const soft = screen.softKeys.some(Boolean) ? [`  ${screen.softKeys.map((s) => `[${s}]`).join(' ')}`] : [];
  return [head, ...body, ...soft].join('\n');
}
