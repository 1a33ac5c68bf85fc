/**
 * Log uploads against a real nginx (WebDAV PUT, test/servers/nginx.ts):
 * append mode reads the server file and writes it back longer (GET, PUT), so
 * the server ends with every line once; log.render.file=0 sends nothing.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NginxServer } from '../servers/nginx';
import { PASSWORD, USER, cfg, masterCfg, provisioningServerFor } from '../provisioning/provisioning-fixture';
import { MAC, bootLogPhone, logLines, type LogPhone } from './log-phone';

const test = suite('log uploads to nginx');
let server: NginxServer;

provisioningServerFor(test, { auth: [{ user: USER, password: PASSWORD }] }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
});

async function provisioned(site: Record<string, string>): Promise<LogPhone> {
  server.put('site.cfg', cfg(site));
  const phone = await bootLogPhone();
  const { settings, provisioning } = phone.booted;
  settings.set('device.prov.serverName', server.httpUrl);
  settings.set('device.prov.user', USER);
  settings.set('device.prov.password', PASSWORD);
  assert.is((await provisioning.client.request('request')).outcome, 'provisioned');
  return phone;
}

async function settled(phone: LogPhone): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await phone.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
  await server.quiesce();
}

test('append: each upload adds only the new lines to the server file (GET then PUT)', async () => {
  const phone = await provisioned({});
  logLines(phone, 3, 60, 'calls', 'first');
  assert.is(phone.booted.logs.upload('app', 'test'), 'sent');
  await settled(phone);
  logLines(phone, 2, 60, 'calls', 'second');
  const mark = server.accessLog().length;
  assert.is(phone.booted.logs.upload('app', 'test'), 'sent');
  await settled(phone);
  const text = server.read(`logs/${MAC}-app.log`)!.toString();
  const lines = text.trim().split('\n');
  assert.is(lines.filter((l) => l.includes('|first ')).length, 3);
  assert.is(lines.filter((l) => l.includes('|second ')).length, 2);
  assert.is(new Set(lines).size, lines.length, 'no line twice');
  const requests = server.accessLog().slice(mark).filter((e) => e.uri.endsWith(`${MAC}-app.log`) && e.status !== 401).map((e) => `${e.method} ${e.status}`);
  assert.equal(requests, ['GET 200', 'PUT 204']);
  assert.match(server.read(`logs/${MAC}-boot.log`)!.toString(), /\|sys\|2\|0\|boot: firmware/, 'the boot log went up after the first cycle that provisioned');
});

test('log.render.file=0: no PUT of any log', async () => {
  const mark = server.accessLog().length;
  const phone = await provisioned({ 'log.render.file': '0' });
  logLines(phone, 3);
  assert.is(phone.booted.logs.upload('app', 'test'), 'suppressed');
  await settled(phone);
  assert.equal(server.accessLog().slice(mark).filter((e) => e.method === 'PUT'), []);
  assert.equal(server.listFiles().filter((f) => f.startsWith('logs/')), []);
});

test.run();
