/**
 * The provisioning module's menu entries on the simulated phone (QuickJS),
 * driven only by keys and read from the screen, against a real nginx:
 * Settings > Basic > Clear Uploaded Calls/Directory (HTTP DELETE of the
 * uploaded files, result on screen) and Settings > Advanced > Provisioning
 * Server (address and credentials typed by multi-tap, checked, stored, and
 * used at once).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import { serverAddressError } from '../../firmware/provisioning/server-address';
import { URL_LETTERS } from '../../firmware/ui/multi-tap-entry';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';
import { showsText } from '../../sim/shown-text';
import type { NginxServer } from '../servers/nginx';
import { MAC, PASSWORD, USER, cfg, cycles, masterCfg, phoneAt, provisioningServerFor } from './provisioning-fixture';

const MENU_USER = 'menuadmin';
const MENU_PASSWORD = 'pw-4711';
const UPLOADED = [`calls/${MAC}-calls.xml`, `contacts/${MAC}-directory.xml`];

let server: NginxServer;

provisioningServerFor(test, { auth: [{ user: USER, password: PASSWORD }, { user: MENU_USER, password: MENU_PASSWORD }] }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
  s.put('site.cfg', cfg({ 'up.echoPasswordDigits': '0' }));
});

/** Press the numbered entry whose label contains `label` on the menu shown. */
async function openEntry(phone: Phone, label: string): Promise<void> {
  const index = phone.screen().lines.findIndex((l) => l.includes(label));
  assert.ok(index >= 0, `"${label}" in ${phone.screen().lines.join(' | ')}`);
  await phone.press(String(index + 1) as KeyName);
}

async function openSettings(phone: Phone, section: 'Basic' | 'Advanced'): Promise<void> {
  if (phone.screen().id !== 'idle') await phone.press('home');
  await phone.press('soft4'); // Menu
  await openEntry(phone, 'Settings');
  await openEntry(phone, section);
}

/** Type `text` by multi-tap (URL letters); the same key twice in a row waits for the pause that commits the letter. */
async function typeText(phone: Phone, text: string): Promise<void> {
  let previous = '';
  for (const ch of text) {
    const key = Object.keys(URL_LETTERS).find((k) => URL_LETTERS[k].includes(ch));
    assert.ok(key, `no key types "${ch}"`);
    if (key === previous) await phone.advance(1100);
    for (let i = 0; i <= URL_LETTERS[key].indexOf(ch); i++) await phone.press(key as KeyName);
    previous = key;
  }
  await phone.advance(1100);
}

