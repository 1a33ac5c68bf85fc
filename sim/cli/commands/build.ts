/**
 * `phone build`: bundle firmware/ into dist/firmware.js with a source map and a
 * size report, and compile the CLI itself (dist/cli/phone-cli.js, see bin/compile-cli.js).
 */
import { Command } from 'commander';
import * as path from 'path';
import { DEFAULT_OUT, buildFirmware, formatReport } from '../../../build/bundle';

// Plain JS (bin/phone.js uses it before any TypeScript can run).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const compiledCli = require('../../../bin/compile-cli') as { compileCli(): Promise<{ file: string; bytes: number; inputs: number }> };

export function buildCommand(): Command {
  return new Command('build')
    .description('bundle the firmware into one ES2020 file (fails if the firmware needs a Node built-in)')
    .option('-o, --out <file>', 'output file', DEFAULT_OUT)
    .option('--top <n>', 'inputs listed in the size report', '12')
    .action(async (opts: { out: string; top: string }) => {
      const report = await buildFirmware(path.resolve(opts.out)).catch((e) => {
        const errors = 'errors' in e ? e.errors.map((m: any) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`) : [e.message];
        throw new Error(`build failed:\n  ${errors.join('\n  ')}`);
      });
      console.log(formatReport(report, Number(opts.top)));
      const cli = await compiledCli.compileCli();
      console.log(`${path.relative(process.cwd(), cli.file)}: ${(cli.bytes / 1024).toFixed(1)} KiB (the phone CLI, from ${cli.inputs} files)`);
    });
}
