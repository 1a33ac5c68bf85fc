/**
 * Settings > Parameters: the table is generated from the registry (every
 * parameter, each with the layer `phone config explain` names), a web edit
 * goes to the web layer, survives a reboot and is uploaded as
 * `<MAC>-web.cfg` to a real nginx; an invalid value is refused alone;
 * secrets never reach the HTML; device parameters are read-only here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { bootPages, decodeHtmlText, harnessFor, htmlOf, tick, until, CSRF } from './page-requests';
import { bootInProcess } from '../../sim/host/in-process-firmware';
import type { NginxServer } from '../servers/nginx';
import { PASSWORD, USER, cfg, masterCfg, provisioningServerFor } from '../provisioning/provisioning-fixture';

let server: NginxServer;
provisioningServerFor(test, { auth: [{ user: USER, password: PASSWORD }] }, (s) => { server = s; }, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
  s.put('site.cfg', cfg({}));
});

const SECRET = 'Sekr3t-Line-Pw';

/** Rows of a module page: parameter name → the text of its "Set by" cell. */
function layerCells(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<tr id="row-([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)) {
    const cell = /<td class="layer">([^<]*)/.exec(m[2]);
    out.set(decodeHtmlText(m[1]), decodeHtmlText(cell?.[1] ?? ''));
  }
  return out;
}

test('the table covers every registry parameter, per module, with the layer that sets it (as config explain says)', async () => {
  const h = bootPages();
  const { config } = h.phone.booted;
  config.applyMaster(masterCfg('site.cfg'), '000000000000.cfg');
  config.applyConfigFile('site.cfg', cfg({ 'callLists.collapseDuplicates': '0', 'reg.1.displayName': 'From Files' }));
  config.setOverride('local', 'up.echoPasswordDigits', '0');
  config.setOverride('web', 'dir.search.field', '1');
  const index = htmlOf(await h.get('/settings/parameters'));
  const modules = [...new Set(config.registry.all().map((p) => p.module))];
  for (const m of modules) assert.ok(index.includes(`?module=${m}"`), `index links ${m}`);
  const seen = new Map<string, string>();
  for (const m of modules) {
    for (const [name, layer] of layerCells(htmlOf(await h.get(`/settings/parameters?module=${m}`)))) seen.set(name, layer);
  }
  const all = config.registry.all();
  assert.equal(all.filter((p) => !seen.has(p.name)).map((p) => p.name), [], 'every parameter has a row');
  assert.is(seen.size, all.length);
  for (const p of all) {
    const e = config.explain(p.name);
    assert.is(seen.get(p.name), `${e.layer} (${e.source})`, p.name);
  }
  assert.is(seen.get('callLists.collapseDuplicates'), 'files (site.cfg)');
  assert.is(seen.get('up.echoPasswordDigits'), `local (${h.phone.profile.mac}-phone.cfg)`);
  assert.is(seen.get('dir.search.field'), `web (${h.phone.profile.mac}-web.cfg)`);
  assert.match(seen.get('callLists.logConsultationCalls')!, /^default/);
  // Type, range and default come from the declaration.
  const lines = htmlOf(await h.get('/settings/parameters?module=lines'));
  assert.match(lines, /integer 0\.\.65535/);
  assert.match(lines, /one of DNSnaptr, TCPpreferred, UDPOnly, TLS, TCPOnly/);
  const unknown = await h.get('/settings/parameters?module=nope');
  assert.is(unknown.kind === 'page' && unknown.status, 404);
});

