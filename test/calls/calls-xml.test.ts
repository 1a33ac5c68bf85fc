/**
 * `<MAC>-calls.xml`: export/import round trip, what a server's file may look
 * like (bare `&`, attributes instead of elements, unknown elements), and
 * malformed files (truncated, no root, 10 MB) refused or trimmed with a log
 * line while the lists in force stay as they were. Uploads go to the
 * provisioning client as `prov:upload` once a call ended.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
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

/** A calls file as a server holds it: calls 2, 3, 4, 5 and 7 are wrong (see the file). */
const FLEET_CALLS = readFileSync(join(__dirname, '../fixtures/calls/0004f2a1b2c3-calls.xml'), 'utf8');
const FLEET_PROBLEMS = [
  'call 2: direction "Inbound" is not In or Out: dropped',
  'call 3: no startTime: dropped',
  'call 4: disposition "Hung up" unknown: dropped',
  'call 5: no source address: dropped',
  'call 7: duration "5 minutes" is not an ISO-8601 PT…S duration: dropped',
  'element <statistics> in <callList> ignored',
  'element <codec> in <call> ignored',
];

test('a server\'s calls file: each call with a bad or missing element is dropped alone, the others load', () => {
  const r = importCallsXml(FLEET_CALLS);
  assert.is(r.calls, 8);
  assert.equal(r.records.map((c) => [c.direction, c.disposition, c.startTime, c.duration, c.count, c.line]), [
    ['In', 'Normal', '2025-11-03T09:12:44', 'PT2M10S', 1, 1],
    ['Out', 'Normal', '2025-11-03T13:30:00', 'PT5M3S', 2, 2],
    ['In', 'Busy', '2025-11-03T15:00:00', 'PT0S', 1, 1],
  ]);
  assert.is(r.records[0].source.name, 'Smith & Sons');
  assert.is(r.records[1].destination.name, 'Ólafur');
  assert.equal(r.problems, FLEET_PROBLEMS);
  // Optional elements left out take their defaults; present ones must be valid.
  const one = (inner: string) => importCallsXml(`<callList><call><direction>In</direction><startTime>2025-01-01T00:00:00</startTime><source><address>1</address></source>${inner}</call></callList>`);
  assert.equal(one('').records.map((c) => [c.disposition, c.line, c.protocol, c.duration, c.count]), [['Normal', 1, 'SIP', 'PT0S', 1]]);
  assert.equal(one('<line>0</line>').problems, ['call 1: line "0" is not a line number: dropped']);
  assert.equal(one('<count>-3</count>').problems, ['call 1: count "-3" is not a positive number: dropped']);
  assert.equal(one('<protocol>IAX</protocol>').problems, ['call 1: protocol "IAX" is not SIP or H323: dropped']);
});

test('a calls file\'s problems are logged once per file version (also after a reboot), at most 20 lines plus a count', async () => {
  const h = bootCalls();
  const calls = h.phone.booted.calls;
  // Warnings and errors about the file (its info line "N calls imported" comes every import).
  const problemLines = (log: string[]) => log.filter((l) => Number(l.split('|')[2]) >= 3).map((l) => l.split('|').slice(4).join('|')).filter((t) => t.startsWith('calls file: '));
  let mark = h.phone.log().length;
  assert.ok(calls.importXml(FLEET_CALLS));
  assert.is(h.list('received').length + h.list('missed').length + h.list('placed').length, 3);
  assert.equal(problemLines(h.phone.log().slice(mark)), ['calls file: 8 calls: 3 loaded, 5 dropped', ...FLEET_PROBLEMS.map((p) => `calls file: ${p}`)]);
  // No party data in those lines.
  for (const party of ['Bob', 'Carol', 'Dave', '2004', 'Anonymous', 'Eve', 'Ólafur']) assert.not.ok(problemLines(h.phone.log()).some((l) => l.includes(party)), party);
  mark = h.phone.log().length;
  assert.ok(calls.importXml(FLEET_CALLS));
  assert.equal(problemLines(h.phone.log().slice(mark)), [], 'the same version again: nothing new');
  const file = `/tmp/calls-problems-${process.pid}.bin`;
  h.phone.save(file);
  const again = bootCalls({ flashImage: file });
  removeImage(file);
  mark = again.phone.log().length;
  assert.ok(again.phone.booted.calls.importXml(FLEET_CALLS));
  assert.equal(problemLines(again.phone.log().slice(mark)), [], 'not again after a reboot');
  // 1,000 bad calls and one good one: 20 problem lines and a count, the good call loaded.
  const bad = '<call><direction>In</direction><startTime>yesterday</startTime><source><address>1</address></source></call>'.repeat(1000);
  const good = '<call><direction>In</direction><startTime>2025-01-01T00:00:00</startTime><source><address>2</address></source></call>';
  mark = again.phone.log().length;
  assert.ok(again.phone.booted.calls.importXml(`<callList>${bad}${good}</callList>`));
  const lines = problemLines(again.phone.log().slice(mark));
  assert.is(lines.length, 22);
  assert.is(lines[0], 'calls file: 1001 calls: 1 loaded, 1000 dropped');
  assert.is(lines[1], 'calls file: call 1: startTime "yesterday" is not YYYY-MM-DDTHH:MM:SS: dropped');
  assert.is(lines[21], 'calls file: and 980 more problems not listed');
  assert.is(again.list('received').length + again.list('missed').length, 1);
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

test('exportCallsXml with kept elements: the same file, a record written once, a changed record (a new copy) written again', () => {
  const [first] = importCallsXml(`<callList><call><direction>In</direction><disposition>Normal</disposition><line>1</line><protocol>SIP</protocol>
    <startTime>2026-01-05T12:38:05</startTime><duration>PT1M</duration><count>1</count>
    <source><address>+4930123</address><name>Smith &amp; Sons</name></source><destination><address>1001</address><name></name></destination></call></callList>`).records;
  const second = { ...first, seq: 2, source: { address: '+4930999', name: '<Ada>' } };
  const kept = new WeakMap<typeof first, string>();
  assert.is(exportCallsXml([first, second], kept), exportCallsXml([first, second]));
  assert.match(kept.get(second)!, /&lt;Ada&gt;/);
  kept.set(first, '  <call>kept</call>\n');
  assert.match(exportCallsXml([first, second], kept), /<call>kept<\/call>/, 'a kept element is not written again');
  const changed = { ...first, disposition: 'Rejected' as const };
  assert.match(exportCallsXml([changed, second], kept), /<disposition>Rejected<\/disposition>/);
});

test('exportCallsXml of nothing is an empty callList', () => {
  assert.is(exportCallsXml([]), '<?xml version="1.0" encoding="UTF-8"?>\n<callList>\n</callList>\n');
});

test.run();
