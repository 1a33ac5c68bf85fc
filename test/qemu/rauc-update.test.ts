/**
 * RAUC on a real kernel: the QEMU guest runs Debian's `rauc service` (on a
 * private D-Bus) with two raw `appfs` slots on virtio disks, the `custom`
 * bootloader backend the board image ships (systemd/rauc-boot-backend) and
 * bundles made by `phone image`. The boot stage of each guest run is
 * `rauc-boot-backend boot` (it prints the slot to boot; RAUC learns it with
 * --override-boot-slot). Five guest runs, state kept on the disks and the
 * results share as on a board:
 *
 * 1. (boots A) a bundle signed by another certificate is refused, slot B
 *    untouched; the good bundle installs into slot B, primary on trial;
 * 2. (boots B on trial) `phone run` with the board file's `update.rauc`, its
 *    out-of-box wizard left unanswered: the firmware never reaches idle and
 *    nothing marks B good;
 * 3. (rolls back: boots A, B bad) the good bundle is installed again;
 * 4. (boots B on trial) `phone run` again, Finish on the keypad: the firmware
 *    reaches idle and the board host runs `rauc status mark-good`; then QEMU
 *    is killed (SIGKILL) while RAUC copies a new bundle into slot A;
 * 5. (boots B, the old slot) A is bad, B primary.
 *
 * The trial boots run test/qemu/guest-scripts/trial-boot-session.ts on
 * mtdram, vfb and a uinput keypad, as test/qemu/board.test.ts does.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildBoardImage } from '../../build/image/board-image';
import { makeDevelopmentRaucCertificate } from '../../build/image/rauc-certificate';
import { generateSigningKey } from '../../build/image/signing-key';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { bundleForGuest, guestNode, PHONE_CLI } from './guest-bundle';
import { startGuest, type GuestRun } from './guest';
import type { RaucTrialPlan } from './guest-scripts/trial-boot-session';
import { reportGuestRun, requireGuest } from './guest-session';
import { mtdramScript } from './mtd-setup';
import { writeTestBoardFile } from './test-board-file';
import { vfbMode } from './vfb-setup';
import { dbusConf, raucSystemConf } from './rauc-system-conf';

const BOARD = 'desk-500';
const SLOT_BYTES = 40 * 1024 * 1024;
const COPYING = 'Copying image to appfs';
/** How long the wizard stays unanswered on the trial boot that never reaches idle. */
const WIZARD_STAY_MS = 10_000;

interface TrialReport { screens: string[]; output?: string[]; error?: string }

const ctx = {
  dir: '', image: '', good: '', bad: '', big: '',
  runs: [] as { name: string; run: GuestRun; out: Record<string, string> }[],
  trials: {} as Record<'neverIdle' | 'idle', TrialReport>,
};
const rauc = suite('RAUC bundles on a real kernel');

rauc.before(async () => {
  try {
    await runSessions();
  } catch (e) {
    console.error(`\n  RAUC session failed: ${(e as Error).message}`);
    fs.rmSync(ctx.dir, { recursive: true, force: true });
    throw e;
  }
});
rauc.after(() => fs.rmSync(ctx.dir, { recursive: true, force: true }));

const DBUS_CONF = dbusConf('/run/rauc-test-bus');

/** The guest's boot stage and RAUC service; `steps` then run with $R the results dir. Each `out NAME CMD` keeps CMD's output in $R/NAME.out. */
function session(dir: string, steps: string[]): string {
  return [
    `R=${dir}`,
    'out() { n=$1; shift; "$@" > "$R/$n.out" 2>&1; echo $? > "$R/$n.code"; }',
    'modprobe virtio_blk && modprobe loop && modprobe dm-verity && modprobe squashfs || exit 11',
    'for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vdb ] && break; sleep 0.5; done',
    'SLOT=$(sh $R/backend.sh boot 2>>$R/boot-stage.log) || exit 12',
    'echo "$SLOT" >> $R/booted',
    'mkdir -p /run/rauc-mnt',
    'export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/rauc-test-bus',
    'dbus-daemon --config-file=$R/dbus.conf --fork --nopidfile || exit 13',
    'rauc service --conf=$R/system.conf --override-boot-slot=$SLOT > $R/service-$SLOT.log 2>&1 &',
    'for i in $(seq 1 40); do rauc status >/dev/null 2>&1 && break; sleep 0.5; done',
    ...steps,
    'cp $R/slot.env $R/slot.env.after 2>/dev/null; sync',
  ].join('\n');
}

