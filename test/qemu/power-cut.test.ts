/**
 * Power cut on a real kernel: the board's flash is block2mtd over a virtio disk image, so the image file on the
 * host holds exactly the bytes the kernel wrote. QEMU is killed (SIGKILL) while the firmware writes, then the guest
 * boots again from the same image: the store mounts, the firmware reaches idle with what it acknowledged before
 * the cut (the finished wizard), and `phone inspect` reads the image.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ScreenText } from '../../hal/contract';
import { boardProfile } from '../../hal/boards';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { inspectImage } from '../../sim/cli/commands/inspect';
import { bundleForGuest, guestNode } from './guest-bundle';
import { startGuest, type GuestRun } from './guest';
import { reportGuestRun, requireGuest } from './guest-session';
import { block2mtdScript, flashBytes } from './mtd-setup';
import { writeTestBoardFile } from './test-board-file';
import { vfbScript } from './vfb-setup';

const BOARD = 'desk-500';
const WRITING = 'power-cut: writes going on';

interface PhaseReport {
  firstScreen?: ScreenText;
  bootMs?: number;
  mounts?: string[];
  wizardFinished?: boolean;
  calls?: number;
  state?: string;
  faults?: unknown[];
  log?: string[];
}

const ctx = {
  results: '', disk: '', cutAfterMs: 0,
  write: null as { run: GuestRun; report: PhaseReport } | null,
  afterCut: null as Buffer | null,
  check: null as { run: GuestRun; report: PhaseReport } | null,
};
const powerCut = suite('power cut over block2mtd');

powerCut.before(async () => {
  try {
    await runPhases();
  } catch (e) {
    console.error(`\n  power-cut session failed: ${(e as Error).message}`);
    removeResults(); // uvu runs no after-hook when a before-hook throws
    throw e;
  }
});

powerCut.after(() => removeResults());

async function runPhases(): Promise<void> {
  requireGuest();
  if (!fs.existsSync(DEFAULT_IMAGE)) throw new Error(`no firmware image at ${DEFAULT_IMAGE}: run "node bin/phone.js build" first`);
  ctx.results = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-power-cut-'));
  // Erased NOR reads 0xFF: a blank phone.
  ctx.disk = path.join(ctx.results, 'flash-disk.img');
  fs.writeFileSync(ctx.disk, Buffer.alloc(flashBytes(BOARD), 0xff));
  const session = bundleForGuest(path.join(__dirname, 'guest-scripts/power-cut-session.ts'), path.join(ctx.results, 'power-cut-session.js'));
  const boardFile = path.join(ctx.results, 'board.json');
  // State and keystore on the results share: they outlive the guest, as a board's root filesystem does.
  writeTestBoardFile(boardFile, BOARD, { stateDir: path.join(ctx.results, 'state'), writeThrough: true });

  const phase = async (name: 'write' | 'check'): Promise<{ run: GuestRun; report: PhaseReport }> => {
    const plan = path.join(ctx.results, `plan-${name}.json`);
    const report = path.join(ctx.results, `report-${name}.json`);
    fs.writeFileSync(plan, JSON.stringify({ phase: name, image: DEFAULT_IMAGE, boardFile, report, writingMarker: WRITING }));
    const guest = startGuest({
      resultsDir: ctx.results, disks: [ctx.disk], timeoutMs: 180_000,
      script: [...block2mtdScript(BOARD, '/dev/vda'), 'modprobe uinput && modprobe evdev || exit 11', vfbScript(BOARD), guestNode(session, [plan])].join('\n'),
      onConsole: (line) => {
        // The cut: some time into the writes, different on each run (printed, for a failure's record).
        if (name === 'write' && line.includes(WRITING)) {
          ctx.cutAfterMs = 1000 + Math.floor(Math.random() * 5000);
          setTimeout(() => guest.kill(), ctx.cutAfterMs);
        }
      },
    });
    const run = await guest.done;
    reportGuestRun(`power cut, ${name}${name === 'write' ? ` (cut ${ctx.cutAfterMs} ms into the writes)` : ''}`, run);
    return { run, report: fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : {} };
  };

  ctx.write = await phase('write');
  if (ctx.write.run.failure !== 'killed by the test') {
    throw new Error(`the write phase was not cut (${ctx.write.run.failure ?? `exit ${ctx.write.run.exitCode}`}):\n${ctx.write.run.console.split('\n').slice(-30).join('\n')}`);
  }
  ctx.afterCut = fs.readFileSync(ctx.disk);
  ctx.check = await phase('check');
  if (ctx.check.run.exitCode !== 0) {
    throw new Error(`the boot after the cut failed (${ctx.check.run.failure ?? `exit ${ctx.check.run.exitCode}`}):\n${ctx.check.run.console.split('\n').slice(-30).join('\n')}`);
  }
}

/** QEMU_KEEP_RESULTS=1 keeps the disk image and reports for a look. */
function removeResults(): void {
  if (!ctx.results) return;
  if (process.env.QEMU_KEEP_RESULTS) console.log(`  [qemu] results kept in ${ctx.results}`);
  else fs.rmSync(ctx.results, { recursive: true, force: true });
  ctx.results = '';
}

powerCut('the power was cut while calls were being written to flash', () => {
  const r = ctx.write!.report;
  assert.ok(r.wizardFinished, 'the wizard was finished before the cut');
  assert.ok((r.calls ?? 0) >= 0);
  assert.is(ctx.write!.run.exitCode, null, 'the guest did not finish: it was killed');
  console.log(`  [qemu] ${r.calls} calls completed before the cut`);
});

powerCut('after the cut the store mounts and the firmware reaches idle, the finished wizard kept', () => {
  const r = ctx.check!.report;
  assert.is(r.firstScreen?.id, 'idle', `first screen after the cut: ${JSON.stringify(r.firstScreen)}`);
  assert.ok((r.mounts ?? []).some((l) => /fs: mounted/.test(l)), `fs mounted: ${JSON.stringify(r.mounts)}`);
  assert.ok((r.mounts ?? []).some((l) => /nvram: mounted/.test(l)), `nvram mounted: ${JSON.stringify(r.mounts)}`);
  assert.equal(r.faults, []);
  assert.is(r.state, 'running');
});

powerCut('phone inspect reads the disk image (the flash bytes) after the cut and after the next boot', () => {
  for (const [when, image] of [['after the cut', ctx.afterCut!], ['after the next boot', fs.readFileSync(ctx.disk)]] as const) {
    const inspection = inspectImage(image, boardProfile(BOARD));
    for (const name of ['nvram', 'fs']) {
      const p = inspection.partitions.find((x) => x.name === name)!;
      assert.ok(p.store, `${when}: ${name} holds a store`);
      assert.ok(p.blocks.some((b) => b.state === 'active'), `${when}: ${name} has an active block`);
    }
  }
});

powerCut.run();
