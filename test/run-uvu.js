#!/usr/bin/env node
/**
 * Runs every uvu suite (test/**\/*.test.ts through ts-node) and fails the run
 * unless every test counted actually passed. uvu 0.5 reports a suite whose
 * `before` hook threw as "0 / N" and still exits 0, and counts skips as
 * success; here both fail the run. A file that throws while loading is named
 * ("could not load FILE: ERROR", by test/run-uvu-suites.js) and the other
 * files still run. Ends with the plain "N passed, N failed" line.
 *
 *   node test/run-uvu.js [DIR [PATTERN]] [--bail]     (default: test '\.test\.ts$')
 */
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const child = spawn(process.execPath, [path.join(__dirname, 'run-uvu-suites.js'), ...process.argv.slice(2)], {
  cwd: root,
  env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});

let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk.toString();
});
child.on('close', (code, signal) => {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const count = (label) => Number((plain.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm')) || [])[1] ?? NaN);
  const loadFailures = plain.match(/^could not load .*$/gm) || [];
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  const counted = Number.isFinite(total) && Number.isFinite(passed);
  const problems = [...loadFailures];
  if (signal) problems.push(`uvu was killed by ${signal}`);
  if (!counted) problems.push('uvu printed no summary');
  else if (total === 0 && loadFailures.length === 0) problems.push('no tests ran');
  if (counted && passed !== total) problems.push(`${total - passed} of ${total} tests did not pass (a failing before-hook shows as "0 / N" above)`);
  if (skipped > 0) problems.push(`${skipped} tests were skipped`);
  if (code !== 0 && !signal && problems.length === 0) problems.push(`uvu exited with ${code}`);
  const failed = (counted ? total - passed : 0) + loadFailures.length + (counted || loadFailures.length > 0 ? 0 : 1);
  const notLoaded = loadFailures.length > 0 ? `, ${loadFailures.length} file${loadFailures.length > 1 ? 's' : ''} could not load` : '';
  console.log(`\n${counted ? passed : 0} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}${notLoaded}`);
  if (problems.length > 0) {
    console.error(`test run failed:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
});
