/**
 * Runs the benchmarks: every bench/<name>.bench.ts in turn, or only the names
 * given (`npm run bench -- platform`). Each exports `bench(): Promise<void>`
 * and prints its own figures.
 */
import * as fs from 'fs';
import * as path from 'path';

async function main(): Promise<void> {
  const available = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')} (available: ${available.join(', ')})`);
    process.exit(2);
  }
  for (const name of wanted.length > 0 ? wanted : available) {
    console.log(`\n== ${name} ==`);
    const t0 = Date.now();
    const mod = (await import(path.join(__dirname, `${name}.bench.ts`))) as { bench?: () => Promise<void> };
    if (typeof mod.bench !== 'function') throw new Error(`bench/${name}.bench.ts does not export bench()`);
    await mod.bench();
    console.log(`(${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
