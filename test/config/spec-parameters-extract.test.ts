/**
 * build/extract-spec-parameters.ts, which writes the committed table
 * spec-parameters.json from the spec, on an excerpt written the spec's way:
 * it must find each entry and the facts spec-coverage.test.ts relies on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import { SPEC_PARAMETERS, extractSpecParameters, renderSpecParameters } from '../../build/extract-spec-parameters';
import SPEC_TABLE from './spec-parameters.json';

const EXCERPT = `Device Analytics Parameters

Use feature.da.enabled and the files 000000000000.cfg, <MAC>-calls.xml; see www.poly.com.

feature.da.enabled

0 (default) - Disable device analytics.

1 - Enable device analytics.

Change causes system to restart or reboot.

obitalk.accountCode

Null (default)

String (maximum of 256 characters).

\`sec.pwd.length.admin\`

1 (default)

0 - 32

Change causes system to restart or reboot.

device.auth.localAdminPassword

0-32 characters

callLists.collapseDuplicates

Base Profile: Lync - 0 (default)
Base Profile: Generic - 1 (default)

Restrict the prov.login* family: prov.login.enabled.
`;

const table = extractSpecParameters(EXCERPT, 'excerpt.txt');
const entry = (name: string) => table.entries.find((e) => e.name === name);

test('entries: a line holding only a dotted name (backquoted or not), up to the next one', () => {
  assert.equal(table.entries.map((e) => e.name), ['feature.da.enabled', 'obitalk.accountCode', 'sec.pwd.length.admin', 'device.auth.localAdminPassword', 'callLists.collapseDuplicates']);
});

test('names: every dotted name, without file and host names', () => {
  assert.equal(table.names, [...table.entries.map((e) => e.name), 'prov.login', 'prov.login.enabled'].sort());
});

test('reboot flags, defaults (null as empty, Base Profile columns), ranges and lengths', () => {
  assert.equal(entry('feature.da.enabled'), { name: 'feature.da.enabled', reboot: true, defaults: [{ value: '0', profile: null }], ranges: [], maxCharacters: [] });
  assert.equal(entry('obitalk.accountCode'), { name: 'obitalk.accountCode', reboot: false, defaults: [{ value: '', profile: null }], ranges: [], maxCharacters: [256] });
  assert.equal(entry('sec.pwd.length.admin')!.ranges, [{ min: 0, max: 32, characters: false }]);
  assert.equal(entry('device.auth.localAdminPassword')!.ranges, [{ min: 0, max: 32, characters: true }]);
  assert.equal(entry('callLists.collapseDuplicates')!.defaults, [{ value: '0', profile: 'skype' }, { value: '1', profile: 'generic' }]);
});

test('the table is rendered as JSON that reads back the same, and records its source', () => {
  assert.equal(JSON.parse(renderSpecParameters(table)), table);
  assert.is(table.source.file, 'excerpt.txt');
  assert.match(table.source.sha256, /^[0-9a-f]{64}$/);
});

test('the committed table is as the generator writes it', () => {
  assert.is(SPEC_TABLE.source.file, 'poly-vvx-privacy-guide.txt');
  assert.ok(fs.readFileSync(SPEC_PARAMETERS, 'utf8') === renderSpecParameters(SPEC_TABLE as typeof table), 'hand-edited? regenerate it from the spec');
});

test.run();
