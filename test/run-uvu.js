#!/usr/bin/env node
/**
 * Runs every uvu suite (test/**\/*.test.ts through ts-node) and fails the run
 * unless every test counted actually passed. uvu 0.5 reports a suite whose
 * `before` hook threw as "0 / N" and still exits 0, and counts skips as
 * success; here both fail the run. Ends with the plain "N passed, N failed" line.
 */
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = ['-r', 'ts-node/register', 'test', '\\.test\\.ts$', ...process.argv.slice(2)];
const child = spawn(process.execPath, [path.join(root, 'node_modules', 'uvu', 'bin.js'), ...args], {
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
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  const problems = [];
  if (signal) problems.push(`uvu was killed by ${signal}`);
  if (code !== 0) problems.push(`uvu exited with ${code}`);
  if (!Number.isFinite(total) || total === 0) problems.push('no tests ran');
  if (passed !== total) problems.push(`${total - passed} of ${total} tests did not pass (a failing before-hook shows as "0 / N" above)`);
  if (skipped > 0) problems.push(`${skipped} tests were skipped`);
  const failed = Number.isFinite(total) && Number.isFinite(passed) ? total - passed : 1;
  console.log(`\n${Number.isFinite(passed) ? passed : 0} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  if (problems.length > 0) {
    console.error(`test run failed: ${problems.join('; ')}`);
    process.exit(1);
  }
});
