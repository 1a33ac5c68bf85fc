/** `phone scenario run FILE...`: QA scenarios with a readable summary and JUnit XML; `phone scenario steps` lists step kinds. */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { loadScenarioFile, type LoadedScenario } from '../../scenario/loader';
import { progressLine, summary, writeJUnit } from '../../scenario/report';
import { artifactFolderName, runScenario, type ScenarioResult, type StepProgress } from '../../scenario/runner';
import { stepKinds } from '../../scenario/step-registry';

export function scenarioCommand(): Command {
  const cmd = new Command('scenario').description('QA scenarios: scripted runs of a simulated phone with a pass/fail report');
  cmd
    .command('run')
    .description('run scenario files (JSON, or TS exporting `scenario`); exit code 1 if any fails')
    .argument('<files...>', 'scenario files')
    .option('--junit <file>', 'write a JUnit XML report here', 'test-results/scenarios.xml')
    .option('--artifacts <dir>', 'folder for flash dumps and screenshots', 'test-results/scenarios')
    .option('--image <file>', 'firmware image to run (default dist/firmware.js)')
    .option('-q, --quiet', 'no progress lines while the scenarios run (stderr), only the summary')
    .action(async (files: string[], opts: { junit: string; artifacts: string; image?: string; quiet?: boolean }) => {
      const loaded: LoadedScenario[] = [];
      const broken: string[] = [];
      for (const f of files) {
        try {
          loaded.push(loadScenarioFile(f));
        } catch (e) {
          broken.push((e as Error).message);
        }
      }
      if (broken.length > 0) {
        // A broken file is reported before anything runs, every problem of every file at once: QA fixes them in one go.
        console.error(broken.flatMap((b) => b.split('\n')).map((b) => `scenario file error: ${b}`).join('\n'));
        process.exitCode = 2;
        return;
      }
      const results: ScenarioResult[] = [];
      for (const s of loaded) {
        const folder = artifactFolderName(s);
        // Progress on stderr as each step ends, so a long run shows where it is; the summary stays on stdout.
        // On a terminal the running step shows too (a week of phone time takes a while), replaced by its result.
        const live = process.stderr.isTTY === true;
        const onStep = opts.quiet ? undefined : (p: StepProgress) => {
          if (p.phase === 'start' && live) process.stderr.write(`${progressLine(folder, p)} …`);
          if (p.phase === 'end') process.stderr.write(`${live ? '\r\x1b[K' : ''}${progressLine(folder, p)}\n`);
        };
        results.push(await runScenario(s, { artifactsDir: path.resolve(opts.artifacts), image: opts.image, onStep }));
      }
      console.log(summary(results));
      fs.mkdirSync(path.dirname(path.resolve(opts.junit)), { recursive: true });
      writeJUnit(results, path.resolve(opts.junit));
      console.log(`JUnit XML: ${opts.junit}`);
      if (results.some((r) => !r.passed)) process.exitCode = 1;
    });
  cmd
    .command('steps')
    .description('list the step kinds a scenario can use, with an example of each')
    .action(() => {
      for (const k of stepKinds()) console.log(`${k.name.padEnd(16)} ${k.help}\n${' '.repeat(17)}e.g. { "${k.name}": ${JSON.stringify(k.example)} }`);
    });
  return cmd;
}
