/**
 * The `phone` CLI starts from compiled JavaScript (dist/cli/phone-cli.js) and
 * never loads ts-node for its own code. Start-up time itself is measured in
 * bench/ and reported, not asserted here (2 shared cores make timings noisy).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const compiled = require('../../bin/compile-cli') as {
  COMPILED_CLI: string;
  compileCli(): Promise<{ file: string; inputs: number }>;
  isCompiledCliCurrent(): boolean;
};

/** A preload that reports, at exit, which of the CLI's runtimes the process loaded. */
function preloadReportingModules(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phone-cli-')), 'report-modules.js');
  fs.writeFileSync(
    file,
    `process.on('exit', () => {
       const loaded = Object.keys(require.cache);
       process.stderr.write('\\nMODULES ' + JSON.stringify({
         tsNode: loaded.some((f) => f.includes('/node_modules/ts-node/')),
         typescript: loaded.some((f) => f.includes('/node_modules/typescript/')),
         compiled: loaded.includes(${JSON.stringify(compiled.COMPILED_CLI)}),
       }) + '\\n');
     });`,
  );
  return file;
}

function runPhone(preload: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['-r', preload, path.join(ROOT, 'bin/phone.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: undefined },
  });
  const report = r.stderr.match(/^MODULES (.*)$/m);
  assert.ok(report, `no module report from phone ${args.join(' ')}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, modules: JSON.parse(report[1]) as { tsNode: boolean; typescript: boolean; compiled: boolean } };
}

test.before(async () => {
  await compiled.compileCli();
});

test('the compile lists the sources the bundle was made from, and the bundle is then current', () => {
  const inputs: string[] = JSON.parse(fs.readFileSync(compiled.COMPILED_CLI.replace(/\.js$/, '.inputs.json'), 'utf8'));
  assert.ok(inputs.includes('sim/cli/main.ts'), inputs.slice(0, 5).join(', '));
  assert.ok(inputs.includes('sim/phone.ts'));
  assert.not.ok(inputs.some((i) => i.includes('node_modules')), 'packages are not inputs');
  assert.ok(compiled.isCompiledCliCurrent());
});

test('phone --help and other commands run from the compiled CLI without ts-node or TypeScript', () => {
  const preload = preloadReportingModules();
  for (const args of [['--help'], ['scenario', 'steps'], ['config', 'params'], ['sim', '--help']]) {
    const r = runPhone(preload, args);
    assert.is(r.status, 0, `phone ${args.join(' ')}`);
    assert.ok(r.stdout.length > 0, `phone ${args.join(' ')} printed nothing`);
    assert.equal(r.modules, { tsNode: false, typescript: false, compiled: true }, `phone ${args.join(' ')}`);
  }
});

test('PHONE_CLI_FROM_SOURCE=1 runs the CLI from source through ts-node (debugging the CLI itself)', () => {
  const r = runPhone(preloadReportingModules(), ['--help'], { PHONE_CLI_FROM_SOURCE: '1' });
  assert.is(r.status, 0);
  assert.equal(r.modules, { tsNode: true, typescript: true, compiled: false });
});

test.run();
