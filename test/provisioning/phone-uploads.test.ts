/**
 * Uploads as the booted firmware makes them (its own boot sequence, run in
 * this process over virtual devices so the test can reach its objects), to a
 * real nginx: a change made on the phone uploads `<MAC>-phone.cfg` (encrypted
 * when sec.encryption.upload.overrides=1), modules' upload requests on the bus
 * obey feature.uploadDir.enabled, and "Clear Uploaded Calls/Directory" deletes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decryptConfigFile, formatEncryptionKey, parseEncryptionKey } from '../../firmware/provisioning/config-encryption';
import type { CycleReport } from '../../firmware/provisioning/provisioning-client';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { bootInProcess, type InProcessPhone } from '../../sim/host/in-process-firmware';
import type { NginxServer } from '../servers/nginx';
import { MAC, PASSWORD, USER, cfg, masterCfg, provisioningServerFor } from './provisioning-fixture';

const KEY = parseEncryptionKey('Crypt=1;KeyDesc=lab;Key=11111111222222223333333344444444;');
let server: NginxServer;

provisioningServerFor(test, { auth: [{ user: USER, password: PASSWORD }, { user: 'alice', password: 'alice-pw' }] }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
});

/** Boot in process, point at nginx, run one cycle. */
async function provisioned(site: Record<string, string>, withKey = false): Promise<InProcessPhone> {
  server.put('site.cfg', cfg(site));
  const phone = bootInProcess({ board: 'desk-500' });
  const { settings, provisioning } = phone.booted;
  settings.set('device.prov.serverName', server.httpUrl);
  settings.set('device.prov.user', USER);
  settings.set('device.prov.password', PASSWORD);
  if (withKey) settings.set('device.sec.configEncryption.key', formatEncryptionKey(KEY));
  const report: CycleReport = await provisioning.client.request('request');
  assert.is(report.outcome, 'provisioned', phone.log().slice(-5).join('\n'));
  return phone;
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a setting changed on the phone: <MAC>-phone.cfg PUT to OVERRIDES_DIRECTORY after a short debounce', async () => {
  const phone = await provisioned({});
  phone.booted.config.setOverride('local', 'up.echoPasswordDigits', '0');
  phone.booted.config.setOverride('local', 'dir.search.field', '1');
  assert.not.ok(server.listFiles().includes(`overrides/${MAC}-phone.cfg`), 'debounced');
  phone.devices.clock.advance(2000);
  await until('override upload', () => server.listFiles().includes(`overrides/${MAC}-phone.cfg`));
  const text = server.read(`overrides/${MAC}-phone.cfg`)!.toString();
  assert.match(text, /<PHONE_CONFIG>\s*<OVERRIDES[^>]*up\.echoPasswordDigits="0"/);
  assert.match(text, /dir\.search\.field="1"/);
  await server.quiesce();
  assert.is(server.accessLog().filter((e) => e.method === 'PUT' && e.uri.endsWith('-phone.cfg')).length, 1, 'one upload for both changes');
});

test('sec.encryption.upload.overrides=1: the override file goes up encrypted with the phone key', async () => {
  const phone = await provisioned({ 'sec.encryption.upload.overrides': '1' }, true);
  phone.booted.config.setOverride('local', 'up.echoPasswordDigits', '0');
  phone.devices.clock.advance(2000);
  await until('override upload', () => server.listFiles().includes(`overrides/${MAC}-phone.cfg`));
  const sealed = server.read(`overrides/${MAC}-phone.cfg`)!;
  assert.match(sealed.toString('latin1'), /^Crypt=1;KeyDesc=lab;/);
  assert.match(Buffer.from(decryptConfigFile(new NodeCryptoEngine(), KEY, sealed)).toString(), 'up.echoPasswordDigits="0"');
});

test('upload requests on the bus: feature.uploadDir.enabled=0 sends nothing, =1 sends; clear uploaded deletes', async () => {
  let phone = await provisioned({ 'feature.uploadDir.enabled': '0' });
  await server.quiesce();
  let mark = server.accessLog().length;
  phone.booted.kernel.bus.emit('prov:upload', { kind: 'callList', text: '<callList/>' });
  phone.booted.kernel.bus.emit('prov:upload', { kind: 'directory', text: '<directory/>' });
  await new Promise((r) => setTimeout(r, 100));
  await server.quiesce();
  assert.equal(server.accessLog().slice(mark).filter((e) => e.method === 'PUT'), []);
  assert.equal(server.listFiles().filter((f) => f.startsWith('calls/') || f.startsWith('contacts/')), []);
  assert.ok(phone.log().some((l) => l.includes(`not uploading ${MAC}-calls.xml: feature.uploadDir.enabled=0`)));

  phone = await provisioned({ 'feature.uploadDir.enabled': '1' });
  phone.booted.kernel.bus.emit('prov:upload', { kind: 'callList', text: '<callList/>' });
  phone.booted.kernel.bus.emit('prov:upload', { kind: 'directory', text: '<directory/>' });
  await until('uploads', () => server.listFiles().includes(`calls/${MAC}-calls.xml`) && server.listFiles().includes(`contacts/${MAC}-directory.xml`));
  await server.quiesce();
  mark = server.accessLog().length;
  phone.booted.kernel.bus.emit('prov:clearUploaded', {});
  await until('deletes', () => !server.listFiles().some((f) => f.startsWith('calls/') || f.startsWith('contacts/')));
  await server.quiesce();
  assert.equal(server.accessLog().slice(mark).filter((e) => e.method === 'DELETE').map((e) => e.status), [204, 204]);
});

test('prov.login.useProvAuth=1: a logged-in user\'s credentials replace the generic account, for downloads and uploads', async () => {
  const phone = await provisioned({ 'prov.login.useProvAuth': '1' });
  const { client } = phone.booted.provisioning;
  client.setUserCredentials({ user: 'alice', password: 'alice-pw' });
  await server.quiesce();
  let mark = server.accessLog().length;
  assert.is((await client.request('request')).outcome, 'provisioned');
  phone.booted.kernel.bus.emit('prov:upload', { kind: 'overrides', user: 'alice', text: '<PHONE_CONFIG><OVERRIDES/></PHONE_CONFIG>\n' });
  await until('override upload', () => server.listFiles().includes('overrides/alice-phone.cfg'));
  await server.quiesce();
  const users = (since: number) => [...new Set(server.accessLog().slice(since).filter((e) => e.status !== 401).map((e) => e.user))];
  assert.equal(users(mark), ['alice']);
  // Log files go to the generic profile account whoever is logged in (spec: "Create a Generic Profile Using Server Authentication").
  mark = server.accessLog().length;
  phone.booted.kernel.bus.emit('prov:upload', { kind: 'log', name: 'app', text: 'x\n' });
  await until('log upload', () => server.listFiles().includes(`logs/${MAC}-app.log`));
  await server.quiesce();
  assert.equal(users(mark), [USER]);
  client.setUserCredentials(null);
  mark = server.accessLog().length;
  assert.is((await client.request('request')).outcome, 'provisioned');
  await server.quiesce();
  assert.equal(users(mark), [USER], 'back to the generic account after logout');
});

test.run();
