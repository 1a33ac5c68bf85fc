/**
 * The log package (spec: "Download Logs"): a .tgz with the app and boot logs
 * and the CDR, GMT timestamps, no call lists, directory or user profiles.
 * Every package here is opened with GNU tar (`tar -xzf`), the way an admin
 * opens it: from the firmware's function, from `phone logs package` on a
 * saved image of a QuickJS-run phone, and from the browser UI's route.
 * The tar writer is checked against GNU tar on awkward sizes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { utf8Encode } from '../../firmware/kernel/text-codec';
import { writeTar } from '../../firmware/logs/tar-writer';
import { startWebServer } from '../../sim/web/server';
import { bootPhone } from '../helpers/sim';
import { MAC, bootLogPhone, logLines, tempDir } from './log-phone';

const ROOT = path.resolve(__dirname, '../..');

function gnuTar(args: string[], cwd: string): string {
  const r = spawnSync('tar', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`GNU tar is needed (Debian package tar): ${r.error.message}`);
  assert.is(r.status, 0, `tar ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Extract a .tgz with GNU tar; returns the directory. */
function extract(tgz: Uint8Array): string {
  const dir = tempDir('logs-pkg-');
  fs.writeFileSync(path.join(dir, 'package.tgz'), tgz);
  fs.mkdirSync(path.join(dir, 'out'));
  gnuTar(['-xzf', '../package.tgz'], path.join(dir, 'out'));
  return path.join(dir, 'out');
}

test('GNU tar reads what the tar writer makes: sizes around block edges, names, times', () => {
  const sizes = [0, 1, 511, 512, 513, 1024, 10_000];
  const entries = sizes.map((n, i) => ({ name: `file-${n}.log`, data: new Uint8Array(n).map((_, j) => (j * 7 + i) & 0xff), mtime: Date.UTC(2026, 0, 2, 3, 4, 5) }));
  const dir = tempDir('logs-tar-');
  fs.writeFileSync(path.join(dir, 'a.tar'), writeTar(entries));
  const listing = gnuTar(['-tvf', 'a.tar', '--utc'], dir);
  assert.match(listing, /2026-01-02 03:04 file-10000\.log/);
  gnuTar(['-xf', 'a.tar'], dir);
  for (const e of entries) assert.equal(new Uint8Array(fs.readFileSync(path.join(dir, e.name))), e.data, e.name);
  assert.throws(() => writeTar([{ name: 'x'.repeat(101), data: new Uint8Array(0), mtime: 0 }]), /unsupported file name/);
});

test('the firmware\'s package: app and boot logs and the CDR in GMT; call lists, directory and user files left out', async () => {
  const p = await bootLogPhone({ site: {} });
  const { fs: store } = p.booted;
  // What other modules keep in the same store, with markers that must not leak into the package.
  store.write('cdr/1', utf8Encode(JSON.stringify({ seq: 2, remoteParty: { address: '2002', name: 'Bob' }, startTime: '2026-01-01T09:05:00.000Z' })), { cls: 'cdr' });
  store.write('cdr/0', utf8Encode(JSON.stringify({ seq: 1, remoteParty: { address: '2001', name: 'Ann' }, startTime: '2026-01-01T09:00:00.000Z' })), { cls: 'cdr' });
  store.write('calls/missed/0', utf8Encode('<call>MARK-CALL-LIST</call>'), { cls: 'callLists' });
  store.write('dir/local.xml', utf8Encode('<item><fn>MARK-DIRECTORY</fn></item>'), { cls: 'directory' });
  store.write('users/alice/alice-phone.cfg', utf8Encode('MARK-USER-PROFILE'), { cls: 'userProfile', user: 'alice' });
  logLines(p, 5, 60, 'calls', 'packaged');
  const out = extract(await p.booted.logs.packageBytes());
  assert.equal(fs.readdirSync(out).sort(), [`${MAC}-app.log`, `${MAC}-boot.log`, `${MAC}-cdr.jsonl`, 'README.txt']);
  const app = fs.readFileSync(path.join(out, `${MAC}-app.log`), 'utf8');
  assert.is(app.split('\n').filter((l) => l.includes('|packaged ')).length, 5, 'lines still in RAM are flushed into the package');
  for (const l of app.trim().split('\n')) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\|[a-z]{1,5}\|[0-6]\|\d+\|/, 'GMT timestamp, component, level, missed');
  assert.match(fs.readFileSync(path.join(out, `${MAC}-boot.log`), 'utf8'), /\|sys\|2\|0\|boot: firmware/);
  const cdr = fs.readFileSync(path.join(out, `${MAC}-cdr.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(cdr.map((r) => r.seq), [1, 2], 'CDR oldest first');
  const everything = fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8')).join('\n');
  for (const mark of ['MARK-CALL-LIST', 'MARK-DIRECTORY', 'MARK-USER-PROFILE']) assert.not.ok(everything.includes(mark), mark);
  assert.match(fs.readFileSync(path.join(out, 'README.txt'), 'utf8'), /all times GMT/);
});

test('phone logs package on the saved image of a phone run in QuickJS; the browser UI\'s Download logs', async () => {
  const dir = tempDir('logs-cli-');
  const image = path.join(dir, 'phone.img');
  const phone = await bootPhone({ engine: 'quickjs', flashImage: undefined });
  try {
    await phone.advance(10_000); // past the first provisioning cycle and a flush
    const web = await startWebServer({ phone, port: 0 });
    try {
      const res = await fetch(new URL('/api/logs.tgz', web.url));
      assert.is(res.status, 200);
      assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="0004f2a1b2c3-logs\.tgz"/);
      const out = extract(new Uint8Array(await res.arrayBuffer()));
      assert.match(fs.readFileSync(path.join(out, `${MAC}-boot.log`), 'utf8'), /\|prov\|2\|0\|provisioned from/);
    } finally {
      await web.close();
    }
    phone.saveFlash(image);
  } finally {
    phone.dispose();
  }
  const tgz = path.join(dir, 'out.tgz');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/phone.js'), 'logs', 'package', '--flash', image, '-o', tgz], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const out = extract(fs.readFileSync(tgz));
  const boot = fs.readFileSync(path.join(out, `${MAC}-boot.log`), 'utf8');
  assert.match(boot, /\|sys\|2\|0\|boot: firmware .* reason power-on/);
  assert.match(boot, /\|logs\|1\|0\|boot phase over/);
  const missing = spawnSync(process.execPath, [path.join(ROOT, 'bin/phone.js'), 'logs', 'package', '--flash', path.join(dir, 'nope.img')], { encoding: 'utf8' });
  assert.is(missing.status, 1);
  assert.match(missing.stderr, /cannot read flash image/);
});

test.run();
