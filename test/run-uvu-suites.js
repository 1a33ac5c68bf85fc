#!/usr/bin/env node
/**
 * What `uvu -r ts-node/register DIR PATTERN` does, except that a suite file
 * that throws while loading is reported by name and the other files still
 * run. (uvu's own runner stops at the first such file with a bare stack and no
 * summary.) Spawned by test/run-uvu.js, which parses the lines printed here:
 * one "could not load FILE: ERROR" per file on stdout, then uvu's summary.
 *
 *   node test/run-uvu-suites.js DIR PATTERN [--bail]
 */
const path = require('path');

const LOAD_FAILURE = 'could not load';

/** The error's message and the first stack frame outside Node and node_modules: where the load failed. */
function describeLoadError(err) {
  if (!(err instanceof Error)) return String(err);
  const frame = (err.stack || '').split('\n').map((l) => l.trim())
    .find((l) => l.startsWith('at ') && !l.includes('node_modules') && !l.includes('node:'));
  const message = err.message.split('\n').filter((l) => l.trim() !== '').join(' | ');
  return frame ? `${message} (${frame})` : message;
}

async function main() {
  const args = process.argv.slice(2);
  const bail = args.includes('--bail') || args.includes('-b');
  const [dir = 'test', pattern = '\\.test\\.ts$'] = args.filter((a) => !a.startsWith('-'));
  const { parse } = require('uvu/parse');
  const ctx = await parse(dir, pattern, { require: ['ts-node/register'] });
  if (ctx.suites.length === 0) {
    console.log(`no test files match ${pattern} under ${dir}`);
    process.exitCode = 1;
    return;
  }

  // As uvu/run: colours on (uvu's CLI default), each file's suites go into the queue slot of that file.
  if (!('FORCE_COLOR' in process.env)) process.env.FORCE_COLOR = '1';
  globalThis.UVU_DEFER = 1;
  const uvu = require('uvu');
  let failedToLoad = 0;
  ctx.suites.forEach((suite, idx) => {
    globalThis.UVU_QUEUE.push([suite.name]);
    globalThis.UVU_INDEX = idx;
    try {
      require(suite.file);
    } catch (err) {
      failedToLoad++;
      globalThis.UVU_QUEUE[idx] = [null]; // nothing of it runs: no empty header either
      const relative = path.relative(process.cwd(), suite.file);
      const name = relative.startsWith('..') ? suite.file : relative;
      console.log(`${LOAD_FAILURE} ${name}: ${describeLoadError(err)}`);
      if (bail) process.exit(1);
    }
  });

  await uvu.exec(bail);
  if (failedToLoad > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
