/** User IDs become file names and URL segments: traversal and other unsafe IDs are refused with a clear message. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { userIdProblem } from '../../firmware/login/user-id';
import { inEnglish } from '../../firmware/ui/i18n/messages';
import { fetchUserFile } from '../../firmware/login/user-files';
import type { NetRequest } from '../../hal/contract';
import { NodeCryptoEngine } from '../../sim/devices/crypto';

test('safe IDs pass', () => {
  for (const id of ['1001', 'alice', 'a.b-c_d@example.com', 'x'.repeat(64)]) assert.is(userIdProblem(id), null, id);
});

test('each kind of unsafe ID gets its own message', () => {
  const cases: [string, string][] = [
    ['', 'User ID is empty'],
    ['x'.repeat(65), 'User ID is longer than 64 characters'],
    ['../etc/passwd', 'User ID contains a path separator'],
    ['..\\boot', 'User ID contains a path separator'],
    ['..', 'User ID contains ".."'],
    ['a..b', 'User ID contains ".."'],
    ['.hidden', 'User ID may not start with "."'],
    ['bob\u0000.cfg', 'User ID contains a control character'],
    ['bob\nforged|log|line', 'User ID contains a control character'],
    ['%2e%2e%2fmaster', 'User ID contains "%": only letters, digits and . _ @ - are allowed'],
    ['bob?x=1', 'User ID contains "?": only letters, digits and . _ @ - are allowed'],
    ['bob smith', 'User ID contains " ": only letters, digits and . _ @ - are allowed'],
    ['zoë', 'User ID contains "ë": only letters, digits and . _ @ - are allowed'],
    ['http:', 'User ID contains ":": only letters, digits and . _ @ - are allowed'],
  ];
  for (const [id, message] of cases) {
    const problem = userIdProblem(id);
    assert.is(problem && inEnglish(problem), message, JSON.stringify(id));
  }
});

test('a safe ID stays inside the profile directory in the URL', async () => {
  const seen: string[] = [];
  const net = { request: async (r: NetRequest) => { seen.push(r.url); return { status: 404, headers: {}, body: new Uint8Array() }; }, linkUp: () => true, onLink: () => {} };
  const r = await fetchUserFile({ net, crypto: new NodeCryptoEngine(), server: { baseUrl: 'http://prov.example/base/', timeoutMs: 1000 }, encryptionKey: null }, 'users', 'a@b.cfg');
  assert.equal(r, { kind: 'missing' });
  assert.equal(seen, ['http://prov.example/base/users/a%40b.cfg']);
});

test.run();
