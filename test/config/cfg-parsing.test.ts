import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatOverrides, MAX_CFG_CHARS, parseCfg } from '../../firmware/config/cfg-xml';
import { parseMaster } from '../../firmware/config/master-file';

const phone = { mac: '0004f2a1b2c3', model: 'DESK500' };

test('parameters are attributes on any element, in document order', () => {
  const r = parseCfg('<?xml version="1.0"?>\n<!-- site --><polycomConfig a.b="1"><x><deep c.d="two"/></x><PHONE_CONFIG><ALL e.f="3"/></PHONE_CONFIG></polycomConfig>');
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.attributes.map((a) => [a.element, a.name, a.value]), [['polycomConfig', 'a.b', '1'], ['deep', 'c.d', 'two'], ['ALL', 'e.f', '3']]);
});

test('namespace and schema-instance attributes (xmlns, xmlns:*, xsi:*) are not parameters', () => {
  const r = parseCfg('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="polycomConfig.xsd">\n  <dir dir.local.readonly="1" xmlns="urn:x" xsi:type="t"/>\n</polycomConfig>\n');
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.attributes.map((a) => a.name), ['dir.local.readonly']);
});

test('entities are decoded; a bare & is read as a literal &', () => {
  const r = parseCfg('<c a="x &amp; y &lt;&#65;&#x42;" b="Tom & Jerry"/>');
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.attributes.map((a) => a.value), ['x & y <AB', 'Tom & Jerry']);
});

const malformed: [string, string][] = [
  ['unclosed element (truncated download)', '<polycomConfig a="1"><ALL b="2">'],
  ['mismatched close tag', '<a b="1"><c></a>'],
  ['repeated attribute', '<a b="1" b="2"/>'],
  ['attribute without quotes', '<a b=1/>'],
  ['attribute without value', '<a b/>'],
  ['text before the root', 'garbage<a/>'],
  ['empty file', ''],
  ['an HTML error page', '<html><body><h1>404 Not Found</h1><hr><center>nginx</body></html>'],
  ['DOCTYPE (entity expansion)', '<!DOCTYPE x [<!ENTITY e "zz">]><a b="&e;"/>'],
];
for (const [what, text] of malformed) {
  test(`malformed XML is refused whole: ${what}`, () => {
    const r = parseCfg(text);
    assert.is(r.ok, false);
    if (!r.ok) assert.ok(r.error.length > 0);
  });
}

test('oversized files are refused', () => {
  const r = parseCfg(`<a b="${'x'.repeat(MAX_CFG_CHARS)}"/>`);
  assert.is(r.ok, false);
  if (!r.ok) assert.match(r.error, /too large/);
});

test('override files are written in PHONE_CONFIG/OVERRIDES form and read back', () => {
  const text = formatOverrides({ 'up.echoPasswordDigits': '0', 'deviceAnalytics.note': 'a "quoted" <note> & more' });
  assert.match(text, /<PHONE_CONFIG>\s*<OVERRIDES\s/);
  const r = parseCfg(text);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.attributes.map((a) => [a.element, a.name, a.value]), [
    ['OVERRIDES', 'deviceAnalytics.note', 'a "quoted" <note> & more'],
    ['OVERRIDES', 'up.echoPasswordDigits', '0'],
  ]);
});

test('master: APPLICATION fields, CONFIG_FILES split left to right, substitution', () => {
  const r = parseMaster('<APPLICATION APP_FILE_PATH="[PHONE_MODEL]/sip.ld" CONFIG_FILES=" [PHONE_MAC_ADDRESS]-line.cfg, site.cfg ,http://cfg.example/features.cfg,," LOG_FILE_DIRECTORY="logs" OVERRIDES_DIRECTORY="ovr/[PHONE_MAC_ADDRESS]" CALL_LISTS_DIRECTORY="calls"/>', phone);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.master.configFiles, ['0004f2a1b2c3-line.cfg', 'site.cfg', 'http://cfg.example/features.cfg']);
  assert.is(r.master.fields.APP_FILE_PATH, 'DESK500/sip.ld');
  assert.is(r.master.fields.OVERRIDES_DIRECTORY, 'ovr/0004f2a1b2c3');
  assert.is(r.master.fields.CALL_LISTS_DIRECTORY, 'calls');
  assert.is(r.master.fields.CONTACTS_DIRECTORY, '');
});

test('master: the APPLICATION_<MODEL> child wins for that model only', () => {
  const text = `<APPLICATION CONFIG_FILES="site.cfg" APP_FILE_PATH="sip.ld">
    <APPLICATION_DESK500 CONFIG_FILES_DESK500="desk500.cfg, site.cfg" APP_FILE_PATH_DESK500="d500.ld"/>
    <APPLICATION_DESK99 CONFIG_FILES_DESK99="desk99.cfg"/>
  </APPLICATION>`;
  const d500 = parseMaster(text, phone);
  const d99 = parseMaster(text, { mac: phone.mac, model: 'DESK99' });
  const other = parseMaster(text, { mac: phone.mac, model: 'OTHER' });
  assert.ok(d500.ok && d99.ok && other.ok);
  if (!d500.ok || !d99.ok || !other.ok) return;
  assert.equal(d500.master.configFiles, ['desk500.cfg', 'site.cfg']);
  assert.is(d500.master.fields.APP_FILE_PATH, 'd500.ld');
  assert.equal(d500.master.modelSpecific.sort(), ['APP_FILE_PATH', 'CONFIG_FILES']);
  assert.equal(d99.master.configFiles, ['desk99.cfg']);
  assert.is(d99.master.fields.APP_FILE_PATH, 'sip.ld');
  assert.equal(other.master.configFiles, ['site.cfg']);
});

test('master: fields written where phones do not read them (unsuffixed on a model child, as an element) are ignored and named', () => {
  const text = `<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="">
    <APPLICATION_SPIP300 APP_FILE_PATH_SPIP300="sip_212.ld" CONFIG_FILES_SPIP300="phone1_212.cfg"/>
    <APPLICATION_DESK500 CONFIG_FILES="desk500.cfg"/>
    <CONFIG_FILES>site.cfg</CONFIG_FILES>
  </APPLICATION>`;
  const r = parseMaster(text, phone);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.master.configFiles, [], 'neither is read');
  assert.equal(r.master.ignored, ['CONFIG_FILES on <APPLICATION_DESK500>', '<CONFIG_FILES> element']);
  const clean = parseMaster('<APPLICATION CONFIG_FILES="a.cfg"><APPLICATION_DESK500 CONFIG_FILES_DESK500="b.cfg"/><APPLICATION_SPIP300 CONFIG_FILES_SPIP300="c.cfg"/></APPLICATION>', phone);
  assert.ok(clean.ok && clean.master.ignored.length === 0);
});

test('master: a file without APPLICATION, or malformed, is refused', () => {
  const none = parseMaster('<polycomConfig a.b="1"/>', phone);
  assert.is(none.ok, false);
  const bad = parseMaster('<APPLICATION CONFIG_FILES="a.cfg">', phone);
  assert.is(bad.ok, false);
});

test.run();
