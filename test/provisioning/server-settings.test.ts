/** Reading the provisioning server address from device settings: credentials in the URL, bad escapes, log redaction. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { provisioningServer, redactedUrl } from '../../firmware/provisioning/server-settings';

const settings = (values: Record<string, string>) => ({ get: (name: string) => values[name] });

test('credentials in the URL: the password keeps its colons and an @ before the host', () => {
  const server = provisioningServer(settings({ 'device.prov.serverName': 'http://bob:pa:ss@w0rd@prov.example/cfg/' }));
  assert.equal(server?.baseUrl, 'http://prov.example/cfg/');
  assert.equal(server?.auth, { user: 'bob', password: 'pa:ss@w0rd' });
});

test('a malformed percent escape in the URL credentials is kept as typed, not thrown', () => {
  const server = provisioningServer(settings({ 'device.prov.serverName': 'http://bo%zzb:100%@prov.example' }));
  assert.equal(server?.baseUrl, 'http://prov.example/');
  assert.equal(server?.auth, { user: 'bo%zzb', password: '100%' });
});

test('redactedUrl drops every part of the credentials, even with an @ in the password', () => {
  assert.is(redactedUrl('https://bob:se@cret@prov.example/dir/file.cfg'), 'https://prov.example/dir/file.cfg');
  assert.is(redactedUrl('http://prov.example/dir/a@b.cfg'), 'http://prov.example/dir/a@b.cfg');
});

test.run();