test('a web edit goes to the web layer, survives a reboot and is uploaded as <MAC>-web.cfg', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pages-params-'));
  try {
    const phone = bootInProcess({ board: 'desk-500' });
    const { settings, provisioning, config } = phone.booted;
    settings.set('device.prov.serverName', server.httpUrl);
    settings.set('device.prov.user', USER);
    settings.set('device.prov.password', PASSWORD);
    assert.is((await provisioning.client.request('request')).outcome, 'provisioned');
    const h = harnessFor(phone);
    const r = await h.post('/settings/parameters?module=calls', { 'p.callLists.collapseDuplicates': '0', 'p.callLists.logConsultationCalls': config.get('callLists.logConsultationCalls')! });
    assert.is(r.kind, 'redirect');
    assert.match(r.kind === 'redirect' ? r.notice ?? '' : '', /callLists\.collapseDuplicates/);
    assert.is(config.explain('callLists.collapseDuplicates').layer, 'web');
    assert.not.ok(config.explain('callLists.logConsultationCalls').candidates.some((c) => c.layer === 'web'), 'an unchanged field is not pinned into the web layer');
    await tick(phone, 2000);
    const mac = phone.profile.mac;
    await until('web override upload', () => server.listFiles().includes(`overrides/${mac}-web.cfg`));
    assert.match(server.read(`overrides/${mac}-web.cfg`)!.toString(), /<OVERRIDES[^>]*callLists\.collapseDuplicates="0"/);

    const image = join(dir, 'flash.bin');
    phone.save(image);
    const again = bootInProcess({ board: 'desk-500', flashImage: image });
    const e = again.booted.config.explain('callLists.collapseDuplicates');
    assert.is(e.layer, 'web');
    assert.is(e.value, '0');
    assert.match(htmlOf(await harnessFor(again).get('/settings/parameters?module=calls')), new RegExp(`web \\(${mac}-web\\.cfg\\)`));

    // The remove box drops the web value: the layer below applies again, and the upload follows.
    const back = await harnessFor(again).post('/settings/parameters?module=calls', { 'revert.callLists.collapseDuplicates': '1' });
    assert.is(back.kind, 'redirect');
    assert.is(again.booted.config.explain('callLists.collapseDuplicates').layer, 'default');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid value is refused alone with its reason; the other fields of the form apply', async () => {
  const h = bootPages();
  const { config } = h.phone.booted;
  const r = await h.post('/settings/parameters?module=lines', {
    'p.reg.1.server.1.port': '70000',
    'p.reg.1.displayName': 'Front Desk',
    'p.reg.1.server.1.transport': 'Carrier-Pigeon',
  });
  assert.is(r.kind === 'page' && r.status, 400);
  const html = htmlOf(r);
  assert.match(html, /reg\.1\.server\.1\.port<\/code> = "70000": out of range: allowed 0\.\.65535/);
  assert.match(html, /reg\.1\.server\.1\.transport<\/code> = "Carrier-Pigeon": unknown value/);
  assert.match(html, /Saved to the web configuration: reg\.1\.displayName/);
  assert.is(config.get('reg.1.displayName'), 'Front Desk');
  assert.is(config.explain('reg.1.displayName').layer, 'web');
  assert.is(config.get('reg.1.server.1.port'), '0', 'the refused value did not apply');
  assert.match(html, /value="70000"/, 'what was typed is shown again next to its error');
  assert.ok(h.phone.log().some((l) => /\|cfg\|3\|.*rejected reg\.1\.server\.1\.port="70000": out of range/.test(l)), 'logged as a configuration file value is');
});

test('secrets: shown only as set / not set, write-only, never in any HTML; an empty field keeps the secret', async () => {
  const h = bootPages();
  const { config } = h.phone.booted;
  config.applyMaster(masterCfg('site.cfg'), '000000000000.cfg');
  config.applyConfigFile('site.cfg', cfg({ 'dir.corp.password': 'Corp-Ldap-Secret' }));
  const r = await h.post('/settings/parameters?module=lines', { 'p.reg.1.auth.password': SECRET, 'p.reg.2.auth.password': '' });
  assert.is(r.kind, 'redirect');
  assert.is(config.get('reg.1.auth.password'), SECRET);
  assert.is(config.get('reg.2.auth.password'), '', 'an empty secret field changes nothing');
  const secrets = [SECRET, 'Corp-Ldap-Secret'];
  const pages: string[] = [];
  for (const m of [...new Set(config.registry.all().map((p) => p.module))]) pages.push(htmlOf(await h.get(`/settings/parameters?module=${m}`)));
  pages.push(htmlOf(await h.get('/setup')), htmlOf(await h.get('/')));
  // A refused secret is not echoed either.
  pages.push(htmlOf(await h.post('/settings/parameters?module=analytics', { 'p.analytics.broker.password': 'x'.repeat(300) + SECRET })));
  for (const html of pages) for (const s of secrets) assert.not.ok(html.includes(s), `secret ${s} in a page`);
  const lines = pages[[...new Set(config.registry.all().map((p) => p.module))].indexOf('lines')];
  assert.match(lines, /<input type="password" id="p\.reg\.1\.auth\.password" name="p\.reg\.1\.auth\.password" value=""/);
  assert.match(/<tr id="row-reg\.1\.auth\.password"[\s\S]*?<\/tr>/.exec(lines)![0], /<small>set<\/small>/);
  assert.match(/<tr id="row-reg\.2\.auth\.password"[\s\S]*?<\/tr>/.exec(lines)![0], /<small>not set<\/small>/);
  assert.ok(pages.every((p) => p.includes(`value="${CSRF}"`) || !p.includes('<form')), 'every form carries the CSRF field');
});

test('device parameters are read-only on the web (the device adopts them from files only); a forged field is refused', async () => {
  const h = bootPages();
  const html = htmlOf(await h.get('/settings/parameters?module=provisioning'));
  assert.match(/<tr id="row-device\.prov\.serverName"[\s\S]*?<\/tr>/.exec(html)![0], /disabled[\s\S]*device setting/);
  const r = await h.post('/settings/parameters?module=provisioning', { 'p.device.prov.serverName': 'http://evil.example/' });
  assert.match(htmlOf(r), /device\.prov\.serverName<\/code> = "http:\/\/evil\.example\/": device setting/);
  assert.is(h.phone.booted.config.explain('device.prov.serverName').layer, 'default');
});

test('parameters are admin pages: the declarations have no parameter a user may change', async () => {
  const h = bootPages();
  const page = h.pages.find((p) => p.path === '/settings/parameters')!;
  assert.is(page.access, 'admin');
  let refused = '';
  await h.get('/settings/parameters', 'user').catch((e: Error) => { refused = e.message; });
  assert.match(refused, /403/);
});

test.run();
