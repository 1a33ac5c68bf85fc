/**
 * The spec is the requirement: every parameter name in its text is declared,
 * and each parameter's entry in the spec (default, range, length, "Change
 * causes system to restart or reboot") agrees with the declaration, except
 * the documented choices of docs/parameters.md. Also: docs/parameters.md is
 * the generator's current output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PARAMETER_DOCS, renderParameterDocs } from '../../build/generate-parameter-docs';
import { isProfileDefault } from '../../firmware/config/parameter-registry';
import { allDeclarations } from './config-bench';

const SPEC = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'shared', 'spec', 'poly-vvx-privacy-guide.txt'), 'utf8');
const declared = allDeclarations();
const byLower = new Map(declared.map((p) => [p.name.toLowerCase(), p]));

/** Dotted names in the spec that are parameters (not file names, host names or families like `prov.login*`). */
function specParameterNames(): string[] {
  const names = new Set(SPEC.match(/\b[a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_]+)+\b/g) ?? []);
  return [...names].filter((n) => !/\.(cfg|xml|log|enc|tgz|com)$/i.test(n) && !/^www\./.test(n));
}

/** Documented choices (docs/parameters.md) where the declaration departs from the spec's parameter entry. */
const CHOSEN_DEFAULTS = new Set(['feature.callListMissed.enabled', 'feature.callListPlaced.enabled', 'feature.callListReceived.enabled']);

test('every parameter named in the spec is declared (families such as prov.login* by their members)', () => {
  const names = specParameterNames();
  assert.ok(names.length >= 60, `found only ${names.length} names in the spec`);
  const missing = names.filter((n) => !byLower.has(n.toLowerCase()) && !declared.some((p) => p.name.startsWith(n + '.')));
  assert.equal(missing, []);
});

test('each declared parameter has a one-line description, and names are unique', () => {
  assert.is(new Set(declared.map((p) => p.name)).size, declared.length);
  for (const p of declared) assert.ok(p.description.length > 10 && !p.description.includes('\n'), p.name);
});

interface SpecEntry { name: string; lines: string[] }

/** The spec's parameter entries: a line holding just the name, then its text up to the next such line. */
function specEntries(): SpecEntry[] {
  const lines = SPEC.split('\n').map((l) => l.trim());
  const heads: { at: number; name: string }[] = [];
  lines.forEach((l, at) => {
    const name = l.replace(/`/g, '').trim();
    if (byLower.has(name.toLowerCase()) && /^[\w.]+$/.test(name)) heads.push({ at, name });
  });
  return heads.map((h, i) => ({ name: h.name, lines: lines.slice(h.at + 1, Math.min(heads[i + 1]?.at ?? lines.length, h.at + 30)) }));
}

test('the spec entries were found for most parameters', () => {
  assert.ok(specEntries().length >= 50, `${specEntries().length} entries`);
});

test('reboot flags match "Change causes system to restart or reboot" in each spec entry', () => {
  const wrong: string[] = [];
  for (const e of specEntries()) {
    const says = e.lines.some((l) => /Change causes system to restart or reboot/.test(l));
    if (says !== !!byLower.get(e.name.toLowerCase())!.reboot) wrong.push(`${e.name}: spec ${says ? 'says' : 'does not say'} reboot`);
  }
  assert.equal(wrong, []);
});

test('defaults match the "(default)" lines of each spec entry, Base Profile columns included', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const e of specEntries()) {
    const p = byLower.get(e.name.toLowerCase())!;
    if (CHOSEN_DEFAULTS.has(p.name)) continue;
    for (const l of e.lines) {
      const m = /^(?:[-–•]\s*)?(?:(.*?)\s+-\s+)?([\w.]+)(?: minutes)? \((?:d|D)efault\)/.exec(l);
      if (!m) continue;
      const spec = /^null$/i.test(m[2]) ? '' : m[2];
      const profile = /Lync|Skype/.test(m[1] ?? '') ? 'skype' : /Generic/.test(m[1] ?? '') ? 'generic' : null;
      const d = p.default;
      const ours = isProfileDefault(d) ? d[profile ?? 'generic'] : d;
      const oursText = typeof ours === 'boolean' ? (ours ? '1' : '0') : String(ours);
      checked++;
      if (oursText !== spec) wrong.push(`${p.name}${profile ? ` (${profile})` : ''}: spec ${JSON.stringify(spec)}, declared ${JSON.stringify(oursText)}`);
    }
  }
  assert.ok(checked >= 45, `only ${checked} defaults checked`);
  assert.equal(wrong, []);
});

test('ranges and maximum lengths match the spec entries', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const e of specEntries()) {
    const p = byLower.get(e.name.toLowerCase())!;
    for (const l of e.lines) {
      const range = /^(\d+)\s*(?:-|–|to)\s*(\d+)\b(.*)$/.exec(l);
      const maxChars = /maximum of (\d+) characters/.exec(l);
      if (range && p.type === 'integer') {
        checked++;
        if (p.min !== Number(range[1]) || p.max !== Number(range[2])) wrong.push(`${p.name}: spec ${range[1]}-${range[2]}, declared ${p.min}-${p.max}`);
      } else if (range && p.type === 'string' && /characters/.test(range[3])) {
        checked++;
        if (p.maxLength !== Number(range[2])) wrong.push(`${p.name}: spec ≤ ${range[2]} characters, declared ${p.maxLength}`);
      } else if (maxChars) {
        checked++;
        if (p.maxLength !== Number(maxChars[1])) wrong.push(`${p.name}: spec ≤ ${maxChars[1]} characters, declared ${p.maxLength}`);
      }
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
