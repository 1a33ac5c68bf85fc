/**
 * Extracts from the product spec (the Poly VVX privacy guide, plain text) the
 * facts test/config/spec-coverage.test.ts checks the parameter registry
 * against, and writes them to test/config/spec-parameters.json. The spec lives
 * outside the repository, so the tests read this committed table, never the
 * spec: regenerate it when the spec changes and review the diff.
 *
 *   npx ts-node build/extract-spec-parameters.ts SPEC.txt [-o test/config/spec-parameters.json]
 *
 * Independent of the registry on purpose: the table says what the spec says,
 * and the test says where the declarations depart from it.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const SPEC_PARAMETERS = path.resolve(__dirname, '..', 'test', 'config', 'spec-parameters.json');

/** A "(default)" line of an entry; `profile` when the line is one of the Base Profile columns. */
export interface SpecDefault { value: string; profile: 'generic' | 'skype' | null }
/** A line starting "A - B" / "A to B"; `characters` when it bounds a string's length. */
export interface SpecRange { min: number; max: number; characters: boolean }

export interface SpecEntry {
  name: string;
  /** The entry says "Change causes system to restart or reboot". */
  reboot: boolean;
  defaults: SpecDefault[];
  ranges: SpecRange[];
  /** Every "maximum of N characters" of the entry. */
  maxCharacters: number[];
}

export interface SpecParameters {
  source: { file: string; sha256: string };
  /** Every dotted parameter name the spec mentions (families such as `prov.login` included). */
  names: string[];
  /** The parameter entries: a line holding only the name, then its text. */
  entries: SpecEntry[];
}

/** Dotted names that are parameters (not file names, host names). */
export function specParameterNames(spec: string): string[] {
  const names = new Set(spec.match(/\b[a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_]+)+\b/g) ?? []);
  return [...names].filter((n) => !/\.(cfg|xml|log|enc|tgz|com)$/i.test(n) && !/^www\./.test(n));
}

const ENTRY_HEAD = /^`?([a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_]+)+)`?$/;
/** An entry's text ends at the next entry, and never runs on past this many lines (section prose follows the last one). */
const ENTRY_MAX_LINES = 29;

function entryFacts(name: string, lines: readonly string[]): SpecEntry {
  const entry: SpecEntry = { name, reboot: false, defaults: [], ranges: [], maxCharacters: [] };
  for (const l of lines) {
    if (/Change causes system to restart or reboot/.test(l)) entry.reboot = true;
    const def = /^(?:[-–•]\s*)?(?:(.*?)\s+-\s+)?([\w.]+)(?: minutes)? \((?:d|D)efault\)/.exec(l);
    if (def) {
      const label = def[1] ?? '';
      entry.defaults.push({
        value: /^null$/i.test(def[2]) ? '' : def[2],
        profile: /Lync|Skype/.test(label) ? 'skype' : /Generic/.test(label) ? 'generic' : null,
      });
    }
    const range = /^(\d+)\s*(?:-|–|to)\s*(\d+)\b(.*)$/.exec(l);
    if (range) entry.ranges.push({ min: Number(range[1]), max: Number(range[2]), characters: /characters/.test(range[3]) });
    for (const m of l.matchAll(/maximum of (\d+) characters/g)) entry.maxCharacters.push(Number(m[1]));
  }
  return entry;
}

export function extractSpecParameters(spec: string, file: string): SpecParameters {
  const lines = spec.split('\n').map((l) => l.trim());
  const heads: { at: number; name: string }[] = [];
  lines.forEach((l, at) => {
    const m = ENTRY_HEAD.exec(l);
    if (m && !/\.(cfg|xml|log|enc|tgz|com)$/i.test(m[1])) heads.push({ at, name: m[1] });
  });
  const entries = heads.map((h, i) =>
    entryFacts(h.name, lines.slice(h.at + 1, Math.min(heads[i + 1]?.at ?? lines.length, h.at + 1 + ENTRY_MAX_LINES))));
  return {
    source: { file, sha256: crypto.createHash('sha256').update(spec).digest('hex') },
    names: specParameterNames(spec).sort(),
    entries,
  };
}

/** One entry per line, so a spec change shows as a readable diff. */
export function renderSpecParameters(table: SpecParameters): string {
  const list = (items: readonly unknown[]) => items.map((i) => `    ${JSON.stringify(i)}`).join(',\n');
  return [
    '{',
    `  "source": ${JSON.stringify(table.source)},`,
    `  "names": [\n${list(table.names)}\n  ],`,
    `  "entries": [\n${list(table.entries)}\n  ]`,
    '}',
    '',
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('-o');
  const out = outAt >= 0 ? path.resolve(args[outAt + 1] ?? '') : SPEC_PARAMETERS;
  const specPath = args.filter((_, i) => outAt < 0 || (i !== outAt && i !== outAt + 1))[0];
  if (!specPath) {
    console.error('usage: ts-node build/extract-spec-parameters.ts SPEC.txt [-o OUT.json]');
    process.exit(2);
  }
  const table = extractSpecParameters(fs.readFileSync(specPath, 'utf8'), path.basename(specPath));
  fs.writeFileSync(out, renderSpecParameters(table));
  console.log(`${path.relative(process.cwd(), out)}: ${table.names.length} names, ${table.entries.length} entries`);
}
