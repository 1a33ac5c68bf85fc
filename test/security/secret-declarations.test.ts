/**
 * Secrets are a derived list: every string parameter or device setting whose
 * name sounds like a credential is declared `secret`, and docs/security.md
 * names every declared secret and where it lives.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { secretInventory, soundsSecret } from './secret-inventory';

const inventory = secretInventory();

test('every string parameter that sounds like a credential is declared secret', () => {
  const missing = inventory.allParameters.filter((p) => p.type === 'string' && soundsSecret(p.name) && !p.secret).map((p) => p.name);
  assert.equal(missing, [], 'declare these `secret: true`');
  for (const name of ['prov.login.defaultPassword', 'dir.corp.password', 'device.auth.localAdminPassword', 'prov.login.localPassword', 'device.sec.configEncryption.key', 'obitalk.accountCode']) {
    assert.ok(inventory.parameters.some((p) => p.name === name), `${name} is secret`);
  }
  assert.not.ok(inventory.parameters.some((p) => p.type !== 'string'), 'switches such as device.auth.localAdminPassword.set are not secrets');
});

test('every device setting that sounds like a credential is declared secret', () => {
  const missing = inventory.allDeviceSettings.filter((d) => (soundsSecret(d.name) || /^auth\./.test(d.name)) && !d.secret).map((d) => d.name);
  assert.equal(missing, []);
  for (const name of ['device.prov.password', 'device.sec.configEncryption.key', 'auth.admin', 'auth.user']) {
    assert.ok(inventory.deviceSettings.some((d) => d.name === name), `${name} is secret`);
  }
});

test('docs/security.md lists every secret', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');
  const table = doc.slice(doc.indexOf('## Secrets on flash'));
  assert.ok(table.length > 0 && doc.includes('## Secrets on flash'), 'docs/security.md has a "Secrets on flash" section');
  for (const name of [...inventory.parameters.map((p) => p.name), ...inventory.deviceSettings.map((d) => d.name)]) {
    assert.ok(table.includes(`\`${name}\``), `docs/security.md names ${name}`);
  }
});

test.run();
