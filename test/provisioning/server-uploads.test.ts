/**
 * Uploads to a real nginx (WebDAV PUT/DELETE, basic auth) through the
 * firmware's ServerUploader over the simulator's real HTTP stack: each kind
 * governed by its parameter — proven with the server's file listing and
 * access log that nothing was PUT when suppressed —, encrypted when
 * `sec.encryption.upload.*` says so (and never sent plain when the phone has
 * no key), DELETE for "Clear Uploaded Calls/Directory", a failed upload
 * retried with backoff.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decryptConfigFile, parseEncryptionKey, type ConfigEncryptionKey } from '../../firmware/provisioning/config-encryption';
import { ServerUploader } from '../../firmware/provisioning/server-upload';
import { provisioningServer } from '../../firmware/provisioning/server-settings';
import { createGuard } from '../../firmware/kernel/guard';
import { Logger } from '../../firmware/kernel/logger';
import { Timers } from '../../firmware/kernel/timers';
import { VirtualClock } from '../../sim/devices/clock';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { HostNet } from '../../sim/devices/net';
import type { NginxServer } from '../servers/nginx';
import { MAC, PASSWORD, USER, provisioningServerFor } from './provisioning-fixture';

const KEY = parseEncryptionKey('Crypt=1;KeyDesc=lab;Key=0f0e0d0c0b0a09080706050403020100;');
const CALLS = '<callList><call><startTime>2026-01-01T09:00:00Z</startTime></call></callList>\n';
const DIRECTORY = '<directory><item_list><item><fn>Ada</fn><ct>100</ct></item></item_list></directory>\n';
const DIRS: Record<string, string> = { CALL_LISTS_DIRECTORY: 'calls', CONTACTS_DIRECTORY: 'contacts', OVERRIDES_DIRECTORY: 'overrides', LOG_FILE_DIRECTORY: 'logs' };

let server: NginxServer;

provisioningServerFor(test, { auth: { user: USER, password: PASSWORD } }, (s) => {
  server = s;
});

/** `user`: the account the uploader signs in with, which nginx's access log names for each request. */
function uploader(params: Record<string, string>, key: ConfigEncryptionKey | null = null, user = USER) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const logger = new Logger(() => clock.now(), 0);
  const lines: string[] = [];
  logger.addSink((line) => lines.push(line));
  const log = logger.component('prov');
  const timers = new Timers(clock, createGuard(log));
  const settings = new Map([['device.prov.serverName', server.httpUrl], ['device.prov.user', user], ['device.prov.password', PASSWORD]]);
  const up = new ServerUploader({
    net: new HostNet(),
    crypto: new NodeCryptoEngine(),
    timers,
    log,
    mac: MAC,
    server: () => provisioningServer({ get: (n) => settings.get(n) }),
    param: (n) => params[n],
    masterField: (f) => DIRS[f] ?? '',
    encryptionKey: () => key,
  });
  return { up, clock, lines };
}

const puts = (since: number) => server.accessLog().slice(since).filter((e) => e.method === 'PUT');

test('feature.uploadDir.enabled=1: call list and directory PUT into their directories', async () => {
  const { up } = uploader({ 'feature.uploadDir.enabled': '1' });
  assert.is((await up.uploadCallList(CALLS)).status, 'uploaded');
  assert.is((await up.uploadDirectory(DIRECTORY)).status, 'uploaded');
  assert.is((await up.uploadCallList(CALLS, 'alice')).status, 'uploaded');
  assert.equal(server.listFiles(), ['calls/0004f2a1b2c3-calls.xml', 'calls/alice-calls.xml', 'contacts/0004f2a1b2c3-directory.xml']);
  assert.is(server.read(`calls/${MAC}-calls.xml`)!.toString(), CALLS);
});

test('feature.uploadDir.enabled=0: nothing PUT for the call list or the directory', async () => {
  const mark = server.accessLog().length;
  const { up, lines } = uploader({ 'feature.uploadDir.enabled': '0' });
  assert.equal(await up.uploadCallList(CALLS), { file: `${MAC}-calls.xml`, status: 'suppressed', reason: 'feature.uploadDir.enabled=0' });
  assert.is((await up.uploadDirectory(DIRECTORY)).status, 'suppressed');
  assert.equal(server.listFiles(), []);
  assert.equal(puts(mark), []);
  assert.ok(lines.some((l) => l.includes(`not uploading ${MAC}-directory.xml: feature.uploadDir.enabled=0`)));
});

test('log.render.file=0: no log PUT; =1: uploaded to LOG_FILE_DIRECTORY', async () => {
  const mark = server.accessLog().length;
  assert.is((await uploader({ 'log.render.file': '0' }).up.uploadLog('app', 'line\n')).status, 'suppressed');
  assert.equal(server.listFiles(), []);
  assert.equal(puts(mark), []);
  assert.is((await uploader({ 'log.render.file': '1' }).up.uploadLog('app', 'line\n')).status, 'uploaded');
  assert.equal(server.listFiles(), [`logs/${MAC}-app.log`]);
});

