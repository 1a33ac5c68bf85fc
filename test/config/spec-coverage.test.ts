/**
 * The spec is the requirement: every parameter name in its text is declared,
 * and each parameter's entry in the spec (default, range, length, "Change
 * causes system to restart or reboot") agrees with the declaration, except
 * the documented choices of docs/parameters.md. The spec's facts come from
 * spec-parameters.json, extracted from the spec by
 * build/extract-spec-parameters.ts (the spec itself is not in the repository).
 * Also: docs/parameters.md is the generator's current output.
 */
import * as fs from 'fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PARAMETER_DOCS, renderParameterDocs } from '../../build/generate-parameter-docs';
import { isProfileDefault } from '../../firmware/config/parameter-registry';
import type { SpecParameters } from '../../build/extract-spec-parameters';
import { allDeclarations } from './config-bench';
import SPEC_TABLE from './spec-parameters.json';

const SPEC = SPEC_TABLE as SpecParameters;
const declared = allDeclarations();
const byLower = new Map(declared.map((p) => [p.name.toLowerCase(), p]));
const declaredAs = (name: string) => byLower.get(name.toLowerCase());

/** Documented choices (docs/parameters.md) where the declaration departs from the spec's parameter entry. */
const CHOSEN_DEFAULTS = new Set(['feature.callListMissed.enabled', 'feature.callListPlaced.enabled', 'feature.callListReceived.enabled']);

test('every parameter named in the spec is declared (families such as prov.login* by their members)', () => {
  assert.ok(SPEC.names.length >= 60, `found only ${SPEC.names.length} names in the spec`);
  const missing = SPEC.names.filter((n) => !declaredAs(n) && !declared.some((p) => p.name.startsWith(n + '.')));
  assert.equal(missing, []);
});

test('each declared parameter has a one-line description, and names are unique', () => {
  assert.is(new Set(declared.map((p) => p.name)).size, declared.length);
  for (const p of declared) assert.ok(p.description.length > 10 && !p.description.includes('\n'), p.name);
});

test('the spec entries were found for most parameters, and each is declared', () => {
  assert.ok(SPEC.entries.length >= 50, `${SPEC.entries.length} entries`);
  assert.equal(SPEC.entries.filter((e) => !declaredAs(e.name)).map((e) => e.name), []);
});

test('reboot flags match "Change causes system to restart or reboot" in each spec entry', () => {
  const wrong: string[] = [];
  for (const e of SPEC.entries) {
    if (e.reboot !== !!declaredAs(e.name)?.reboot) wrong.push(`${e.name}: spec ${e.reboot ? 'says' : 'does not say'} reboot`);
  }
  assert.equal(wrong, []);
});

test('defaults match the "(default)" lines of each spec entry, Base Profile columns included', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const e of SPEC.entries) {
    const p = declaredAs(e.name);
    if (!p || CHOSEN_DEFAULTS.has(p.name)) continue;
    for (const spec of e.defaults) {
      const d = p.default;
      const ours = isProfileDefault(d) ? d[spec.profile ?? 'generic'] : d;
      const oursText = typeof ours === 'boolean' ? (ours ? '1' : '0') : String(ours);
      checked++;
      if (oursText !== spec.value) wrong.push(`${p.name}${spec.profile ? ` (${spec.profile})` : ''}: spec ${JSON.stringify(spec.value)}, declared ${JSON.stringify(oursText)}`);
    }
  }
  assert.ok(checked >= 45, `only ${checked} defaults checked`);
  assert.equal(wrong, []);
});

test('the documented default choices are still choices: the spec entry says otherwise', () => {
  for (const name of CHOSEN_DEFAULTS) {
    const entry = SPEC.entries.find((e) => e.name === name);
    assert.ok(entry, `${name} has no spec entry`);
    assert.ok(entry.defaults.some((d) => d.value !== (declaredAs(name)!.default ? '1' : '0')), `${name} agrees with the spec: drop it from CHOSEN_DEFAULTS`);
  }
});

test('ranges and maximum lengths match the spec entries', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const e of SPEC.entries) {
    const p = declaredAs(e.name);
    if (!p) continue;
    for (const range of e.ranges) {
      if (p.type === 'integer') {
        checked++;
        if (p.min !== range.min || p.max !== range.max) wrong.push(`${p.name}: spec ${range.min}-${range.max}, declared ${p.min}-${p.max}`);
      } else if (p.type === 'string' && range.characters) {
        checked++;
        if (p.maxLength !== range.max) wrong.push(`${p.name}: spec ≤ ${range.max} characters, declared ${p.maxLength}`);
      }
    }
    for (const max of e.maxCharacters) {
      checked++;
      if (p.maxLength !== max) wrong.push(`${p.name}: spec ≤ ${max} characters, declared ${p.maxLength}`);
    }
  }
  assert.ok(checked >= 7, `only ${checked} ranges checked`);
  assert.equal(wrong, []);
});

test('the values the issue names explicitly', () => {
  const get = (n: string) => byLower.get(n.toLowerCase())!;
  assert.is(get('da.supported.services').maxLength, 2048);
  assert.is(get('deviceAnalytics.note').maxLength, 512);
  assert.is(get('obitalk.accountCode').maxLength, 256);
  for (const n of ['sec.pwd.length.admin', 'sec.pwd.length.user']) assert.equal([get(n).min, get(n).max, get(n).reboot], [0, 32, true]);
  assert.equal([get('prov.login.automaticLogout').min, get('prov.login.automaticLogout').max], [0, 46000]);
  assert.equal(get('callLists.collapseDuplicates').default, { generic: true, skype: false });
  assert.equal(get('feature.exchangeCallLog.enabled').default, { generic: false, skype: true });
  assert.equal(get('device.system.recoveryType').values, ['FullRecovery', 'PreserveAdmin']);
});

test('docs/parameters.md is up to date (regenerate: npx ts-node build/generate-parameter-docs.ts)', () => {
  const committed = fs.existsSync(PARAMETER_DOCS) ? fs.readFileSync(PARAMETER_DOCS, 'utf8') : '';
  const current = renderParameterDocs(declared);
  assert.ok(committed === current, 'docs/parameters.md is stale: run npx ts-node build/generate-parameter-docs.ts');
  for (const p of declared) assert.ok(committed.includes(`\`${p.name}\``), p.name);
  assert.match(committed, /All call lists are enabled by default/);
});

test.run();
