#!/usr/bin/env node
/**
 * The `phone` CLI. Runs the compiled CLI (dist/cli/phone-cli.js, made by
 * bin/compile-cli.js) so a command starts in a fraction of a second.
 *
 * When a source it was made from is newer (a developer edited sim/ or hal/),
 * the compiled CLI is rebuilt first (esbuild, under a second) rather than run
 * stale: a command always runs the code in the tree. Only when it cannot be
 * compiled (a syntax error, dist/ not writable, esbuild missing) does the CLI
 * run from source through ts-node, which then reports the real error.
 * PHONE_CLI_FROM_SOURCE=1 forces the ts-node path (debugging the CLI itself).
 * Type-checking is done by `npm test`, never at start.
 */
'use strict';
const path = require('path');

// The CLI runs because this file calls runCli, not because of the name it was started by:
// through npm's bin symlink (node_modules/.bin/phone, `npx phone`) argv[1] does not end in phone.js.
globalThis.__phoneCliLauncher = true;

function runFromSource() {
  require('ts-node').register({ project: path.join(__dirname, '..', 'tsconfig.json'), transpileOnly: true });
  return require('../sim/cli/main.ts');
}

async function compiledCli() {
  if (process.env.PHONE_CLI_FROM_SOURCE === '1') return undefined;
  const { COMPILED_CLI, compileCli, isCompiledCliCurrent } = require('./compile-cli');
  if (isCompiledCliCurrent()) return COMPILED_CLI;
  try {
    await compileCli();
    return COMPILED_CLI;
  } catch (e) {
    process.stderr.write(`phone: cannot compile the CLI (${String(e.message).split('\n')[0]}); running it from source with ts-node\n`);
    return undefined;
  }
}

compiledCli().then((compiled) => (compiled ? require(compiled) : runFromSource()).runCli(process.argv));
