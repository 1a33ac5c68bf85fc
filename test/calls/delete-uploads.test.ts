/**
 * Privacy: deleting call-list entries (one entry on the keypad, one entry or
 * a whole list on the web page) uploads `<MAC>-calls.xml` again, as the end
 * of a call does, so the provisioning server's copy loses them at once, not
 * at the next call. The upload obeys the same rules (feature.uploadDir.enabled,
 * Restrict Personal Data Upload). Real nginx, firmware booted in process.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RESTRICT_UPLOAD_SETTING } from '../../firmware/reset/reset-variants';
import type { NginxServer } from '../servers/nginx';
import { harnessFor } from '../httpd/page-requests';
import { MAC, PASSWORD, USER, cfg, masterCfg, provisioningServerFor } from '../provisioning/provisioning-fixture';
import { bootCalls, type CallsHarness } from './calls-harness';

let server: NginxServer;
provisioningServerFor(test, { auth: [{ user: USER, password: PASSWORD }] }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
});

const UPLOADED = `calls/${MAC}-calls.xml`;

async function provisioned(site: Record<string, string>): Promise<CallsHarness> {
  server.put('site.cfg', cfg(site));
  const h = bootCalls();
  const { settings, provisioning } = h.phone.booted;
  settings.set('device.prov.serverName', server.httpUrl);
  settings.set('device.prov.user', USER);
  settings.set('device.prov.password', PASSWORD);
  const report = await provisioning.client.request('request');
  assert.is(report.outcome, 'provisioned', h.phone.log().slice(-5).join('\n'));
  return h;
}

async function missed(h: CallsHarness, from: string, name: string): Promise<void> {
  const id = h.far.ring(from, name);
  await h.tick(5000);
  h.far.hangup(id);
  await h.tick();
}

/** Real network I/O under virtual time: pass the upload debounce, then wait (real time) for `ok`. */
async function uploadedUntil(h: CallsHarness, what: string, ok: (text: string) => boolean): Promise<void> {
  await h.tick(2000);
  // The PUT to nginx takes real time, more on a loaded machine: wait up to 15 s of it.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const text = server.read(UPLOADED)?.toString();
    if (text !== undefined && ok(text)) return;
    await h.tick(10);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}: ${server.read(UPLOADED)?.toString() ?? '(no file)'}`);
}

test('a keypad delete and a web delete re-upload <MAC>-calls.xml: the server no longer holds the entries', async () => {
  const h = await provisioned({ 'feature.uploadDir.enabled': '1' });
  await missed(h, '5550101', 'Kept Caller');
  await missed(h, '5550202', 'Keypad Deleted');
  await missed(h, '5550303', 'Web Deleted');
  await uploadedUntil(h, 'the upload after the calls', (t) => t.includes('Keypad Deleted') && t.includes('Web Deleted'));

  // The keypad's Delete soft key (call-list-screen.ts) deletes through the recorder: newest first, index 1 is 'Keypad Deleted'.
  assert.is(h.list('missed')[1].source.name, 'Keypad Deleted');
  h.phone.booted.calls.recorder.deleteEntry('missed', 1);
  await uploadedUntil(h, 'the upload after the keypad delete', (t) => !t.includes('Keypad Deleted'));
  assert.ok(server.read(UPLOADED)!.toString().includes('Kept Caller'), 'the other entries stay');

  const web = harnessFor(h.phone);
  const seq = h.list('missed').find((r) => r.source.name === 'Web Deleted')!.seq;
  const r = await web.post('/user/calls', { action: 'delete', list: 'missed', seq: String(seq) }, 'user');
  assert.is(r.kind, 'redirect');
  await uploadedUntil(h, 'the upload after the web delete', (t) => !t.includes('Web Deleted'));
  assert.ok(server.read(UPLOADED)!.toString().includes('Kept Caller'));

  await web.post('/user/calls', { action: 'clear', list: 'missed' }, 'user');
  await uploadedUntil(h, 'the upload after the web clear', (t) => !t.includes('Kept Caller'));
});

test('feature.uploadDir.enabled=0 or Restrict Personal Data Upload: a delete uploads nothing', async () => {
  for (const [site, restricted] of [[{ 'feature.uploadDir.enabled': '0' }, false], [{ 'feature.uploadDir.enabled': '1' }, true]] as const) {
    await server.quiesce();
    const mark = server.accessLog().length;
    const h = await provisioned(site);
    if (restricted) h.phone.booted.settings.set(RESTRICT_UPLOAD_SETTING, '1');
    await missed(h, '5550404', 'Any Caller');
    await h.tick(2000);
    h.phone.booted.calls.recorder.clear();
    await h.tick(2000);
    for (let i = 0; i < 20; i++) await h.tick(10);
    await server.quiesce();
    assert.equal(server.accessLog().slice(mark).filter((e) => e.method === 'PUT' && e.uri.endsWith('-calls.xml')), [], `restricted=${restricted}`);
    assert.ok(h.phone.log().some((l) => l.includes(`not uploading ${MAC}-calls.xml`)), `restricted=${restricted}`);
  }
});

test.run();
