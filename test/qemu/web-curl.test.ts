/**
 * The Linux board's web interface on a real kernel (QEMU guest): the board serves HTTPS on 443 with its
 * self-signed device certificate, plain HTTP on 80 redirects, and curl in the guest logs in as User, opens
 * Settings > Change Password and logs out (guest-scripts/web-curl-session.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { bundleForGuest, guestNode } from './guest-bundle';
import { startGuest, type GuestRun } from './guest';
import type { WebCurlPlan } from './guest-scripts/web-curl-session';
import { reportGuestRun, requireGuest } from './guest-session';
import { block2mtdScript, flashBytes } from './mtd-setup';
import { writeTestBoardFile } from './test-board-file';
import { vfbScript } from './vfb-setup';

const BOARD = 'desk-500';

interface Step { status: number; location?: string; setCookie?: string; title?: string; role?: string; hasPassword?: boolean }
interface WebReport { listening?: string; host?: string; steps?: Record<'plain' | 'form' | 'login' | 'page' | 'logout' | 'after', Step>; faults?: unknown[]; webLog?: string[] }

const ctx = { results: '', run: null as GuestRun | null, report: {} as WebReport };
const web = suite('linux board web interface over HTTPS (curl)');

web.before(async () => {
  try {
    await runSession();
  } catch (e) {
    // uvu prints nothing for a failing before-hook: say why here.
    console.error(`\n  web curl session failed: ${(e as Error).message}`);
    throw e;
  }
});

async function runSession(): Promise<void> {
  requireGuest();
  if (!fs.existsSync(DEFAULT_IMAGE)) throw new Error(`no firmware image at ${DEFAULT_IMAGE}: run "node bin/phone.js build" first`);
  ctx.results = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-web-curl-'));
  const disk = path.join(ctx.results, 'flash-disk.img');
  fs.writeFileSync(disk, Buffer.alloc(flashBytes(BOARD), 0xff));
  const session = bundleForGuest(path.join(__dirname, 'guest-scripts/web-curl-session.ts'), path.join(ctx.results, 'web-curl-session.js'));
  const boardFile = path.join(ctx.results, 'board.json');
  writeTestBoardFile(boardFile, BOARD, { stateDir: path.join(ctx.results, 'state'), writeThrough: true });
  const planFile = path.join(ctx.results, 'plan.json');
  const report = path.join(ctx.results, 'report.json');
  const plan: WebCurlPlan = { image: DEFAULT_IMAGE, boardFile, report, dir: ctx.results };
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const guest = startGuest({
    resultsDir: ctx.results, disks: [disk], timeoutMs: 240_000,
    script: [...block2mtdScript(BOARD, '/dev/vda'), 'modprobe uinput && modprobe evdev || exit 11', vfbScript(BOARD), guestNode(session, [planFile])].join('\n'),
  });
  ctx.run = await guest.done;
  reportGuestRun('web interface over curl', ctx.run);
  ctx.report = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : {};
  if (!ctx.report.steps) throw new Error(`no curl steps from the guest (exit ${ctx.run.exitCode}, ${ctx.run.failure ?? ''}):\n${ctx.run.console.split('\n').slice(-30).join('\n')}`);
}

web.after(() => {
  if (ctx.results && !process.env.QEMU_KEEP_RESULTS) fs.rmSync(ctx.results, { recursive: true, force: true });
});

web('the board listens on the firmware\'s ports 80 and 443 with its self-signed certificate', () => {
  assert.match(ctx.report.listening ?? '', /web server listening: http 80, https 443 \(self-signed certificate\)/);
  const plain = ctx.report.steps!.plain;
  assert.is(plain.status, 301);
  assert.is(plain.location, `https://${ctx.report.host}/login`);
});

web('curl logs in as User over HTTPS (certificate pinned and checked against its name), opens a page, logs out', () => {
  const s = ctx.report.steps!;
  assert.is(s.form.status, 200);
  assert.ok(s.form.hasPassword);
  assert.match(s.form.setCookie ?? '', /^__Host-phone-[0-9a-f]{12}=[0-9a-f]{64}; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
  assert.is(s.login.status, 303, JSON.stringify(ctx.report.webLog));
  assert.is(s.login.location, '/');
  assert.is(s.page.status, 200);
  assert.is(s.page.title, 'Change Password');
  assert.is(s.page.role, 'User');
  assert.is(s.logout.status, 303);
  assert.is(s.logout.location, '/login');
  assert.is(s.after.status, 303, 'the session ended');
  assert.is(s.after.location, '/login');
  assert.ok((ctx.report.webLog ?? []).some((l) => /web password for "Web Configuration Utility" by user: success/.test(l)));
  assert.equal(ctx.report.faults, []);
});

web.run();