async function guestRun(name: string, script: string, kill?: (line: string, guest: { kill(): void }) => void): Promise<void> {
  for (const f of fs.readdirSync(ctx.dir)) if (f.endsWith('.out') || f.endsWith('.code')) fs.rmSync(path.join(ctx.dir, f));
  const guest = startGuest({
    resultsDir: ctx.dir, disks: [path.join(ctx.dir, 'slotA.img'), path.join(ctx.dir, 'slotB.img')], timeoutMs: 300_000, memoryMiB: 1024,
    script, onConsole: (line) => kill?.(line, guest),
  });
  const run = await guest.done;
  reportGuestRun(`rauc ${name}`, run);
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(ctx.dir)) if (f.endsWith('.out') || f.endsWith('.code')) out[f] = fs.readFileSync(path.join(ctx.dir, f), 'utf8');
  out['slot.env'] = fs.existsSync(path.join(ctx.dir, 'slot.env')) ? fs.readFileSync(path.join(ctx.dir, 'slot.env'), 'utf8') : '';
  if (run.exitCode === null && !kill) throw new Error(`guest run ${name} did not finish: ${run.failure}\n${run.console.slice(-3000)}`);
  if (run.exitCode !== null && run.exitCode !== 0) throw new Error(`guest run ${name} exited ${run.exitCode}\n${run.console.slice(-3000)}`);
  ctx.runs.push({ name, run, out });
}

