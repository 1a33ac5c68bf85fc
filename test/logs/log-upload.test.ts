/**
 * Log uploads as the booted firmware makes them, to the simulator's virtual
 * provisioning folder (`sim://prov/`, GET/PUT like a WebDAV server): the boot
 * log after the first cycle, the app log on rotation and every
 * log.render.file.upload.period seconds, append mode with its size limit and
 * limit mode, replace mode, nothing at all with log.render.file=0, and no
 * line sent twice across a reboot. (The nginx suite in test/provisioning
 * covers the same path against a real server.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAC, bootLogPhone, logLines, siteCfg, type LogPhone } from './log-phone';

const serverFile = (p: LogPhone, name: 'app' | 'boot') => {
  const f = path.join(p.provDir!, 'logs', `${MAC}-${name}.log`);
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null;
};
const tagged = (text: string | null, tag: string) => (text ?? '').split('\n').filter((l) => l.includes(`|${tag} `));

test('log.render.file=0: no log reaches the server, whatever triggers an upload', async () => {
  const p = await bootLogPhone({ site: { 'log.render.file': '0', 'log.render.file.size': '4', 'log.render.file.upload.period': '60' } });
  logLines(p, 200); // several rotations
  await p.advance(130_000); // two periods
  assert.is(fs.existsSync(path.join(p.provDir!, 'logs')) ? fs.readdirSync(path.join(p.provDir!, 'logs')).length : 0, 0);
  assert.ok(p.log().some((l) => /\|logs\|1\|0\|not uploading 0004f2a1b2c3-boot\.log: log\.render\.file=0/.test(l)));
  assert.ok(p.log().filter((l) => /not uploading 0004f2a1b2c3-app\.log: log\.render\.file=0/.test(l)).length >= 3, 'rotation and periodic triggers both suppressed');
  assert.ok(p.booted.logs.files.app.generations().length > 1, 'the phone still logs and rotates locally');
});

test('boot log after the first cycle; app log on rotation and periodically, appended without repeats', async () => {
  const p = await bootLogPhone({ site: { 'log.render.file.size': '4', 'log.render.file.upload.period': '60' } });
  assert.match(serverFile(p, 'boot')!, /\|prov\|2\|0\|provisioned from 000000000000\.cfg/);
  assert.is(serverFile(p, 'app'), null);
  logLines(p, 40, 100, 'calls', 'first');
  await p.advance(5000);
  assert.ok(p.log().some((l) => /app\.log reached 4 KB: rotated/.test(l)));
  assert.is(tagged(serverFile(p, 'app'), 'first').length, 40, 'rotation uploaded the app log');
  logLines(p, 5, 100, 'calls', 'second');
  await p.advance(60_000);
  const app = serverFile(p, 'app')!;
  assert.is(tagged(app, 'second').length, 5, 'periodic upload appended the new lines');
  assert.is(tagged(app, 'first').length, 40, 'the earlier lines are not sent again');
  const lines = app.trim().split('\n');
  assert.is(new Set(lines).size, lines.length, 'no line twice');
});

test('append size limit: limitMode=delete starts the server file over, limitMode=stop stops appending', async () => {
  const p = await bootLogPhone({ site: { 'log.render.file.size': '8', 'log.render.file.count': '8', 'log.render.file.upload.period': '60', 'log.render.file.upload.append.sizeLimit': '10' } });
  for (let round = 0; round < 4; round++) {
    logLines(p, 30, 100, 'calls', `r${round}`);
    await p.advance(60_000);
  }
  const app = serverFile(p, 'app')!;
  assert.ok(app.length <= 10 * 1024, `server file ${app.length} bytes`);
  assert.ok(p.log().some((l) => /reached 10 KB: starting it over \(limitMode=delete\)/.test(l)));
  assert.is(tagged(app, 'r0').length, 0, 'the oldest round went with the restart');
  assert.is(tagged(app, 'r3').length, 30, 'the newest round is there');

  // limitMode=stop: once the next upload would pass the limit, the server file stays as it is.
  fs.writeFileSync(path.join(p.provDir!, 'site.cfg'), siteCfg({ 'log.render.file.size': '8', 'log.render.file.count': '8', 'log.render.file.upload.period': '60', 'log.render.file.upload.append.sizeLimit': '10', 'log.render.file.upload.append.limitMode': 'stop' }));
  await p.booted.provisioning.client.request('request');
  const frozen = () => serverFile(p, 'app');
  let before = frozen();
  for (let round = 4; round < 8; round++) {
    logLines(p, 30, 100, 'calls', `r${round}`);
    await p.advance(60_000);
    if (p.log().some((l) => /limitMode=stop/.test(l))) break;
    before = frozen();
  }
  assert.ok(p.log().some((l) => /not appending \(limitMode=stop\)/.test(l)));
  logLines(p, 30, 100, 'calls', 'late');
  await p.advance(60_000);
  assert.is(frozen(), before, 'nothing appended after the limit');
});

test('replace mode: the server file is the whole local log', async () => {
  const p = await bootLogPhone({ site: { 'log.render.file.upload.append': '0', 'log.render.file.upload.period': '60' } });
  logLines(p, 10, 80, 'calls', 'one');
  await p.advance(60_000);
  logLines(p, 10, 80, 'calls', 'two');
  await p.advance(60_000);
  const app = serverFile(p, 'app')!;
  const local = p.booted.logs.files.app.text();
  assert.ok(local.startsWith(app.slice(0, 200)) && tagged(app, 'one').length === 10 && tagged(app, 'two').length === 10);
  const lines = app.split('\n').filter(Boolean);
  assert.is(new Set(lines).size, lines.length, 'no line twice');
});

test('a reboot neither resends uploaded lines nor skips unsent ones', async () => {
  const first = await bootLogPhone({ site: { 'log.render.file.upload.period': '60' } });
  logLines(first, 10, 80, 'calls', 'before');
  await first.advance(60_000);
  logLines(first, 3, 80, 'calls', 'unsent');
  first.booted.logs.flush();
  const second = await bootLogPhone({ site: { 'log.render.file.upload.period': '60' }, flash: first.flash, keystore: first.keystore, provDir: first.provDir! });
  await second.advance(60_000);
  const app = serverFile(second, 'app')!;
  assert.is(tagged(app, 'before').length, 10);
  assert.is(tagged(app, 'unsent').length, 3);
});

test('an unreadable upload state: logged, and the next upload starts from the oldest kept line', async () => {
  const first = await bootLogPhone({ site: { 'log.render.file.upload.period': '60' } });
  logLines(first, 4, 80, 'calls', 'kept');
  first.booted.logs.flush();
  first.booted.fs.write('logs/upload.state', new Uint8Array(Buffer.from('{"app": {"gen": "x"')), { cls: 'logs' });
  fs.rmSync(path.join(first.provDir!, 'logs'), { recursive: true, force: true });
  const second = await bootLogPhone({ site: { 'log.render.file.upload.period': '60' }, flash: first.flash, keystore: first.keystore, provDir: first.provDir! });
  assert.ok(second.log().some((l) => /\|logs\|4\|\d+\|log upload state unreadable/.test(l)));
  await second.advance(60_000);
  assert.is(tagged(serverFile(second, 'app'), 'kept').length, 4);
});

test.run();
