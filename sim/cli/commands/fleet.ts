/**
 * `phone fleet run SCENARIO... --workers N [--shard I/N]`: many simulated
 * phones at once, spread over worker threads, one merged JUnit report. With
 * `--shard I/N` a machine runs only its deterministic share, so an existing
 * job runner scales a fleet out (docs/fleet.md).
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jobsOf, type FleetJob } from '../../fleet/fleet-job';
import { runFleet } from '../../fleet/fleet-runner';
import { inShard, parseShard, type Shard } from '../../fleet/shard';
import { loadScenarioFile } from '../../scenario/loader';
import { summary, writeJUnit } from '../../scenario/report';

export function fleetCommand(): Command {
  const cmd = new Command('fleet').description('fleets of simulated phones: scenarios across worker threads and machines, one JUnit report');
  cmd
    .command('run')
    .description('run scenario files (a file with "phones": N stands for N phones) across worker threads; exit code 1 if any fails')
    .argument('<files...>', 'scenario files')
    .option('--workers <n>', 'worker threads (default: the CPU cores)', String(os.cpus().length))
    .option('--shard <i/n>', 'run only shard I of N (1-based; stable by scenario name), e.g. 2/4')
    .option('--junit <file>', 'write the merged JUnit XML report here', 'test-results/fleet.xml')
    .option('--artifacts <dir>', 'folder for flash dumps and screenshots', 'test-results/fleet')
    .option('--image <file>', 'firmware image to run (default dist/firmware.js)')
    .option('--quiet', 'print only the failures and the totals, not every step')
    .action(async (files: string[], opts: { workers: string; shard?: string; junit: string; artifacts: string; image?: string; quiet?: boolean }) => {
      const workers = Number(opts.workers);
      let shard: Shard | null = null;
      try {
        if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers "${opts.workers}": a whole number of at least 1`);
        if (opts.shard !== undefined) shard = parseShard(opts.shard);
      } catch (e) {
        console.error((e as Error).message);
        process.exitCode = 2;
        return;
      }
      const all: FleetJob[] = [];
      const broken: string[] = [];
      for (const f of files) {
        try {
          all.push(...jobsOf(loadScenarioFile(f)));
        } catch (e) {
          broken.push((e as Error).message);
        }
      }
      if (broken.length > 0) {
        console.error(broken.map((b) => `scenario file error: ${b}`).join('\n'));
        process.exitCode = 2;
        return;
      }
      const jobs = shard ? all.filter((j) => inShard(j.name, shard!)) : all;
      console.log(`fleet: ${jobs.length} of ${all.length} phones${shard ? ` (shard ${shard.index}/${shard.count})` : ''} on ${Math.min(workers, Math.max(1, jobs.length))} worker threads`);
      const started = Date.now();
      const results = await runFleet(jobs, {
        workers,
        artifactsDir: path.resolve(opts.artifacts),
        image: opts.image ? path.resolve(opts.image) : undefined,
        onResult: (r, done, total) => { if (!opts.quiet || !r.passed) console.log(`[${done}/${total}] ${r.passed ? 'PASS' : 'FAIL'} ${r.name} (${r.ms} ms)`); },
      });
      const wallMs = Date.now() - started;
      if (!opts.quiet) console.log(summary(results));
      else console.log(`\n${results.filter((r) => r.passed).length} passed, ${results.filter((r) => !r.passed).length} failed`);
      fs.mkdirSync(path.dirname(path.resolve(opts.junit)), { recursive: true });
      writeJUnit(results, path.resolve(opts.junit));
      console.log(`fleet wall time: ${(wallMs / 1000).toFixed(1)} s for ${results.length} phones on ${Math.min(workers, Math.max(1, jobs.length))} workers`);
      console.log(`JUnit XML: ${opts.junit}`);
      if (results.some((r) => !r.passed)) process.exitCode = 1;
    });
  return cmd;
}
