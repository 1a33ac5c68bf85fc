#!/usr/bin/env node
/**
 * What `uvu -r ts-node/register DIR PATTERN` does, on every core: suite files
 * are handed one at a time to worker processes (one per core, `TEST_WORKERS`
 * to override) and each file's output is printed whole once it finished, so
 * the log reads as uvu's own. A suite file that throws while loading is
 * reported by name and the other files still run (uvu's own runner stops at
 * the first such file with a bare stack and no summary).
 *
 * Files of one folder in SERIAL_FOLDERS run one after another in one worker:
 * they share a guest kernel, images and caches built on first use.
 *
 * Spawned by test/run-uvu.js, which parses the lines printed here: one
 * "could not load FILE: ERROR" per file, then uvu's summary (Total, Passed,
 * Skipped, Duration).
 *
 *   node test/run-uvu-suites.js DIR PATTERN [--bail]
 */
const { fork } = require('child_process');
const os = require('os');
const path = require('path');

const LOAD_FAILURE = 'could not load';
/** Folders whose files must not run at the same time as each other. */
const SERIAL_FOLDERS = ['qemu', 'board'];
/** Ends each file's output in a worker's stdout: the parent prints the file's block then. */
const FILE_DONE = '\u0000uvu-file-done ';

/** The error's message and the first stack frame outside Node and node_modules: where the load failed. */
function describeLoadError(err) {
  if (!(err instanceof Error)) return String(err);
  const frame = (err.stack || '').split('\n').map((l) => l.trim())
    .find((l) => l.startsWith('at ') && !l.includes('node_modules') && !l.includes('node:'));
  const message = err.message.split('\n').filter((l) => l.trim() !== '').join(' | ');
  return frame ? `${message} (${frame})` : message;
}

// ───────────── worker: runs the files it is sent, one at a time ─────────────

async function runFile(suite) {
  const started = Date.now();
  const result = { total: 0, passed: 0, skipped: 0, failed: false, loadError: null };
  globalThis.UVU_QUEUE.length = 0;
  globalThis.UVU_QUEUE.push([suite.name]);
  globalThis.UVU_INDEX = 0;
  try {
    require(suite.file);
  } catch (err) {
    const relative = path.relative(process.cwd(), suite.file);
    result.loadError = `${LOAD_FAILURE} ${relative.startsWith('..') ? suite.file : relative}: ${describeLoadError(err)}`;
    return { ...result, ms: Date.now() - started };
  }
  const [group] = globalThis.UVU_QUEUE;
  const name = group.shift();
  process.stdout.write(`\x1b[1m\x1b[4m\x1b[37m${name}\x1b[22m\x1b[24m\x1b[39m\n`);
  for (const test of group) {
    const [errors, ran, skips, max] = await test();
    result.total += max;
    result.passed += ran;
    result.skipped += skips;
    if (errors.length) {
      process.stdout.write(`\n${errors}\n`);
      result.failed = true;
    }
  }
  return { ...result, ms: Date.now() - started };
}

function worker() {
  process.env.FORCE_COLOR = process.env.FORCE_COLOR || '1';
  globalThis.UVU_DEFER = 1;
  require('ts-node/register');
  require('uvu');
  process.on('message', async (message) => {
    if (message.exit) process.exit(0);
    for (const suite of message.files) {
      const result = await runFile(suite);
      // The marker after the file's own output: stdout is one ordered pipe.
      await new Promise((resolve) => process.stdout.write(`\n${FILE_DONE}${JSON.stringify({ file: suite.name, ...result })}\n`, resolve));
    }
    process.send({ unitDone: true });
  });
  process.send({ ready: true });
}

// ───────────── parent: hands out files, prints whole blocks, sums up ─────────────

/** Seconds each file took in a full run (TEST_DURATIONS_WRITE=1 rewrites it): the longest start first. */
const DURATIONS_FILE = path.join(__dirname, 'suite-durations.json');
/** A file not timed yet counts as this many seconds. */
const UNTIMED_SECONDS = 5;

function knownDurations() {
  try {
    return JSON.parse(require('fs').readFileSync(DURATIONS_FILE, 'utf8'));
  } catch {
    return {};
  }
}

/** Units of work, longest first: a serial folder's files together, every other file alone. */
function units(suites) {
  const seconds = knownDurations();
  const serial = new Map(SERIAL_FOLDERS.map((f) => [f, []]));
  const all = [];
  for (const suite of suites) {
    const folder = suite.name.split('/')[0];
    if (serial.has(folder)) serial.get(folder).push(suite);
    else all.push([suite]);
  }
  all.push(...[...serial.values()].filter((u) => u.length > 0));
  const cost = (unit) => unit.reduce((sum, suite) => sum + (seconds[suite.name] ?? UNTIMED_SECONDS), 0);
  return all.sort((a, b) => cost(b) - cost(a));
}

