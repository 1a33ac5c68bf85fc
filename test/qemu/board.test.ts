/**
 * The Linux board on a real kernel (QEMU guest, test/qemu/guest.ts): the firmware image runs under bootBoard on
 * mtdram NOR partitions, vfb and a uinput keypad. One guest boot (test/qemu/guest-scripts/board-session.ts) makes
 * every observation; the tests here judge them: keys change the screen, /dev/fb0 holds what the simulator draws
 * after the same keys, the flash read through MTD is a store `phone inspect` reads, a misaligned erase is refused
 * and reported, a missing framebuffer and an unplugged keypad are told clearly.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { KeyName, ScreenText } from '../../hal/contract';
import { boardProfile } from '../../hal/boards';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { inspectImage } from '../../sim/cli/commands/inspect';
import { bundleForGuest, guestNode, PHONE_CLI } from './guest-bundle';
import { bootGuest, type GuestRun } from './guest';
import { reportGuestRun, requireGuest } from './guest-session';
import { mtdramScript } from './mtd-setup';
import { framebufferRegion, pixelDifference, simulatorPicture } from './simulator-picture';
import { writeTestBoardFile } from './test-board-file';
import { FB_BITS, vfbMode } from './vfb-setup';

const BOARD = 'desk-500';
/** Menu, move down, open Contacts: screens without the line's state (the guest has no SIP server). */
const TAPS: KeyName[] = ['soft4', 'down', 'select'];
const START_TIME = Date.UTC(2026, 0, 1, 9, 0, 0);

interface SessionReport {
  misalignedErase: string | null;
  noFb: { code: number | null; signal: string | null; ms: number; output: string[] };
  firstScreen?: { screen: ScreenText; ms: number };
  idle?: { screen: ScreenText; ms: number };
  taps?: { key: KeyName; screen: ScreenText; fb: string; ms: number }[];
  replug?: { answered: boolean; ms: number; screen: ScreenText; output: string[] };
  runningAfterReplug?: boolean;
  stop?: { code: number | null; signal: string | null };
  output?: string[];
}

const ctx = { results: '', run: null as GuestRun | null, report: null as SessionReport | null };
const board = suite('linux board on a real kernel');

board.before(async () => {
  try {
    await runSession();
  } catch (e) {
    // uvu prints nothing for a failing before-hook (the run counts it as "0 / N"): say why here.
    console.error(`\n  board session failed: ${(e as Error).message}`);
    removeResults(); // uvu runs no after-hook when a before-hook throws
    throw e;
  }
});

async function runSession(): Promise<void> {
  requireGuest();
  if (!fs.existsSync(DEFAULT_IMAGE)) throw new Error(`no firmware image at ${DEFAULT_IMAGE}: run "node bin/phone.js build" first`);
  ctx.results = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-board-'));
  const cli = bundleForGuest(PHONE_CLI, path.join(ctx.results, 'phone.js'), { sourceMap: false });
  const session = bundleForGuest(path.join(__dirname, 'guest-scripts/board-session.ts'), path.join(ctx.results, 'board-session.js'));
  const boardFile = path.join(ctx.results, 'board.json');
  writeTestBoardFile(boardFile, BOARD, { stateDir: '/tmp/phone', writeThrough: false });
  const plan = path.join(ctx.results, 'plan.json');
  fs.writeFileSync(plan, JSON.stringify({
    // Node runs the image in the guest: under TCG QuickJS exceeds the boot's CPU-time budget (10 s) mounting the store.
    cli, image: DEFAULT_IMAGE, engine: 'node', boardFile, report: path.join(ctx.results, 'report.json'), results: ctx.results,
    fbMode: vfbMode(BOARD), taps: TAPS, afterReplug: 'back', startTime: START_TIME,
  }));
  ctx.run = await bootGuest({
    resultsDir: ctx.results, timeoutMs: 240_000,
    script: [
      ...mtdramScript(BOARD),
      'modprobe uinput && modprobe evdev || exit 11',
      guestNode(session, [plan]),
      'code=$?',
      `cat /dev/mtd0 > ${ctx.results}/flash.img`,
      'exit $code',
    ].join('\n'),
  });
  reportGuestRun('board session', ctx.run);
  const reportFile = path.join(ctx.results, 'report.json');
  ctx.report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : null;
  if (ctx.run.exitCode !== 0) {
    throw new Error(`guest session failed (exit ${ctx.run.exitCode}, ${ctx.run.failure ?? 'script error'}):\n${ctx.run.console.split('\n').slice(-40).join('\n')}`);
  }
}

board.after(() => {
  removeResults();
});

