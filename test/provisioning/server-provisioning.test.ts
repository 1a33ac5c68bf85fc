/**
 * A simulated phone (the real firmware bundle in QuickJS) provisioned by a
 * real nginx on 127.0.0.1: boot-time download and apply over HTTP and HTTPS
 * with basic auth, untrusted certificate and wrong credentials refused,
 * conditional GET on an unchanged cycle (bytes measured at the server),
 * check-sync and polling re-downloads, the boot log upload and its
 * suppression by log.render.file, the cached configuration after a reboot
 * without server.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPhone } from '../../sim/phone';
import { ENGINES } from '../helpers/sim';
import { NginxServer } from '../servers/nginx';
import { MAC, PASSWORD, USER, cfg, cycleLines, cycles, logMatching, masterCfg, phoneAt, provisioningServerFor } from './provisioning-fixture';

let server: NginxServer;

provisioningServerFor(test, { auth: { user: USER, password: PASSWORD } }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
  s.put('site.cfg', cfg({ 'prov.polling.period': '6000', 'dir.search.field': '1' }));
  s.put('contacts/000000000000-directory.xml', '<directory><item_list><item><fn>Ada</fn><ct>100</ct></item></item_list></directory>\n');
});

for (const engine of ENGINES) test(`boot over HTTP with basic auth (${engine}): master, CONFIG_FILES and directory downloaded and applied`, async () => {
  await server.quiesce();
  const mark = server.accessLog().length;
  const phone = await phoneAt(server, { engine });
  try {
    const [line] = cycleLines(phone);
    assert.match(line, `provisioned from 000000000000.cfg (boot)`);
    assert.ok(logMatching(phone, /\|cfg\|.*dir\.search\.field: "0" -> "1" \(site\.cfg\)/).length === 1, 'site.cfg value applied');
    const got = server.accessLog().slice(mark).filter((e) => e.method === 'GET' && e.status === 200).map((e) => e.uri);
    assert.equal(got, ['/000000000000.cfg', '/site.cfg', '/contacts/000000000000-directory.xml']);
    assert.ok(server.accessLog().slice(mark).some((e) => e.uri === `/${MAC}.cfg` && e.status === 404), 'asked for <MAC>.cfg first');
    assert.equal(phone.faults, []);
  } finally {
    phone.dispose();
  }
});

test('<MAC>.cfg wins over 000000000000.cfg; model-specific CONFIG_FILES', async () => {
  server.put(`${MAC}.cfg`, `<APPLICATION CONFIG_FILES="site.cfg" CONTACTS_DIRECTORY="contacts"><APPLICATION_DESK500 CONFIG_FILES_DESK500="desk500.cfg"/></APPLICATION>\n`);
  server.put('desk500.cfg', cfg({ 'dir.search.field': '1', 'prov.polling.period': '9000' }));
  const mark = server.accessLog().length;
  const phone = await phoneAt(server);
  try {
    assert.match(cycleLines(phone)[0], `provisioned from ${MAC}.cfg`);
    assert.ok(logMatching(phone, /prov\.polling\.period: "86400" -> "9000" \(desk500\.cfg\)/).length === 1);
    assert.not.ok(server.accessLog().slice(mark).some((e) => e.uri === '/000000000000.cfg'), 'no fallback when <MAC>.cfg exists');
    assert.not.ok(server.accessLog().slice(mark).some((e) => e.uri === '/site.cfg'), 'the model child replaced CONFIG_FILES');
  } finally {
    phone.dispose();
  }
});

test('unchanged cycle: conditional GET, no file bodies; bytes measured at the server', async () => {
  await server.quiesce();
  const start = server.accessLog().length;
  const phone = await phoneAt(server);
  try {
    await phone.settle();
    await server.quiesce();
    const full = server.accessLog().slice(start).filter((e) => e.method === 'GET');
    const mark = server.accessLog().length;
    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    await server.quiesce();
    const second = server.accessLog().slice(mark).filter((e) => e.method === 'GET');
    const fileAnswers = second.filter((e) => e.status !== 401 && e.status !== 404);
    assert.ok(fileAnswers.length >= 3);
    for (const e of fileAnswers) assert.is(e.status, 304, `${e.uri} answered ${e.status}`);
    const bodies = (log: typeof full) => log.filter((e) => e.status === 200).reduce((n, e) => n + e.bodyBytes, 0);
    assert.ok(bodies(full) > 0);
    assert.is(bodies(second), 0, 'no file body sent on an unchanged cycle');
    const sent = second.reduce((n, e) => n + e.requestBytes, 0);
    const answered = second.reduce((n, e) => n + e.responseBytes, 0);
    console.log(`      unchanged cycle: ${second.length} requests, phone sent ${sent} B, server answered ${answered} B (first cycle: ${full.reduce((n, e) => n + e.responseBytes, 0)} B)`);
    assert.match(cycleLines(phone)[1], /provisioned from 000000000000\.cfg \(check-sync\): 0 changed/);
  } finally {
    phone.dispose();
  }
});

test('check-sync NOTIFY: a changed file is downloaded again and applied', async () => {
  const phone = await phoneAt(server);
  try {
    server.put('site.cfg', cfg({ 'prov.polling.period': '12000', 'dir.search.field': '1' }));
    phone.farEnd.notify('check-sync', { reboot: 'false' });
    await cycles(phone, 2);
    assert.ok(logMatching(phone, /prov\.polling\.period: "6000" -> "12000" \(site\.cfg\)/).length === 1);
    assert.match(cycleLines(phone)[1], /\(check-sync\): 1 changed/);
  } finally {
    phone.dispose();
  }
});

test('polling: prov.polling.enabled=1 in rel mode asks the server again every prov.polling.period seconds', async () => {
  server.put('site.cfg', cfg({ 'prov.polling.enabled': '1', 'prov.polling.mode': 'rel', 'prov.polling.period': '3600' }));
  const phone = await phoneAt(server);
  try {
    await phone.advance(3_590_000);
    await phone.settle();
    assert.is(cycleLines(phone).length, 1, 'not before the period');
    await phone.advance(20_000);
    await cycles(phone, 2);
    assert.match(cycleLines(phone)[1], '(poll)');
  } finally {
    phone.dispose();
  }
});

test('HTTPS with the server CA trusted: provisioned', async () => {
  const phone = await phoneAt(server, { https: true });
  try {
    assert.match(cycleLines(phone)[0], 'provisioned from 000000000000.cfg');
    assert.ok(logMatching(phone, /dir\.search\.field: "0" -> "1"/).length === 1);
  } finally {
    phone.dispose();
  }
});

test('HTTPS with a certificate the phone does not trust: refused, nothing applied, retried with backoff', async () => {
  const before = server.accessLog().length;
  const phone = await phoneAt(server, { https: true, caPem: server.tls.otherCaPem });
  try {
    assert.match(cycleLines(phone)[0], 'provisioning incomplete');
    assert.ok(logMatching(phone, /\|prov\|4\|.*TLS failure/).length >= 1);
    assert.ok(logMatching(phone, /retrying in 3\d s/).length === 1);
    assert.is(logMatching(phone, /dir\.search\.field: "0" -> "1"/).length, 0);
    assert.is(server.accessLog().length, before, 'no request got through the TLS handshake');
  } finally {
    phone.dispose();
  }
});

test('wrong provisioning password: the server refuses, the phone logs it and retries', async () => {
  const phone = await phoneAt(server, { password: 'wrong' });
  try {
    assert.match(cycleLines(phone)[0], 'provisioning incomplete');
    assert.ok(logMatching(phone, /refused the provisioning credentials \(HTTP 401\)/).length === 1);
  } finally {
    phone.dispose();
  }
});

test('boot log uploaded by PUT to LOG_FILE_DIRECTORY; log.render.file=0 uploads nothing', async () => {
  let phone = await phoneAt(server);
  try {
    await phone.settle();
    assert.ok(server.listFiles().includes(`logs/${MAC}-boot.log`));
    assert.match(server.read(`logs/${MAC}-boot.log`)!.toString(), /\|prov\|2\|0\|provisioned from/);
  } finally {
    phone.dispose();
  }
  server.remove(`logs/${MAC}-boot.log`);
  server.put('site.cfg', cfg({ 'log.render.file': '0' }));
  await server.quiesce();
  const mark = server.accessLog().length;
  phone = await phoneAt(server);
  try {
    await phone.advance(5000);
    await phone.settle();
    assert.ok(logMatching(phone, /not uploading .*-boot\.log: log\.render\.file=0/).length === 1);
    assert.equal(server.listFiles().filter((f) => f.startsWith('logs/')), []);
    assert.equal(server.accessLog().slice(mark).filter((e) => e.method === 'PUT'), []);
  } finally {
    phone.dispose();
  }
});

test('server gone after a reboot: the phone runs on its cached configuration', async () => {
  const phone = await phoneAt(server);
  try {
    server.setFault('503');
    await phone.powerOn();
    await cycles(phone, 2);
    assert.match(cycleLines(phone)[1], 'provisioning incomplete (boot)');
    const loaded = logMatching(phone, /\|cfg\|.*loaded: master 000000000000\.cfg, 1 config files/);
    assert.is(loaded.length, 1, 'second boot loaded the cached files');
    assert.ok(logMatching(phone, /dir\.search\.field="1" from files \(site\.cfg\)/).length >= 1);
  } finally {
    phone.dispose();
  }
});

test('network link down at boot: provisioning waits for the link, then runs', async () => {
  const phone = await createPhone({
    board: 'desk-500', provisioningDir: null,
    deviceSettings: { 'device.prov.serverName': server.httpUrl, 'device.prov.user': USER, 'device.prov.password': PASSWORD },
  });
  try {
    phone.devices.net.setLink(false);
    await phone.boot();
    await phone.advance(5000);
    assert.is(cycleLines(phone).length, 0);
    assert.ok(logMatching(phone, /network link down: provisioning when it comes up/).length === 1);
    phone.devices.net.setLink(true);
    await cycles(phone, 1);
    assert.match(cycleLines(phone)[0], 'provisioned from 000000000000.cfg (boot)');
  } finally {
    phone.dispose();
  }
});

test('a file dropped from CONFIG_FILES and listed again is downloaded whole and applies again', async () => {
  server.put('000000000000.cfg', masterCfg('extra.cfg,site.cfg'));
  server.put('extra.cfg', cfg({ 'prov.polling.period': '4242' }));
  const phone = await phoneAt(server);
  try {
    assert.ok(logMatching(phone, /prov\.polling\.period: "86400" -> "4242" \(extra\.cfg\)/).length === 1);
    server.put('000000000000.cfg', masterCfg('site.cfg'));
    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    assert.ok(logMatching(phone, /prov\.polling\.period: "4242" -> "6000" \(site\.cfg\)/).length === 1);
    server.put('000000000000.cfg', masterCfg('extra.cfg,site.cfg'));
    await server.quiesce();
    const mark = server.accessLog().length;
    phone.farEnd.notify('check-sync');
    await cycles(phone, 3);
    await server.quiesce();
    assert.ok(server.accessLog().slice(mark).some((e) => e.uri === '/extra.cfg' && e.status === 200), 'asked without validators');
    assert.ok(logMatching(phone, /prov\.polling\.period: "6000" -> "4242" \(extra\.cfg\)/).length === 1);
  } finally {
    phone.dispose();
  }
});

test('a server without ETag / If-Modified-Since: the same bytes again are not re-applied', async () => {
  const plain = await NginxServer.start({ auth: { user: USER, password: PASSWORD }, validators: false });
  try {
    plain.put('000000000000.cfg', masterCfg('site.cfg'));
    plain.put('site.cfg', cfg({ 'prov.polling.period': '6000' }));
    const phone = await phoneAt(plain);
    try {
      const applied = () => logMatching(phone, /\|cfg\|.*site\.cfg: \d+ values accepted/).length;
      assert.is(applied(), 1);
      phone.farEnd.notify('check-sync');
      await cycles(phone, 2);
      await plain.quiesce();
      assert.ok(plain.accessLog().filter((e) => e.uri === '/site.cfg' && e.status === 200).length === 2, 'the server sent the whole file twice');
      assert.is(applied(), 1, 'not applied (nor written to flash) again');
      assert.match(cycleLines(phone)[1], /0 changed/);
    } finally {
      phone.dispose();
    }
  } finally {
    await plain.stop();
  }
});

test.run();