async function parent() {
  const args = process.argv.slice(2);
  const bail = args.includes('--bail') || args.includes('-b');
  const [dir = 'test', pattern = '\\.test\\.ts$'] = args.filter((a) => !a.startsWith('-'));
  const { parse } = require('uvu/parse');
  const ctx = await parse(dir, pattern, {});
  if (ctx.suites.length === 0) {
    console.log(`no test files match ${pattern} under ${dir}`);
    process.exitCode = 1;
    return;
  }
  const queue = units(ctx.suites);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const workerCount = Math.max(1, Math.min(Number(process.env.TEST_WORKERS) || cores, queue.length));
  const started = process.hrtime.bigint();
  const totals = { total: 0, passed: 0, skipped: 0, failed: 0, loadFailures: 0 };
  const durations = [];
  const workers = [];
  let printedAny = false;

  const finish = () => {
    for (const w of workers) w.kill();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const slowest = durations.sort((a, b) => b.ms - a.ms).slice(0, 8).map((d) => `${d.file} ${(d.ms / 1000).toFixed(1)} s`);
    process.stdout.write(`\n  Slowest files (${workerCount} workers): ${slowest.join(', ')}\n`);
    process.stdout.write(`\n  Total:     ${totals.total}`);
    process.stdout.write(`\n  Passed:    ${totals.passed}`);
    process.stdout.write(`\n  Skipped:   ${totals.skipped}`);
    process.stdout.write(`\n  Duration:  ${ms.toFixed(2)}ms\n\n`);
    for (const unit of queue) for (const suite of unit) process.stdout.write(`\n${LOAD_FAILURE} ${suite.name}: not run, every test worker had ended\n`);
    if (totals.failed > 0 || totals.loadFailures > 0 || queue.length > 0) process.exitCode = 1;
    if (process.env.TEST_DURATIONS_WRITE === '1') {
      const seconds = knownDurations();
      for (const d of durations) seconds[d.file] = Math.round(d.ms / 100) / 10;
      const exists = (name) => require('fs').existsSync(path.join(__dirname, name));
      const sorted = Object.fromEntries(Object.keys(seconds).filter(exists).sort().map((k) => [k, seconds[k]]));
      require('fs').writeFileSync(DURATIONS_FILE, `${JSON.stringify(sorted, null, 1)}\n`);
    }
  };

  await new Promise((resolveAll) => {
    let running = workerCount;
    for (let i = 0; i < workerCount; i++) {
      // A test that runs this runner on fixtures must not rewrite the durations of the real suite.
      const { TEST_DURATIONS_WRITE: _notInherited, ...env } = process.env;
      const child = fork(__filename, ['--worker'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env });
      workers.push(child);
      let buffered = '';
      child.stdout.on('data', (chunk) => {
        buffered += chunk.toString();
        let at;
        while ((at = buffered.indexOf(FILE_DONE)) >= 0) {
          const end = buffered.indexOf('\n', at);
          if (end < 0) break;
          const result = JSON.parse(buffered.slice(at + FILE_DONE.length, end));
          const block = buffered.slice(0, at);
          buffered = buffered.slice(end + 1);
          if (result.loadError) {
            totals.loadFailures++;
            process.stdout.write(`${result.loadError}\n`);
          } else {
            process.stdout.write(`${printedAny ? '\n' : ''}${block.replace(/\n$/, '')}`);
            printedAny = true;
          }
          totals.total += result.total;
          totals.passed += result.passed;
          totals.skipped += result.skipped;
          if (result.failed) totals.failed++;
          durations.push({ file: result.file, ms: result.ms });
          if (bail && (result.failed || result.loadError)) {
            finish();
            process.exit(1);
          }
        }
      });
      const next = () => {
        const unit = queue.shift();
        if (unit) child.send({ files: unit });
        else child.send({ exit: true });
      };
      child.on('message', (m) => { if (m.ready || m.unitDone) next(); });
      child.on('exit', (code, signal) => {
        if (code !== 0 || signal) {
          totals.loadFailures++;
          process.stdout.write(`\n${LOAD_FAILURE} (a test worker): it ended with ${signal || `exit code ${code}`} while running a file\n`);
        }
        if (--running === 0) resolveAll();
      });
    }
  });
  finish();
}

if (process.argv.includes('--worker')) worker();
else parent().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