/** QEMU_KEEP_RESULTS=1 keeps the guest's results (framebuffer copies, flash image, report) for a look. */
function removeResults(): void {
  if (!ctx.results) return;
  if (process.env.QEMU_KEEP_RESULTS) console.log(`  [qemu] results kept in ${ctx.results}`);
  else fs.rmSync(ctx.results, { recursive: true, force: true });
  ctx.results = '';
}

board('a misaligned erase is refused by the kernel and MtdFlash says so', () => {
  const message = ctx.report?.misalignedErase ?? '';
  assert.match(message, /^BoardDeviceError: \/dev\/mtd\d+: erase of 4096 bytes at 100 refused by the kernel/);
  assert.match(message, /EINVAL/);
  assert.match(message, /4096-byte erase blocks/);
});

board('without a framebuffer phone run exits once, naming the device', () => {
  const r = ctx.report!.noFb;
  assert.is(r.code, 69, `exit status EX_UNAVAILABLE: ${JSON.stringify(r)}`);
  const errors = r.output.filter((l) => l.startsWith('phone run:'));
  assert.is(errors.length, 1, `one message: ${JSON.stringify(r.output)}`);
  assert.match(errors[0], /\/dev\/fb0/);
  console.log(`  [qemu] phone run without fb exits in ${(r.ms / 1000).toFixed(1)} s: ${errors[0]}`);
});

board('the firmware reaches idle and uinput keys change the screen', () => {
  const r = ctx.report!;
  assert.is(r.firstScreen?.screen.id, 'wizard', 'a blank flash boots into the out-of-box wizard');
  assert.is(r.idle?.screen.id, 'idle');
  assert.equal(r.taps?.map((t) => [t.key, t.screen.title, t.screen.focus]), [['soft4', 'Menu', 0], ['down', 'Menu', 1], ['select', 'Contacts', 0]]);
  assert.equal((r.output ?? []).filter((l) => /firmware fault/i.test(l)), [], 'no firmware fault');
  assert.equal(r.stop, { code: 0, signal: null }, 'phone run stops cleanly on SIGTERM');
  console.log(`  [qemu] idle after ${((r.idle?.ms ?? 0) / 1000).toFixed(1)} s; key to screen ${r.taps?.map((t) => `${t.ms} ms`).join(', ')}`);
});

board('the picture in /dev/fb0 equals what the simulator draws after the same keys', async () => {
  const { width, height } = boardProfile(BOARD).display;
  const stride = (width * FB_BITS) / 8;
  for (const [i, tap] of (ctx.report?.taps ?? []).entries()) {
    // The status bar shows the clock: the simulator starts at the minute the guest showed.
    const [hh, mm] = (tap.screen.status ?? '09:00').split(':').map(Number);
    const expected = await simulatorPicture(BOARD, Date.UTC(2026, 0, 1, hh, mm), TAPS.slice(0, i + 1), FB_BITS);
    const actual = framebufferRegion(fs.readFileSync(tap.fb), stride, width, height, FB_BITS);
    const diff = pixelDifference(actual, expected, width, FB_BITS);
    assert.is(diff.count, 0, `after ${TAPS.slice(0, i + 1).join(', ')}: ${diff.count} pixels differ, first at ${diff.first}`);
  }
});

board('the flash read through the MTD device is a store phone inspect reads', () => {
  const image = fs.readFileSync(path.join(ctx.results, 'flash.img'));
  const inspection = inspectImage(image, boardProfile(BOARD));
  const fsPart = inspection.partitions.find((p) => p.name === 'fs')!;
  assert.ok(fsPart.store, 'the fs partition holds a record store');
  assert.ok(fsPart.blocks.some((b) => b.state === 'active'), 'with an active block');
  assert.ok(fsPart.blocks.every((b) => b.damage === null), `no damage: ${fsPart.blocks.map((b) => b.damage).filter(Boolean).join('; ')}`);
});

board('an unplugged keypad is logged, and keys work again once it is plugged back', () => {
  const r = ctx.report!;
  const output = r.replug?.output ?? [];
  const unplugged = output.filter((l) => /"desk-500 keypad".*unplugged/.test(l));
  assert.is(unplugged.length, 1, `one clear line names the unplugged keypad (no loop): ${JSON.stringify(output)}`);
  assert.ok(r.replug?.answered, `the screen answered a key after the replug: ${JSON.stringify(r.replug)}`);
  assert.ok(output.some((l) => /"desk-500 keypad" is \/dev\/input\/event\d+ \(grabbed\)/.test(l)), 'grabbed again');
  assert.ok(r.runningAfterReplug, 'phone run kept running');
});

board.run();