/** Real I/O under virtual time until `done` (5 s real-time limit). */
async function until(phone: Phone, done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen: ${JSON.stringify(phone.screen())}\n${phone.log().slice(-10).join('\n')}`);
    await phone.advance(0);
    await phone.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}

const screenText = (phone: Phone) => [phone.screen().title, ...phone.screen().lines].join(' | ');

test('Clear Uploaded Calls/Directory: No keeps the uploaded files; Yes deletes both and says so', async () => {
  const phone = await phoneAt(server);
  try {
    for (const f of UPLOADED) server.put(f, '<?xml version="1.0"?><x/>\n');
    await openSettings(phone, 'Basic');
    await openEntry(phone, 'Clear Uploaded Calls/Directory');
    assert.match(phone.screen().lines.join(' '), 'Clear uploaded call lists and contacts from the provisioning server?');
    assert.equal(phone.screen().softKeys, ['Yes', '', '', 'No']);
    await phone.press('soft4'); // No
    assert.equal(phone.screen().title, 'Basic');
    await phone.advance(2000);
    await server.quiesce();
    assert.equal(server.accessLog().filter((e) => e.method === 'DELETE').length, 0, 'No sends nothing');
    for (const f of UPLOADED) assert.ok(server.listFiles().includes(f), `${f} kept`);

    await openEntry(phone, 'Clear Uploaded Calls/Directory');
    await phone.press('soft1'); // Yes
    await until(phone, () => phone.screen().id === 'message', 'the result');
    assert.equal(phone.screen().title, 'Clear Uploaded');
    assert.is(phone.screen().lines.length, 1);
    assert.ok(showsText(phone.screen().lines[0], 'Done: uploaded call lists and contacts cleared', 20), phone.screen().lines[0]);
    for (const f of UPLOADED) assert.not.ok(server.listFiles().includes(f), `${f} deleted`);
    await server.quiesce();
    assert.equal(server.accessLog().filter((e) => e.method === 'DELETE').map((e) => `${e.uri} ${e.status} ${e.user}`),
      [`/calls/${MAC}-calls.xml 204 ${USER}`, `/contacts/${MAC}-directory.xml 204 ${USER}`]);
    await phone.press('soft1');
    assert.equal(phone.screen().title, 'Basic', 'OK goes back to the menu');
  } finally {
    phone.dispose();
  }
});

test('Clear Uploaded Calls/Directory: a server error is shown with its reason and the files stay', async () => {
  const phone = await phoneAt(server);
  try {
    for (const f of UPLOADED) server.put(f, '<x/>\n');
    server.setFault('503');
    await openSettings(phone, 'Basic');
    await openEntry(phone, 'Clear Uploaded Calls/Directory');
    await phone.press('soft1');
    await until(phone, () => phone.screen().id === 'message', 'the result');
    assert.equal(phone.screen().lines, ['Failed:', `${MAC}-calls.xml: HTTP 503`, `${MAC}-directory.xml: HTTP 503`]);
    server.setFault(null);
    for (const f of UPLOADED) assert.ok(server.listFiles().includes(f), `${f} kept`);
  } finally {
    phone.dispose();
  }
});

test('Provisioning Server: typed at the phone by an admin, saved, and provisioned from at once; a bad address is refused and the stored one kept', async () => {
  const phone = await bootPhone({ engine: 'quickjs', provisioningDir: null });
  try {
    await openSettings(phone, 'Advanced');
    // The default admin password must be replaced before Advanced opens.
    await phone.pressAll(['4', '5', '6', 'soft1']);
    assert.equal(phone.screen().title, 'Change Admin Password');
    await phone.pressAll(['7', '8', '9', 'soft1', '7', '8', '9', 'soft1']);
    assert.equal(phone.screen().lines, ['Password changed']);
    await phone.press('soft1');
    assert.equal(phone.screen().title, 'Advanced');
    await openEntry(phone, 'Provisioning Server');
    assert.equal(phone.screen().title, 'Provisioning Server');
    assert.equal(phone.screen().lines, ['Server: _', 'User: ', 'Password: ']);

    const url = server.httpUrl;
    await typeText(phone, url);
    await phone.press('down');
    await typeText(phone, MENU_USER);
    await phone.press('down');
    await typeText(phone, MENU_PASSWORD);
    assert.equal(phone.screen().lines, [`Server: ${url}`, `User: ${MENU_USER}`, `Password: ${'*'.repeat(MENU_PASSWORD.length)}_`]);
    const mark = server.accessLog().length;
    await phone.press('soft1'); // Save
    assert.equal(phone.screen().lines[0], 'Saved');
    const [done] = await cycles(phone, 1);
    assert.match(done, /provisioned from 000000000000\.cfg/);
    await server.quiesce();
    const gets = server.accessLog().slice(mark).filter((e) => e.method === 'GET' && e.status === 200);
    const fetched = gets.map((e) => `${e.uri} ${e.user}`);
    for (const f of ['/000000000000.cfg', '/site.cfg']) assert.ok(fetched.includes(`${f} ${MENU_USER}`), `${f} fetched as ${MENU_USER}: ${fetched.join(', ')}`);
    assert.ok(gets.every((e) => e.user === MENU_USER), 'every request with the typed user');
    const changed = phone.log().filter((l) => l.includes('provisioning server set at the phone'));
    assert.equal(changed.length, 1);
    assert.ok(changed[0].includes(MENU_USER), changed[0]);
    assert.not.ok(phone.log().some((l) => l.includes(MENU_PASSWORD)), 'the password is never logged');

    // A bad address: refused with the reason, the stored one stays.
    await openSettings(phone, 'Advanced');
    await phone.pressAll(['7', '8', '9', 'soft1']);
    await openEntry(phone, 'Provisioning Server');
    assert.equal(phone.screen().lines[0], `Server: ${url}_`);
    for (let i = 0; i < url.length; i++) await phone.press('*');
    assert.equal(phone.screen().lines[0], 'Server: _');
    await typeText(phone, 'ftp://host');
    await phone.press('soft1');
    assert.equal(phone.screen().id, 'provisioning-server');
    assert.ok(phone.screen().lines.some((l) => showsText(l, 'Scheme "ftp" not supported: use http:// or https://', 20)), screenText(phone));
    for (let i = 0; i < 'ftp://host'.length; i++) await phone.press('*');
    await typeText(phone, 'http:///x');
    await phone.press('soft1');
    assert.ok(phone.screen().lines.includes('Server host is empty'), screenText(phone));
    await phone.press('soft4'); // Cancel
    await openEntry(phone, 'Provisioning Server');
    assert.equal(phone.screen().lines.slice(0, 2), [`Server: ${url}_`, `User: ${MENU_USER}`], 'the stored values stay');
    assert.equal(phone.log().filter((l) => /\|prov\|.*address entered at the phone refused/.test(l)).length, 2);

    // The user password at the Advanced prompt opens the limited set: no Provisioning Server.
    await openSettings(phone, 'Advanced');
    await phone.pressAll(['1', '2', '3', 'soft1']);
    assert.equal(phone.screen().title, 'Advanced');
    assert.not.ok(phone.screen().lines.some((l) => l.includes('Provisioning Server')), screenText(phone));
  } finally {
    phone.dispose();
  }
});

test('server addresses: schemes, hosts, ports and control characters', () => {
  for (const ok of ['http://127.0.0.1:8080/', 'https://prov.example.com/phones/', 'prov.example.com', 'host:8080/path', 'http://u:p@host/', 'https://[::1]:443/']) {
    assert.is(serverAddressError(ok), null, ok);
  }
  const refused: [string, string][] = [
    ['', 'Enter the server address'],
    ['ftp://host/', 'Scheme "ftp" not supported: use http:// or https://'],
    ['http:/host', 'Bad scheme: use http:// or https://'],
    ['://host', 'Bad scheme: use http:// or https://'],
    ['http://', 'Server host is empty'],
    ['https://:443/', 'Server host is empty'],
    ['http://host:99999/', 'Bad port "99999"'],
    ['http://ho st/', 'Spaces are not allowed'],
    ['http://host/\u0007', 'Control characters are not allowed'],
    ['http://host\n/', 'Control characters are not allowed'],
    ['http://ho$t/', 'Bad host "ho$t"'],
  ];
  for (const [text, message] of refused) assert.is(serverAddressError(text), message, JSON.stringify(text));
});

test.run();
