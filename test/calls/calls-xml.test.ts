/**
 * `<MAC>-calls.xml`: export/import round trip, what a server's file may look
 * like (bare `&`, attributes instead of elements, unknown elements), and
 * malformed files (truncated, no root, 10 MB) refused or trimmed with a log
 * line while the lists in force stay as they were. Uploads go to the
 * provisioning client as `prov:upload` once a call ended.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_CALLS_XML_DEPTH, exportCallsXml, importCallsXml } from '../../firmware/calls/calls-xml';
import { isoDuration, parseIsoDuration } from '../../firmware/calls/call-record';
import { bootCalls, removeImage, placeAnswered, type CallsHarness } from './calls-harness';

async function someCalls(h: CallsHarness): Promise<void> {
  const id = h.far.ring('sip:alice@example.com', 'Alice & "Co" <HQ>');
  await h.tick(3000);
  h.far.hangup(id);
  await h.tick();
  h.far.ring('2002', 'Bob');
  await h.tick();
  h.phone.booted.calls.controller.answer(h.live());
  await h.tick(3723000);
  h.phone.booted.calls.controller.transfer(h.live(), '5000');
  await h.tick();
  const out = await placeAnswered(h, '1001');
  await h.tick(59000);
  h.far.hangup(out);
  await h.tick();
}

const strip = (rs: { seq: number }[]) => rs.map(({ seq: _seq, ...rest }) => rest);

test('ISO-8601 durations', () => {
  assert.is(isoDuration(4259000), 'PT1H10M59S');
  assert.is(isoDuration(0), 'PT0S');
  assert.is(isoDuration(60000), 'PT1M');
  assert.is(isoDuration(3600000), 'PT1H0M');
  assert.is(parseIsoDuration('PT1H10M59S'), 4259000);
  assert.is(parseIsoDuration('P1D'), null);
});

test('export → clear → import gives the same lists back', async () => {
  const h = bootCalls();
  await someCalls(h);
  const calls = h.phone.booted.calls;
  const before = { missed: strip(h.list('missed')), received: strip(h.list('received')), placed: strip(h.list('placed')) };
  const xml = calls.exportXml();
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<callList>\n  <call>/);
  assert.match(xml, /<name>Alice &amp; &quot;Co&quot; &lt;HQ&gt;<\/name>/);
  assert.match(xml, /<duration>PT1H2M3S<\/duration>/);
  assert.match(xml, /<finalDestination><address>5000<\/address>/);
  calls.recorder.clear();
  assert.is(calls.recorder.all().length, 0);
  assert.ok(calls.importXml(xml));
  assert.equal({ missed: strip(h.list('missed')), received: strip(h.list('received')), placed: strip(h.list('placed')) }, before);
  // And it is durable: a reboot reads the same.
  const file = `/tmp/calls-roundtrip-${process.pid}.bin`;
  h.phone.save(file);
  const again = bootCalls({ flashImage: file });
  removeImage(file);
  assert.equal(strip(again.list('received')), before.received);
});

test('a server file with a bare &, attributes on <call>, unknown elements and comments is read', () => {
  const xml = `<?xml version="1.0"?>
<!-- written by some PBX -->
<callList version="2">
  <call direction="In" disposition="Normal" line="1" protocol="SIP" startTime="2010-01-05T12:38:05" duration="PT1H10M59S" count="1">
    <source><address>sip:ops@example.com</address><name>Smith & Sons</name></source>
    <destination><address>sip:me@example.com</address><name></name></destination>
    <connection><address>sip:ops@example.com</address><name>Smith & Sons</name></connection>
    <codec>G.722</codec>
  </call>
  <statistics total="1"/>
</callList>`;
  const r = importCallsXml(xml);
  assert.is(r.records.length, 1);
  assert.is(r.records[0].source.name, 'Smith & Sons');
  assert.is(r.records[0].duration, 'PT1H10M59S');
  assert.is(r.records[0].startTime, '2010-01-05T12:38:05');
  assert.ok(r.problems.some((p) => p.includes('<codec>')));
  assert.ok(r.problems.some((p) => p.includes('<statistics>')));
});

test('bad calls files: the phone logs each, never crashes, and keeps the lists it had', async () => {
  const h = bootCalls();
  await someCalls(h);
  const calls = h.phone.booted.calls;
  const good = strip(calls.recorder.all());
  const xml = calls.exportXml();
  const cases: [string, string, string][] = [
    ['truncated', xml.slice(0, xml.indexOf('</call>') - 5), 'no usable calls'],
    ['no root', '<html><body>404</body></html>', 'no <callList> root element'],
    ['not XML', '\u0000\u0001garbage&&&<<<', 'no <callList> root element'],
    ['10 MB', '<callList>' + '<call><direction>In</direction></call>'.repeat(10 * 1024 * 1024 / 37) + '</callList>', 'exceeds'],
    ['bad values', '<callList><call><direction>Sideways</direction></call><call><direction>Out</direction></call></callList>', 'not In or Out'],
  ];
  for (const [what, text, expected] of cases) {
    const lines = h.phone.log().length;
    const started = Date.now();
    assert.is(calls.importXml(text), false, what);
    assert.ok(Date.now() - started < 2000, `${what}: handled quickly`);
    const logged = h.phone.log().slice(lines).join('\n');
    assert.ok(logged.includes(expected), `${what}: log says why\n${logged}`);
    assert.equal(strip(calls.recorder.all()), good, `${what}: lists kept`);
  }
  // Truncated after the first complete call: that call is imported, the cut one is not.
  const cut = xml.slice(0, xml.indexOf('</call>') + 7) + '\n  <call>\n    <direction>Out</dir';
  assert.ok(calls.importXml(cut));
  assert.is(calls.recorder.all().length, 1);
  assert.ok(h.phone.log().some((l) => l.includes('cut off')));
});

test('a call ending uploads the calls file through prov:upload (debounced), for the logged-in user under their name', async () => {
  const h = bootCalls();
  const uploads: { kind: string; text: string; user?: string }[] = [];
  h.phone.booted.kernel.bus.on('prov:upload', (p) => uploads.push(p as never));
  const id = h.far.ring('2001', 'Ann');
  await h.tick(1000);
  h.far.hangup(id);
  await h.tick(100);
  assert.is(uploads.length, 0, 'debounced');
  await h.tick(2000);
  assert.is(uploads.length, 1);
  assert.is(uploads[0].kind, 'callList');
  assert.is(uploads[0].user, undefined);
  assert.is(importCallsXml(uploads[0].text).records[0].source.name, 'Ann');
  h.phone.booted.kernel.bus.emit('user:changed', { user: 'alice', reason: 'login' });
  const again = h.far.ring('2002', '');
  await h.tick(1000);
  h.far.hangup(again);
  await h.tick(2500);
  assert.is(uploads[1].user, 'alice');
  assert.is(importCallsXml(uploads[1].text).records.length, 1);
});

test('elements nested deeper than the calls format needs are refused whole, in time linear in the file', () => {
  const call = `<call direction="In" startTime="2025-12-24T18:00:00"><source><address>2001</address></source></call>`;
  const at16 = importCallsXml(`<callList>${'<x>'.repeat(MAX_CALLS_XML_DEPTH - 2)}${'</x>'.repeat(MAX_CALLS_XML_DEPTH - 2)}${call}</callList>`);
  assert.is(at16.records.length, 1, `${MAX_CALLS_XML_DEPTH} levels are read`);
  for (const xml of [
    // 10,000 nested <call>: closing them walked the whole open-element stack per close tag.
    '<callList>' + '<call>'.repeat(10000) + '</call>'.repeat(10000) + '</callList>',
    // Close tags that match nothing open.
    '<callList>' + '<a>'.repeat(10000) + '</b>'.repeat(10000) + '</callList>',
  ]) {
    const t0 = Date.now();
    const r = importCallsXml(xml);
    const ms = Date.now() - t0;
    assert.equal(r.records, []);
    assert.equal(r.problems, [`calls file nests elements deeper than ${MAX_CALLS_XML_DEPTH} levels: refused`]);
    assert.ok(ms < 200, `refused in ${ms} ms`);
  }
});

test('exportCallsXml of nothing is an empty callList', () => {
  assert.is(exportCallsXml([]), '<?xml version="1.0" encoding="UTF-8"?>\n<callList>\n</callList>\n');
});

test.run();