async function runSessions(): Promise<void> {
  requireGuest();
  if (!fs.existsSync(DEFAULT_IMAGE)) throw new Error(`no firmware image at ${DEFAULT_IMAGE}: run "node bin/phone.js build" first`);
  ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-rauc-'));
  const d = ctx.dir;
  // The board's keyring is the development certificate; another one signs the bundle that must be refused.
  const cert = makeDevelopmentRaucCertificate(path.join(d, 'update.pem'));
  const otherCert = makeDevelopmentRaucCertificate(path.join(d, 'other.pem'), 'someone else');
  fs.copyFileSync(cert.certPem, path.join(d, 'keyring.pem'));
  const key = generateSigningKey();
  const boardFile = path.resolve(__dirname, '..', '..', 'boards', `${BOARD}.json`);
  const built = await buildBoardImage({ board: BOARD, version: '0.2.0', bundle: DEFAULT_IMAGE, boardFile, key, rauc: cert, out: path.join(d, 'desk-500.img'), arches: ['x64'] });
  ctx.image = built.image;
  ctx.good = built.raucBundle!;
  ctx.bad = (await buildBoardImage({ board: BOARD, version: '0.2.0', bundle: DEFAULT_IMAGE, boardFile, key, rauc: otherCert, out: path.join(d, 'other.img'), arches: ['x64'] })).raucBundle!;
  // A bundle large enough that the guest takes seconds to copy it: the kill lands mid-copy.
  const bigDir = path.join(d, 'big');
  fs.mkdirSync(bigDir);
  fs.writeFileSync(path.join(bigDir, 'appfs.img'), randomBytes(32 * 1024 * 1024));
  fs.writeFileSync(path.join(bigDir, 'manifest.raucm'), `[update]\ncompatible=deskphone-${BOARD}\nversion=0.3.0\n\n[bundle]\nformat=verity\n\n[image.appfs]\nfilename=appfs.img\n`);
  ctx.big = path.join(d, 'big.raucb');
  execFileSync('rauc', ['bundle', `--cert=${cert.certPem}`, `--key=${cert.keyPem}`, bigDir, ctx.big], { stdio: ['ignore', 'ignore', 'pipe'] });
  fs.rmSync(bigDir, { recursive: true });

  fs.writeFileSync(path.join(d, 'slotA.img'), Buffer.alloc(SLOT_BYTES, 0x41));
  fs.writeFileSync(path.join(d, 'slotB.img'), Buffer.alloc(SLOT_BYTES, 0));
  fs.writeFileSync(path.join(d, 'system.conf'), raucSystemConf(BOARD, d));
  fs.writeFileSync(path.join(d, 'dbus.conf'), DBUS_CONF);
  fs.copyFileSync(path.resolve(__dirname, '..', '..', 'systemd', 'rauc-boot-backend'), path.join(d, 'rauc-boot-backend'));
  fs.writeFileSync(path.join(d, 'backend.sh'), `#!/bin/sh\nPHONE_BOOT_STATE=${d}/slot.env exec /bin/sh ${d}/rauc-boot-backend "$@"\n`, { mode: 0o755 });

  // The trial boots' `phone run`: the board file the image ships, with RAUC marking the slot good at idle.
  const cli = bundleForGuest(PHONE_CLI, path.join(d, 'phone.js'), { sourceMap: false });
  const trialSession = bundleForGuest(path.join(__dirname, 'guest-scripts/trial-boot-session.ts'), path.join(d, 'trial-boot-session.js'));
  const trialBoardFile = path.join(d, 'board.json');
  const written = writeTestBoardFile(trialBoardFile, BOARD, { stateDir: '/tmp/phone', writeThrough: false });
  fs.writeFileSync(trialBoardFile, JSON.stringify({ ...written, update: { rauc: true } }, null, 2));
  const trialSteps = (name: 'neverIdle' | 'idle'): string[] => {
    const planned: RaucTrialPlan = {
      cli, image: DEFAULT_IMAGE, boardFile: trialBoardFile, report: path.join(d, `trial-${name}.json`), results: d,
      fbMode: vfbMode(BOARD), finishWizard: name === 'idle', stayMs: WIZARD_STAY_MS,
    };
    fs.writeFileSync(path.join(d, `plan-${name}.json`), JSON.stringify(planned));
    return [...mtdramScript(BOARD), 'modprobe uinput && modprobe evdev || exit 14', `${guestNode(trialSession, [path.join(d, `plan-${name}.json`)])} || exit 15`];
  };
  const trialReport = (name: 'neverIdle' | 'idle'): TrialReport => JSON.parse(fs.readFileSync(path.join(d, `trial-${name}.json`), 'utf8'));

  await guestRun('bad then good bundle', session(d, [
    `out bad rauc install ${ctx.bad}`,
    `out good sh -c 'time rauc install ${ctx.good}'`,
  ]));
  // B's trial boot: the firmware never reaches idle (its wizard unanswered), nothing marks B good.
  await guestRun('trial boot of B never reaching idle', session(d, [...trialSteps('neverIdle'), 'out trialstate cat $R/slot.env']));
  ctx.trials.neverIdle = trialReport('neverIdle');
  await guestRun('rollback, then install again', session(d, [`out reinstall rauc install ${ctx.good}`]));
  // B's trial boot reaches idle: the board host marks it good; then a new bundle goes to slot A and the
  // power goes while RAUC copies it.
  let killedWhile = '';
  await guestRun('trial boot marked good, then killed mid-install', session(d, [
    ...trialSteps('idle'),
    'out markgood cat $R/slot.env',
    `rauc install ${ctx.big}`,
  ]), (line, guest) => {
    if (!killedWhile && line.includes(COPYING)) {
      killedWhile = line;
      setTimeout(() => guest.kill(), 300);
    }
  });
  ctx.trials.idle = trialReport('idle');
  assert.ok(killedWhile, 'the guest was killed while RAUC copied the image');
  await guestRun('after the kill', session(d, ['out status rauc status']));
}