for (const [param, send, file] of [
  ['sec.encryption.upload.callLists', (u: ServerUploader) => u.uploadCallList(CALLS), `calls/${MAC}-calls.xml`],
  ['sec.encryption.upload.dir', (u: ServerUploader) => u.uploadDirectory(DIRECTORY), `contacts/${MAC}-directory.xml`],
  ['sec.encryption.upload.overrides', (u: ServerUploader) => u.uploadOverrides('local', '<PHONE_CONFIG><OVERRIDES up.echoPasswordDigits="0"/></PHONE_CONFIG>'), `overrides/${MAC}-phone.cfg`],
  ['sec.encryption.upload.config', (u: ServerUploader) => u.uploadConfig(`${MAC}-config.cfg`, '<polycomConfig a="1"/>'), `${MAC}-config.cfg`],
] as const) {
  test(`${param}: 0 uploads plain, 1 uploads encrypted with the phone key, 1 without a key uploads nothing`, async () => {
    const base = { 'feature.uploadDir.enabled': '1' };
    assert.is((await send(uploader({ ...base, [param]: '0' }, KEY).up)).encrypted, false);
    const plain = server.read(file)!;
    assert.not.match(plain.toString('latin1'), /^Crypt=/);
    const r = await send(uploader({ ...base, [param]: '1' }, KEY).up);
    assert.equal([r.status, r.encrypted], ['uploaded', true]);
    const sealed = server.read(file)!;
    assert.match(sealed.toString('latin1'), /^Crypt=1;KeyDesc=lab;/);
    assert.equal(Buffer.from(decryptConfigFile(new NodeCryptoEngine(), KEY, sealed)), plain);
    server.remove(file);
    // The keyless phone signs in as its own account, so nginx's log tells its requests from the ones above
    // whatever order the log lines land in (a mark by position counted a late-logged earlier PUT as its own).
    const keyless = 'keyless-phone';
    assert.is((await send(uploader({ ...base, [param]: '1' }, null, keyless).up)).status, 'suppressed');
    await server.quiesce();
    assert.equal(server.accessLog().filter((e) => e.user === keyless), [], 'never sent in plain text instead');
    assert.not.ok(server.listFiles().includes(file));
  });
}

test('Clear Uploaded Calls/Directory: DELETE removes both files from the server', async () => {
  const { up } = uploader({ 'feature.uploadDir.enabled': '1' });
  await up.uploadCallList(CALLS);
  await up.uploadDirectory(DIRECTORY);
  await up.uploadLog('app', 'x\n');
  await server.quiesce();
  const mark = server.accessLog().length;
  const results = await up.clearUploaded();
  assert.equal(results.map((r) => r.status), ['deleted', 'deleted']);
  assert.equal(server.listFiles(), [`logs/${MAC}-app.log`]);
  // nginx writes an access-log line after its answer: on a loaded machine the second one can lag behind.
  const deletes = () => server.accessLog().slice(mark).filter((e) => e.method === 'DELETE').length;
  for (let i = 0; i < 200 && deletes() < 2; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(server.accessLog().slice(mark).map((e) => `${e.method} ${e.uri} ${e.status}`).filter((l) => l.startsWith('DELETE')), [
    `DELETE /calls/${MAC}-calls.xml 204`, `DELETE /contacts/${MAC}-directory.xml 204`,
  ]);
  // Again, with nothing left: still a success (404 means already gone).
  assert.equal((await up.clearUploaded()).map((r) => r.status), ['deleted', 'deleted']);
});

test('a failed upload (5xx) is logged and retried with backoff; the newest content wins', async () => {
  const { up, clock, lines } = uploader({ 'feature.uploadDir.enabled': '1' });
  server.setFault('503');
  assert.is((await up.uploadCallList('<callList>old</callList>')).status, 'failed');
  assert.ok(lines.some((l) => /upload of .*-calls\.xml failed: .*HTTP 503/.test(l)));
  await up.uploadCallList(CALLS);
  assert.equal(up.pendingFiles(), [`${MAC}-calls.xml`]);
  server.setFault(null);
  clock.advance(20_000);
  assert.equal(server.listFiles(), [], 'not before the backoff delay');
  clock.advance(15_000);
  for (let i = 0; i < 100 && !server.read(`calls/${MAC}-calls.xml`); i++) await new Promise((r) => setTimeout(r, 10));
  assert.is(server.read(`calls/${MAC}-calls.xml`)?.toString(), CALLS);
  assert.equal(up.pendingFiles(), []);
});

test.run();
