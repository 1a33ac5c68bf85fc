/**
 * `npm run bench`: builds the image, measures the figures of the
 * performance table (bench/figures/table.ts), writes bench/results.json and
 * prints the table; `--check` exits 1 when a goal is missed;
 * `--figures boot,days30` measures only those groups.
 *
 * `npm run bench -- platform calls`: runs those bench/<name>.bench.ts
 * instead (each exports `bench(): Promise<void>` and prints its own figures).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkExitCode, formatTable, missedGoals, toResults, writeResults } from './figure-results';
import { GROUPS, measureTable, type Group } from './figures/table';

const ROOT = path.join(__dirname, '..');

function build(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'bin/phone.js'), 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

const VALUE_OPTIONS = ['--figures', '--out'];

/** `--name value` or `--name=value`. */
function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === name || a.startsWith(name + '='));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
}

/** Bench names: the arguments that are neither options nor the value of one. */
function benchNames(): string[] {
  const args = process.argv.slice(2);
  return args.filter((a, i) => !a.startsWith('-') && !VALUE_OPTIONS.includes(args[i - 1]));
}

async function namedBenches(names: string[]): Promise<void> {
  for (const name of names) {
    console.log(`\n== ${name} ==`);
    const t0 = Date.now();
    const mod = (await import(path.join(__dirname, `${name}.bench.ts`))) as { bench?: () => Promise<void> };
    if (typeof mod.bench !== 'function') throw new Error(`bench/${name}.bench.ts does not export bench()`);
    await mod.bench();
    console.log(`(${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

async function table(check: boolean): Promise<number> {
  const asked = option('--figures');
  const groups = (asked ? asked.split(',') : [...GROUPS]) as Group[];
  const unknown = groups.filter((g) => !GROUPS.includes(g));
  if (unknown.length > 0) {
    console.error(`unknown figure group(s): ${unknown.join(', ')} (available: ${GROUPS.join(', ')})`);
    return 2;
  }
  const results = toResults(await measureTable(groups));
  const out = option('--out') ?? path.join(__dirname, 'results.json');
  writeResults(out, results);
  console.log(`\n${formatTable(results)}\n\nwritten to ${path.relative(process.cwd(), out)}`);
  if (!check) return 0;
  const code = checkExitCode(results);
  console.log(code === 0 ? 'check: every goal met' : `check: goals missed: ${missedGoals(results).join(', ')}`);
  return code;
}

async function main(): Promise<number> {
  const available = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
  const wanted = benchNames();
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')} (available: ${available.join(', ')}; none: the performance table)`);
    return 2;
  }
  build();
  if (wanted.length > 0) {
    await namedBenches(wanted);
    return 0;
  }
  return table(process.argv.includes('--check'));
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
