/**
 * The switches real fleets use (httpd.enabled, httpd.cfg.enabled,
 * httpd.cfg.secureTunnelRequired/Enabled), applied from configuration at once,
 * and the device certificate: generated once, kept across reboots,
 * regenerated after Reset to Factory (its key destroyed with the class
 * `certificates`), and replaced by a provisioned certificate and key.
 */
import * as nodeCrypto from 'crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cfg } from '../provisioning/provisioning-fixture';
import { bootOn, profileFolder, until } from '../login/login-fixture';
import { bootWebPhone, peerCertificatePem, waitForWeb } from './web-harness';

const site = (extra: Record<string, string>) => ({ 'prov.login.enabled': '0', ...extra });

test('httpd.enabled=0 from configuration stops the server; 1 again starts it, without a reboot', async () => {
  const folder = profileFolder(site({ 'httpd.enabled': '0' }));
  const phone = await bootOn(folder);
  try {
    await until(phone, () => phone.webUrls().https === null && phone.webUrls().http === null, 'the server to stop');
    assert.ok(phone.log().some((l) => /\|web\|2\|.*web server off \(httpd.enabled=0\)/.test(l)));
    folder.write('site.cfg', cfg(site({ 'httpd.enabled': '1' })));
    phone.farEnd.notify('check-sync');
    await until(phone, () => phone.webUrls().https !== null, 'the server to listen again');
    assert.is(phone.lastBootReason(), 'power-on', 'no reboot');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('httpd.cfg.enabled=0 closes the configuration pages (403) while the server runs', async () => {
  const folder = profileFolder(site({ 'httpd.cfg.enabled': '0' }));
  const phone = await bootOn(folder);
  try {
    const url = await waitForWeb(phone);
    const ca = await peerCertificatePem(url);
    const res = await fetchStatus(url + '/login', ca, `phone-${phone.mac}.local`);
    assert.is(res.status, 403);
    assert.match(res.body, /httpd\.cfg\.enabled=0/);
    assert.not.match(res.body, /type="password"/);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('httpd.cfg.secureTunnelEnabled=0: pages over plain HTTP with a non-Secure cookie and a logged warning; secureTunnelRequired=1 forces HTTPS back on', async () => {
  const folder = profileFolder(site({ 'httpd.cfg.secureTunnelEnabled': '0' }));
  const phone = await bootOn(folder);
  try {
    await until(phone, () => phone.webUrls().https === null && phone.webUrls().http !== null, 'HTTPS to stop');
    assert.ok(phone.log().some((l) => /\|web\|3\|.*HTTPS is off/.test(l)));
    const page = await fetchStatus(phone.webUrls().http! + '/login', null, '');
    assert.is(page.status, 200);
    assert.match(page.cookie, new RegExp(`^phone-${phone.mac}=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict$`));
    folder.write('site.cfg', cfg(site({ 'httpd.cfg.secureTunnelEnabled': '0', 'httpd.cfg.secureTunnelRequired': '1' })));
    phone.farEnd.notify('check-sync');
    await until(phone, () => phone.webUrls().https !== null, 'HTTPS forced on');
    const redirect = await fetchStatus(phone.webUrls().http! + '/login', null, '');
    assert.is(redirect.status, 301);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('the device certificate: made once, kept across reboots, new after Reset to Factory (its key destroyed)', async () => {
  const web = await bootWebPhone();
  try {
    const first = web.caPem;
    const x509 = new nodeCrypto.X509Certificate(first);
    assert.is(x509.subject, `CN=phone-${web.phone.mac}.local`);
    assert.ok(x509.verify(x509.publicKey), 'self-signed with its own key');
    assert.is(x509.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.match(String(x509.subjectAltName), new RegExp(`DNS:phone-${web.phone.mac}.local`));
    assert.ok(web.phone.devices.crypto.hasKey('web.tls.device'), 'its key is in the crypto device');
    await web.phone.reboot('test');
    await web.refresh();
    assert.is(web.caPem, first, 'the same certificate after a reboot');
    assert.is(web.phone.log().filter((l) => /device certificate generated/.test(l)).length, 1);
    // The updater's key combination runs Reset to Factory (device.system.recoveryType default).
    web.phone.holdKeysAtBoot(web.phone.profile.recoveryKeys!);
    await web.phone.reboot('factory reset');
    await web.phone.settle();
    await web.refresh();
    assert.is.not(web.caPem, first, 'a new certificate after Reset to Factory');
    assert.is(new nodeCrypto.X509Certificate(web.caPem).subject, `CN=phone-${web.phone.mac}.local`);
  } finally {
    web.close();
  }
});

test('a provisioned certificate and key (device.sec.TLS.customDeviceCert1.*) replace the self-signed one; a mismatched key is refused', async () => {
  const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const certPem = selfSignedWithNode(privateKey, publicKey);
  const keyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const other = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const base = { 'device.set': '1', 'device.sec.TLS.customDeviceCert1.publicCert.set': '1', 'device.sec.TLS.customDeviceCert1.privateKey.set': '1' };
  const folder = profileFolder(site({ ...base, 'device.sec.TLS.customDeviceCert1.publicCert': certPem, 'device.sec.TLS.customDeviceCert1.privateKey': other }));
  const phone = await bootOn(folder);
  try {
    await until(phone, () => phone.log().some((l) => /provisioned device certificate refused: the private key does not belong/.test(l)), 'the refusal');
    const selfSigned = await peerCertificatePem(await waitForWeb(phone));
    assert.is.not(selfSigned.replace(/\s/g, ''), certPem.replace(/\s/g, ''), 'the self-signed certificate stays');
    folder.write('site.cfg', cfg(site({ ...base, 'device.sec.TLS.customDeviceCert1.publicCert': certPem, 'device.sec.TLS.customDeviceCert1.privateKey': keyPem })));
    phone.farEnd.notify('check-sync');
    await until(phone, () => phone.log().some((l) => /listening: .*\(provisioned certificate\)/.test(l)), 'the provisioned certificate');
    const served = await peerCertificatePem(await waitForWeb(phone));
    assert.is(new nodeCrypto.X509Certificate(served).fingerprint256, new nodeCrypto.X509Certificate(certPem).fingerprint256);
    assert.not.ok(phone.log().some((l) => l.includes(keyPem.split('\n')[1])), 'the key is never logged');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

/** A certificate made with the firmware's own builder on the host (a stand-in for a customer's CA-issued one). */
function selfSignedWithNode(privateKey: nodeCrypto.KeyObject, publicKey: nodeCrypto.KeyObject): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { buildSelfSignedCertificate } = require('../../firmware/web/device-certificate') as typeof import('../../firmware/web/device-certificate');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { pemEncode } = require('../../firmware/web/pem') as typeof import('../../firmware/web/pem');
  const crypto = {
    randomBytes: (n: number) => new Uint8Array(nodeCrypto.randomBytes(n)),
    signingPublicKey: () => new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    sign: (_name: string, data: Uint8Array) => new Uint8Array(nodeCrypto.sign('sha256', data, privateKey)),
  };
  return pemEncode('CERTIFICATE', buildSelfSignedCertificate(crypto as never, 'k', 'phone.example.com', Date.UTC(2026, 0, 1)));
}

function fetchStatus(url: string, ca: string | null, serverName: string): Promise<{ status: number; body: string; cookie: string }> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = url.startsWith('https') ? require('https') : require('http');
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { agent: false, ...(ca ? { ca, servername: serverName, checkServerIdentity: () => undefined } : {}) }, (res: import('http').IncomingMessage) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cookie: String(res.headers['set-cookie'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

test.run();