const run = (name: string) => ctx.runs.find((r) => r.name === name)!;

rauc('a bundle signed by another certificate is refused and slot B is untouched; the good one installs into B', () => {
  const first = run('bad then good bundle');
  assert.is.not(first.out['bad.code'].trim(), '0');
  assert.match(first.out['bad.out'], /signature|certificate|verif/i);
  assert.is(first.out['good.code'].trim(), '0', first.out['good.out']);
  const image = fs.readFileSync(ctx.image);
  const slotB = fs.readFileSync(path.join(ctx.dir, 'slotB.img'));
  assert.ok(slotB.subarray(0, image.length).equals(image), 'slot B holds the squashfs image');
  const real = /real\s+(\d+)m([\d.]+)s/.exec(first.out['good.out']) ?? /([\d.]+)elapsed/.exec(first.out['good.out']);
  console.log(`  [qemu] rauc install of a ${(fs.statSync(ctx.good).size / 1024).toFixed(0)} KiB bundle in the guest: ${real ? real[0] : 'time not printed'}`);
});

rauc('a slot whose firmware never reaches idle on its trial boot is not marked good and rolls back at the next boot', () => {
  const never = ctx.trials.neverIdle;
  assert.is(never.error, undefined, never.error);
  assert.equal(never.screens, ['wizard', 'wizard'], 'phone run stayed in the out-of-box wizard');
  assert.ok(never.output!.some((l) => /^\[board\] desk-500 boot/.test(l)), `phone run started: ${never.output!.slice(-10).join('\n')}`);
  assert.equal(never.output!.filter((l) => l.includes('rauc:')), [], 'no mark-good without idle');
  const trialState = run('trial boot of B never reaching idle').out['trialstate.out'];
  assert.match(trialState, /^TRIAL=B$/m, `B still on trial after phone run: ${trialState}`);
  assert.match(trialState, /^TRIED=1$/m);
  const boots = fs.readFileSync(path.join(ctx.dir, 'booted'), 'utf8').trim().split('\n');
  // Boot by boot: A (installs B), B on trial (never idle), A again (rollback; installs B again), B on trial (marked good), B.
  assert.equal(boots, ['A', 'B', 'A', 'B', 'B']);
  assert.match(fs.readFileSync(path.join(ctx.dir, 'boot-stage.log'), 'utf8'), /slot B did not reach idle on its trial boot: rolling back to slot A/);
  assert.is(run('rollback, then install again').out['reinstall.code'].trim(), '0', run('rollback, then install again').out['reinstall.out']);
});

rauc('phone run with update.rauc marks the trial slot good once the firmware reaches idle; it stays booting', () => {
  const idle = ctx.trials.idle;
  assert.is(idle.error, undefined, idle.error);
  assert.equal(idle.screens, ['wizard', 'idle']);
  const raucLines = idle.output!.filter((l) => l.startsWith('[board] rauc:'));
  assert.is(raucLines.length, 2, raucLines.join('\n'));
  assert.is(raucLines[0], '[board] rauc: the firmware reached idle: rauc status mark-good');
  assert.match(raucLines[1], /^\[board\] rauc: booted slot marked good/);
  console.log(`  [qemu] phone run on B's trial boot: ${raucLines[1]}`);
  const marked = run('trial boot marked good, then killed mid-install').out['markgood.out'];
  assert.match(marked, /^TRIAL=$/m, `the trial ended: ${marked}`);
  assert.match(marked, /^STATE_B=good$/m);
  assert.match(marked, /^PRIMARY=B$/m);
});

rauc('QEMU killed while RAUC copies into slot A: the next boot boots the old slot B', () => {
  const env = run('after the kill').out['slot.env'];
  assert.match(env, /PRIMARY=B/);
  assert.match(env, /STATE_A=bad/);
  assert.match(run('after the kill').out['status.out'], /Booted from:\s+appfs\.1 \(B\)/);
});

rauc.run();
