/**
 * Directory files from a real nginx, as the booted firmware (in process)
 * handles them: the last good copy is kept for the directory module and
 * announced on the bus; a check-sync downloads them again unless
 * voIpProt.SIP.specialEvent.checkSync.downloadDirectory=1 and no
 * configuration changed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootInProcess, type InProcessPhone } from '../../sim/host/in-process-firmware';
import type { NginxServer } from '../servers/nginx';
import { MAC, PASSWORD, USER, cfg, masterCfg, provisioningServerFor } from './provisioning-fixture';

let server: NginxServer;
const GLOBAL = '<directory><item_list><item><fn>Ada</fn><ct>100</ct></item></item_list></directory>\n';

provisioningServerFor(test, { auth: { user: USER, password: PASSWORD } }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
  s.put('contacts/000000000000-directory.xml', GLOBAL);
});

function phoneAtServer(site: Record<string, string>): InProcessPhone {
  server.put('site.cfg', cfg(site));
  const phone = bootInProcess({ board: 'desk-500' });
  phone.booted.settings.set('device.prov.serverName', server.httpUrl);
  phone.booted.settings.set('device.prov.user', USER);
  phone.booted.settings.set('device.prov.password', PASSWORD);
  return phone;
}

const directoryGets = (since: number) => server.accessLog().slice(since).filter((e) => e.method === 'GET' && e.uri.includes('-directory.xml')).map((e) => `${e.uri} ${e.status}`);

test('directory files: cached for the directory module, announced on the bus; absent personal file is fine', async () => {
  const phone = phoneAtServer({});
  const announced: string[] = [];
  phone.booted.kernel.bus.on('prov:directory', (p) => announced.push((p as { name: string }).name));
  const r = await phone.booted.provisioning.client.request('request');
  assert.is(r.outcome, 'provisioned');
  assert.equal(announced, ['000000000000-directory.xml']);
  assert.is(phone.booted.provisioning.directoryFile('000000000000-directory.xml'), GLOBAL);
  assert.is(phone.booted.provisioning.directoryFile(`${MAC}-directory.xml`), null);
});

test('a missing directory file: one info line with the URL tried, without the credentials', async () => {
  const phone = phoneAtServer({});
  // Credentials written into the server URL, as some fleets do: moved to the auth fields, never logged.
  phone.booted.settings.set('device.prov.serverName', server.httpUrl.replace('://', `://${USER}:${PASSWORD}@`));
  await phone.booted.provisioning.client.request('request');
  await phone.booted.provisioning.client.request('check-sync');
  const lines = phone.log().filter((l) => l.includes(`${MAC}-directory.xml: no such file`));
  assert.equal(lines.length, 1, 'once, not every cycle');
  assert.ok(lines[0].includes(`|1|0|${MAC}-directory.xml: no such file on the server at ${server.httpUrl}contacts/${MAC}-directory.xml (HTTP 404); no directory file of this name`), lines[0]);
  assert.not.ok(phone.log().some((l) => l.includes(PASSWORD)), 'no password in the log');
});

test('a server with only the template 000000000000-directory~.xml: the notice docs/directory.md promises, once; the template is not merged', async () => {
  server.remove('contacts/000000000000-directory.xml');
  server.put('contacts/000000000000-directory~.xml', GLOBAL);
  const phone = phoneAtServer({});
  const announced: string[] = [];
  phone.booted.kernel.bus.on('prov:directory', (p) => announced.push((p as { name: string }).name));
  await phone.booted.provisioning.client.request('request');
  await phone.booted.provisioning.client.request('request');
  const notices = phone.log().filter((l) => l.includes('directory: 000000000000-directory~.xml is on the server but is the template: not merged (remove the ~ from its name on the server to use it as the global directory)'));
  assert.is(notices.length, 1, phone.log().filter((l) => /directory/.test(l)).join('\n'));
  assert.equal(announced, [], 'the template is not handed to the directory');
  assert.is(phone.booted.provisioning.directoryFile('000000000000-directory~.xml'), null);
});

test('a server with neither the global directory nor its template: no template notice', async () => {
  server.remove('contacts/000000000000-directory.xml');
  const phone = phoneAtServer({});
  await phone.booted.provisioning.client.request('request');
  assert.not.ok(phone.log().some((l) => l.includes('is the template')));
});

test('check-sync with downloadDirectory=0 (default) asks for the directory files again', async () => {
  const phone = phoneAtServer({});
  await phone.booted.provisioning.client.request('request');
  await server.quiesce();
  const mark = server.accessLog().length;
  await phone.booted.provisioning.client.request('check-sync');
  await server.quiesce();
  assert.equal(directoryGets(mark), ['/contacts/000000000000-directory.xml 304', `/contacts/${MAC}-directory.xml 404`]);
});

test('check-sync with downloadDirectory=1: directory only along with a configuration change', async () => {
  const phone = phoneAtServer({ 'voIpProt.SIP.specialEvent.checkSync.downloadDirectory': '1' });
  await phone.booted.provisioning.client.request('request');
  await server.quiesce();
  let mark = server.accessLog().length;
  await phone.booted.provisioning.client.request('check-sync');
  await server.quiesce();
  assert.equal(directoryGets(mark), [], 'nothing changed: no directory download');
  server.put('site.cfg', cfg({ 'voIpProt.SIP.specialEvent.checkSync.downloadDirectory': '1', 'dir.search.field': '1' }));
  mark = server.accessLog().length;
  await phone.booted.provisioning.client.request('check-sync');
  await server.quiesce();
  assert.is(directoryGets(mark).length, 2, 'with the configuration update');
});

test.run();
