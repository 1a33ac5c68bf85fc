/**
 * A provisioning server that misbehaves (real nginx switched into each
 * fault): 5xx, an HTML page instead of the file, no answer at all, a listed
 * file missing. Each is logged, the phone keeps running on its
 * configuration, and the cycle is retried with exponential backoff until the
 * server is good again. A file the phone refuses (larger than it takes,
 * malformed) is refused alone: logged, its last good copy kept, the cycle
 * goes on to the next file, and no retry is scheduled.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { NginxFault, NginxServer } from '../servers/nginx';
import { PASSWORD, USER, cfg, cycleLines, cycles, logMatching, masterCfg, phoneAt, provisioningServerFor } from './provisioning-fixture';

let server: NginxServer;

provisioningServerFor(test, { auth: { user: USER, password: PASSWORD } }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
  s.put('site.cfg', cfg({ 'prov.polling.period': '6000' }));
});

test('5xx: logged, retried after 30 s then 60 s (exponential), provisioned once the server recovers', async () => {
  const phone = await phoneAt(server);
  try {
    server.setFault('503');
    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    assert.match(cycleLines(phone)[1], 'provisioning incomplete (check-sync)');
    assert.ok(logMatching(phone, /\|prov\|4\|.*HTTP 503/).length >= 1);
    const first = logMatching(phone, /retrying in (\d+) s \(attempt 1\)/);
    assert.is(first.length, 1);
    const firstDelay = Number(/retrying in (\d+) s/.exec(first[0])![1]);
    assert.ok(firstDelay >= 30 && firstDelay <= 33, `first delay ${firstDelay}`);
    await phone.advance(20_000);
    await phone.settle();
    assert.is(cycleLines(phone).length, 2, 'no retry before the backoff delay');
    await phone.advance(14_000);
    await cycles(phone, 3);
    assert.match(cycleLines(phone)[2], 'provisioning incomplete (retry)');
    const second = logMatching(phone, /retrying in (\d+) s \(attempt 2\)/);
    assert.is(second.length, 1);
    assert.is(Number(/retrying in (\d+) s/.exec(second[0])![1]), firstDelay * 2);
    server.setFault(null);
    await phone.advance(firstDelay * 2 * 1000 + 1000);
    await cycles(phone, 4);
    assert.match(cycleLines(phone)[3], 'provisioned from 000000000000.cfg (retry)');
    // Running all along on the configuration it had.
    assert.equal(phone.faults, []);
    assert.is(logMatching(phone, /prov\.polling\.period: "6000" ->/).length, 0);
  } finally {
    phone.dispose();
  }
});

for (const [fault, message] of [
  ['html', /server answered with an HTML page/],
  ['timeout', /no answer in time/],
] as [NginxFault, RegExp][]) {
  test(`${fault}: logged, configuration kept, retried with backoff until the server is good`, async () => {
    const phone = await phoneAt(server);
    try {
      server.setFault(fault);
      phone.farEnd.notify('check-sync');
      await cycles(phone, 2);
      assert.match(cycleLines(phone)[1], 'provisioning incomplete');
      assert.ok(logMatching(phone, message).length >= 1, `log names the fault: ${phone.log().slice(-5).join('\n')}`);
      assert.ok(logMatching(phone, /retrying in 3\d s \(attempt 1\)/).length === 1);
      assert.is(phone.screen().id, 'idle');
      server.setFault(null);
      await phone.advance(34_000);
      await cycles(phone, 3);
      assert.match(cycleLines(phone)[2], 'provisioned from 000000000000.cfg (retry)');
      assert.equal(phone.faults, []);
    } finally {
      phone.dispose();
    }
  });
}

test('huge (every file larger than the phone takes): each refused and logged, configuration kept, no backoff; the next cycle provisions', async () => {
  const phone = await phoneAt(server);
  try {
    server.setFault('huge');
    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    // <MAC>.cfg (asked first, absent before) now answers too: refused, the master in force stays.
    assert.match(cycleLines(phone)[1], /provisioned from \S+\.cfg \(check-sync\): .*, 6 files refused/);
    assert.ok(logMatching(phone, /0004f2a1b2c3\.cfg: refused, file larger than 262144 bytes; last good master file stays in force/).length === 1);
    assert.ok(logMatching(phone, /site\.cfg: refused, file larger than 262144 bytes; last good copy stays in force/).length === 1);
    assert.is(logMatching(phone, /retrying in/).length, 0, 'the server answers: a retry would get the same files');
    await phone.advance(60_000);
    await phone.settle();
    assert.is(cycleLines(phone).length, 2);
    server.setFault(null);
    server.put('site.cfg', cfg({ 'prov.polling.period': '9000' }));
    phone.farEnd.notify('check-sync');
    await cycles(phone, 3);
    assert.match(cycleLines(phone)[2], 'provisioned from 000000000000.cfg (check-sync)');
    assert.ok(logMatching(phone, /prov\.polling\.period: "6000" -> "9000" \(site\.cfg\)/).length === 1);
    assert.equal(phone.faults, []);
  } finally {
    phone.dispose();
  }
});

test('the server stops answering in mid-cycle: one timeout, the rest of the cycle skipped, retried', async () => {
  server.put('000000000000.cfg', masterCfg('site.cfg,more.cfg'));
  server.put('more.cfg', cfg({ 'dir.search.field': '1' }));
  const phone = await phoneAt(server);
  try {
    server.setFault('timeout', '/site.cfg');
    server.put('site.cfg', cfg({ 'prov.polling.period': '9000' }));
    await server.quiesce();
    const mark = server.accessLog().length;
    const t0 = Date.now();
    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    assert.ok(Date.now() - t0 < 4000, 'waited out one timeout, not one per file');
    assert.ok(logMatching(phone, /site\.cfg: no answer in time .*skipping the rest of this cycle/).length === 1);
    await server.quiesce();
    assert.not.ok(server.accessLog().slice(mark).some((e) => e.uri.includes('more.cfg') || e.uri.includes('directory')), 'nothing asked after the timeout');
    assert.ok(logMatching(phone, /retrying in 3\d s/).length === 1);
    server.setFault(null);
    await phone.advance(34_000);
    await cycles(phone, 3);
    assert.ok(logMatching(phone, /prov\.polling\.period: "6000" -> "9000" \(site\.cfg\)/).length === 1);
  } finally {
    phone.dispose();
  }
});

test('a file listed in CONFIG_FILES missing on the server (404): logged, the others applied, retried', async () => {
  server.put('000000000000.cfg', masterCfg('missing.cfg,site.cfg'));
  const phone = await phoneAt(server);
  try {
    assert.match(cycleLines(phone)[0], 'provisioning incomplete');
    assert.ok(logMatching(phone, /missing\.cfg: listed in CONFIG_FILES but not on the server \(HTTP 404\)/).length === 1);
    assert.ok(logMatching(phone, /prov\.polling\.period: "86400" -> "6000" \(site\.cfg\)/).length === 1);
    assert.ok(logMatching(phone, /retrying in 3\d s/).length === 1);
  } finally {
    phone.dispose();
  }
});

test('a 5 MB file listed first in CONFIG_FILES is refused alone: the file after it applied, one log line per cycle, no backoff, last good copy kept', async () => {
  server.put('000000000000.cfg', masterCfg('big.cfg,site.cfg'));
  server.put('big.cfg', cfg({ 'dir.search.field': '1' }));
  const phone = await phoneAt(server);
  try {
    assert.ok(logMatching(phone, /dir\.search\.field: "0" -> "1" \(big\.cfg\)/).length === 1, 'the good copy applied at boot');
    const big = cfg({ 'dir.search.field': '0' });
    server.put('big.cfg', big.replace('/>', ' '.repeat(5 * 1024 * 1024) + '/>'));
    server.put('site.cfg', cfg({ 'prov.polling.period': '9000' }));
    await server.quiesce();
    const mark = server.accessLog().length;
    const refusals = () => logMatching(phone, /\|prov\|4\|.*big\.cfg: refused, file larger than 262144 bytes; last good copy stays in force/);

    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    assert.match(cycleLines(phone)[1], 'provisioned from 000000000000.cfg (check-sync)');
    assert.is(refusals().length, 1, phone.log().slice(-12).join('\n'));
    assert.ok(logMatching(phone, /prov\.polling\.period: "6000" -> "9000" \(site\.cfg\)/).length === 1, 'the file after the big one is applied');
    assert.is(logMatching(phone, /dir\.search\.field: "1" ->/).length, 0, 'the big file\'s last good copy stays in force');
    assert.is(logMatching(phone, /skipping the rest of this cycle|retrying in/).length, 0, 'not a network failure, no backoff');

    phone.farEnd.notify('check-sync');
    await cycles(phone, 3);
    assert.is(refusals().length, 2, 'logged once per cycle');
    await phone.advance(5 * 60_000);
    await phone.settle();
    assert.is(cycleLines(phone).length, 3, 'no retry cycle: the next try is the next poll or check-sync');
    await server.quiesce();
    const gets = (name: string) => server.accessLog().slice(mark).filter((e) => e.method === 'GET' && e.uri === `/${name}`).length;
    assert.equal([gets('big.cfg'), gets('site.cfg')], [2, 2], 'one GET of each per cycle');
    assert.equal(phone.faults, []);
  } finally {
    phone.dispose();
  }
});

test('a file the server fails for alone (503) does not stop the files after it', async () => {
  server.put('000000000000.cfg', masterCfg('broken.cfg,site.cfg'));
  server.put('broken.cfg', cfg({ 'dir.search.field': '1' }));
  server.setFault('503', '/broken.cfg');
  const phone = await phoneAt(server);
  try {
    assert.ok(logMatching(phone, /broken\.cfg: HTTP 503; last good copy of broken\.cfg stays in force/).length === 1);
    assert.ok(logMatching(phone, /prov\.polling\.period: "86400" -> "6000" \(site\.cfg\)/).length === 1);
  } finally {
    phone.dispose();
  }
});

test('malformed config file: refused, error on screen, last good copy kept, no retry storm', async () => {
  const phone = await phoneAt(server);
  try {
    server.put('site.cfg', '<polycomConfig prov.polling.period="9000"');
    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    assert.match(cycleLines(phone)[1], 'provisioned from');
    assert.ok(logMatching(phone, /\|prov\|4\|.*site\.cfg: refused, malformed XML/).length === 1);
    assert.is(phone.screen().title, 'Provisioning error');
    assert.is(logMatching(phone, /retrying in/).length, 0, 'a bad file is not a server failure');
    assert.is(logMatching(phone, /prov\.polling\.period: "6000" ->/).length, 0);
  } finally {
    phone.dispose();
  }
});

test.run();
