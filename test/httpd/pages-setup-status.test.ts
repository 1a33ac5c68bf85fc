/**
 * Home > Status and Simple Setup: status shows what an admin needs and
 * nothing secret or personal; Simple Setup writes its parameters to the web
 * layer, stores the provisioning server through the provisioning module's
 * entry point (write-only password), refuses a bad field alone, and links
 * "Reset to Default" to Reset Web Configuration.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootPages, htmlOf } from './page-requests';

test('status: model, MAC, firmware and slot, uptime, link, lines, provisioning, time; no secret, no line address', async () => {
  const h = bootPages();
  const { config, settings } = h.phone.booted;
  config.setOverride('web', 'reg.1.address', 'alice.private@pbx.example');
  config.setOverride('web', 'reg.1.auth.password', 'Line-Secret-9');
  settings.set('device.prov.serverName', 'http://produser:Prov-Secret-7@prov.example/cfg/');
  h.phone.devices.clock.advance(3_725_000);
  const page = h.pages.find((p) => p.path === '/')!;
  assert.is(page.access, 'user', 'the landing page after any login');
  const html = htmlOf(await h.get('/', 'user'));
  const board = h.phone.profile;
  for (const text of [board.model, board.mac, 'host', 'factory image', '1 h 2 min', 'Network link', 'Line 1', 'http://prov.example/cfg/', 'no cycle since boot', '(GMT+00:00)']) {
    assert.ok(html.includes(text), `${text} in status`);
  }
  for (const secret of ['Prov-Secret-7', 'produser', 'Line-Secret-9', 'alice.private']) assert.not.ok(html.includes(secret), secret);
});

test('Simple Setup: its fields go to the web layer; the provisioning server is stored as the keypad stores it, its password write-only', async () => {
  const h = bootPages();
  const { config, settings } = h.phone.booted;
  settings.set('device.prov.password', 'Old-Prov-Pw');
  const form = htmlOf(await h.get('/setup'));
  for (const name of ['lcl.ml.lang', 'tcpIpApp.sntp.address', 'tcpIpApp.sntp.gmtOffset', 'reg.1.server.1.address', 'reg.1.address', 'reg.1.displayName', 'reg.1.auth.password']) {
    assert.match(form, new RegExp(`name="p\\.${name.replace(/\./g, '\\.')}"`), name);
  }
  assert.not.ok(form.includes('Old-Prov-Pw'));
  assert.match(form, /<a href="\/utilities\/reset\?variant=resetWebConfig">Reset to Default<\/a>/);
  const r = await h.post('/setup', {
    'p.lcl.ml.lang': 'Deutsch_Deutschland',
    'p.tcpIpApp.sntp.address': 'ntp.example',
    'p.reg.1.server.1.address': 'pbx.example',
    'p.reg.1.address': '1001',
    'p.reg.1.displayName': 'Reception',
    'p.reg.1.auth.password': 'Line-Pw-1',
    'prov.server': 'https://prov.example/phones/',
    'prov.user': 'fleet',
    'prov.password': '',
  });
  assert.is(r.kind, 'redirect');
  for (const [name, value] of [['lcl.ml.lang', 'Deutsch_Deutschland'], ['tcpIpApp.sntp.address', 'ntp.example'], ['reg.1.displayName', 'Reception'], ['reg.1.auth.password', 'Line-Pw-1']]) {
    assert.is(config.get(name), value, name);
    assert.is(config.explain(name).layer, 'web', name);
  }
  assert.is(settings.get('device.prov.serverName'), 'https://prov.example/phones/');
  assert.is(settings.get('device.prov.user'), 'fleet');
  assert.is(settings.get('device.prov.password'), 'Old-Prov-Pw', 'an empty password field keeps the stored password');
  assert.ok(h.phone.log().some((l) => l.includes('provisioning server set from the web interface: https://prov.example/phones/')));
  assert.not.ok(htmlOf(await h.get('/setup')).includes('Line-Pw-1'));
});

test('Simple Setup: a bad server address and a bad offset are refused alone; the rest applies', async () => {
  const h = bootPages();
  const { config, settings } = h.phone.booted;
  settings.set('device.prov.serverName', 'http://prov.example/');
  const r = await h.post('/setup', {
    'p.tcpIpApp.sntp.gmtOffset': '99999999',
    'p.reg.1.displayName': 'Lobby',
    'prov.server': 'ftp://prov.example/',
    'prov.user': '',
  });
  assert.is(r.kind === 'page' && r.status, 400);
  const html = htmlOf(r);
  assert.match(html, /tcpIpApp\.sntp\.gmtOffset<\/code> = "99999999": out of range/);
  assert.match(html, /Scheme &quot;ftp&quot; not supported/);
  assert.is(config.get('reg.1.displayName'), 'Lobby');
  assert.is(config.get('tcpIpApp.sntp.gmtOffset'), '0');
  assert.is(settings.get('device.prov.serverName'), 'http://prov.example/', 'the stored server stays');
});

test('Simple Setup: the server field shows the URL without inline credentials, and sending it back unchanged keeps them', async () => {
  const h = bootPages();
  const { settings } = h.phone.booted;
  settings.set('device.prov.serverName', 'http://u:Inline-Pw@prov.example/');
  const html = htmlOf(await h.get('/setup'));
  assert.not.ok(html.includes('Inline-Pw'));
  assert.match(html, /value="http:\/\/prov\.example\/"/);
  await h.post('/setup', { 'prov.server': 'http://prov.example/', 'prov.user': '' });
  assert.is(settings.get('device.prov.serverName'), 'http://u:Inline-Pw@prov.example/');
});

test.run();
