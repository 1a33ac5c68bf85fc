/**
 * Corporate directory against a real OpenLDAP (slapd on 127.0.0.1 with a
 * generated directory of 3,000 people): the simulator's HAL LDAP client, and
 * the phone's Contacts > Corporate Directory in QuickJS and Node — search by
 * name, browse, call; nothing of the results written to flash.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import { HostLdap } from '../../sim/devices/ldap';
import { guardedBefore } from '../helpers/guarded-setup';
import { bootPhone, ENGINES } from '../helpers/sim';
import { showsText } from '../../sim/shown-text';
import { BASE_DN, READER_DN, READER_PASSWORD, person, startSlapd, type SlapdServer } from './slapd-server';

const test = suite<{ server?: SlapdServer }>('corporate directory');
let server: SlapdServer;

guardedBefore(test, async () => {
  server = await startSlapd(3000);
});
test.after(() => server?.stop());

const request = (over: Partial<Parameters<HostLdap['search']>[0]> = {}) => ({
  url: server.url, bindDn: READER_DN, password: READER_PASSWORD, baseDn: BASE_DN, scope: 'sub' as const,
  filter: '(&(objectclass=person)(|(sn=Turing*)(givenName=Turing*)))', attributes: ['sn', 'givenName', 'telephoneNumber'], sizeLimit: 32, timeoutMs: 5000, ...over,
});

test('HAL LDAP client: a broad name returns one page (no size-limit error), attributes mapped', async () => {
  const ldap = new HostLdap();
  const entries = await ldap.search(request());
  assert.is(entries.length, 32);
  for (const e of entries) assert.match(e.attributes.sn, /^Turing/);
  const ada = await ldap.search(request({ filter: '(&(sn=Lovelace)(givenName=Ada))' }));
  assert.equal(ada.map((e) => e.attributes), [{ sn: 'Lovelace', givenName: 'Ada', telephoneNumber: person(0).telephoneNumber }]);
});

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

test('HAL LDAP client: wrong password is `auth`, a closed port is `refused`, anonymous may not search', async () => {
  const ldap = new HostLdap();
  assert.match(await rejection(ldap.search(request({ password: 'wrong' }))), /^auth/);
  assert.match(await rejection(ldap.search(request({ url: 'ldap://127.0.0.1:1' }))), /^refused/);
  assert.match(await rejection(ldap.search(request({ bindDn: '', password: '' }))), /^auth: not allowed/);
});

test('HAL LDAP client over TLS: trusted with the CA, refused (`tls`) without it', async () => {
  const ldap = new HostLdap();
  const found = await ldap.search(request({ url: server.ldapsUrl, trustedCaPem: server.caPem, filter: '(&(sn=Lovelace)(givenName=Ada))' }));
  assert.is(found.length, 1);
  assert.match(await rejection(ldap.search(request({ url: server.ldapsUrl }))), /^tls/);
});

async function openMenuEntry(phone: Awaited<ReturnType<typeof bootPhone>>, label: string): Promise<void> {
  const line = phone.screen().lines.find((l) => l.includes(label));
  assert.ok(line, `menu entry ${label} in ${JSON.stringify(phone.screen().lines)}`);
  await phone.press(line!.split('.')[0] as KeyName);
}

/** Once the boot's provisioning has settled: Menu > Contacts > Corporate Directory. */
async function openCorporateDirectory(phone: Awaited<ReturnType<typeof bootPhone>>): Promise<void> {
  await phone.advance(1000);
  await phone.settle();
  await phone.press('home');
  if (phone.screen().id !== 'menu') await phone.press('home');
  await openMenuEntry(phone, 'Contacts');
  await openMenuEntry(phone, 'Corporate Directory');
}

for (const engine of ENGINES) {
  test(`${engine}: Contacts > Corporate Directory: search "tur", browse, call; results never on flash`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corp-prov-'));
    fs.writeFileSync(path.join(dir, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg"/>\n');
    fs.writeFileSync(path.join(dir, 'site.cfg'), `<polycomConfig dir.corp.address="127.0.0.1" dir.corp.port="${server.port}" dir.corp.baseDN="${BASE_DN}" dir.corp.user="${READER_DN}" dir.corp.password="${READER_PASSWORD}" dir.corp.pageSize="16"/>\n`);
    const phone = await bootPhone({ board: 'desk-500', engine, provisioningDir: dir });
    try {
      await openCorporateDirectory(phone);
      assert.is(phone.screen().id, 'corporate-directory');
      // t (8), u (88), r (777), each letter committed by a pause.
      for (const keys of [['8'], ['8', '8'], ['7', '7', '7']] as KeyName[][]) {
        await phone.pressAll(keys);
        await phone.advance(1100);
      }
      assert.is(phone.screen().lines[0], 'Search: tur_');
      await phone.press('soft1');
      await phone.settle();
      let s = phone.screen();
      assert.is(s.title, 'Corporate Directory (16)', JSON.stringify(s));
      assert.ok(s.lines.slice(1).every((l) => /Turing/.test(l)), JSON.stringify(s.lines));
      const numbers = s.lines.slice(1).map((l) => l.split('  ')[1]);
      assert.not.ok(phone.dumpFlash().includes(Buffer.from(numbers[1])), 'a result number is on flash');
      await phone.press('down');
      s = phone.screen();
      assert.is(s.focus, 2);
      await phone.press('soft2');
      await phone.settle();
      const placed = phone.farEnd.calls().filter((c) => c.direction === 'outgoing');
      assert.equal(placed.map((c) => c.remote), [numbers[1]]);
    } finally {
      phone.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('quickjs: dir.corp.transport=TLS with the device CA (device.sec.TLS.customCaCert1) finds people over ldaps', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corp-tls-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg"/>\n');
  fs.writeFileSync(path.join(dir, 'site.cfg'), `<polycomConfig dir.corp.address="127.0.0.1" dir.corp.transport="TLS" dir.corp.port="${server.ldapsPort}" dir.corp.baseDN="${BASE_DN}" dir.corp.user="${READER_DN}" dir.corp.password="${READER_PASSWORD}"/>\n`);
  const phone = await bootPhone({ board: 'desk-500', engine: 'quickjs', provisioningDir: dir, deviceSettings: { 'device.sec.TLS.customCaCert1': server.caPem } });
  try {
    await openCorporateDirectory(phone);
    // "ada": 2, 3 (d), 2 — letters committed by pauses.
    for (const keys of [['2'], ['3'], ['2']] as KeyName[][]) {
      await phone.pressAll(keys);
      await phone.advance(1100);
    }
    await phone.press('soft1');
    await phone.settle();
    const s = phone.screen();
    assert.is(s.title, 'Corporate Directory (32)', JSON.stringify(s));
    assert.ok(s.lines.slice(1, 9).every((l) => l.startsWith('Ada ')), JSON.stringify(s.lines));
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('phone without dir.corp.address: says it is not configured, asks no server', async () => {
  const phone = await bootPhone({ board: 'desk-99', engine: 'quickjs' });
  try {
    await phone.press('soft4');
    await openMenuEntry(phone, 'Contacts');
    await openMenuEntry(phone, 'Corporate Directory');
    // Cut on desk-99's 132 pixels, and marked so.
    assert.ok(phone.screen().lines.some((l) => showsText(l, 'Corporate directory not configured', 12)), phone.screen().lines.join(' | '));
  } finally {
    phone.dispose();
  }
});

test.run();
