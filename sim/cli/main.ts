/**
 * `phone`: one CLI for the simulator and the image tools. Each command lives
 * in sim/cli/commands/ and brings its own `--help`.
 */
import { Command } from 'commander';
import { buildCommand } from './commands/build';
import { configCommand } from './commands/config';
import { cryptCommand } from './commands/crypt';
import { dataCommand } from './commands/data';
import { flashCommand } from './commands/flash';
import { imageCommand, keygenCommand } from './commands/image';
import { inspectCommand } from './commands/inspect';
import { logsCommand } from './commands/logs';
import { resetMatrixCommand } from './commands/reset-matrix';
import { fleetCommand } from './commands/fleet';
import { runCommand } from './commands/run';
import { scenarioCommand } from './commands/scenario';
import { simCommand } from './commands/sim';

export function createCli(): Command {
  const program = new Command('phone')
    .description('Desk phone firmware: build the image, run simulated phones or the image on a Linux board, run QA scenarios, inspect flash dumps')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  program.addCommand(buildCommand());
  program.addCommand(configCommand());
  program.addCommand(cryptCommand());
  program.addCommand(dataCommand());
  program.addCommand(flashCommand());
  program.addCommand(imageCommand());
  program.addCommand(keygenCommand());
  program.addCommand(inspectCommand());
  program.addCommand(logsCommand());
  program.addCommand(resetMatrixCommand());
  program.addCommand(runCommand());
  program.addCommand(scenarioCommand());
  program.addCommand(fleetCommand());
  program.addCommand(simCommand());
  return program;
}

/** Run the CLI on `argv` (process.argv form). bin/phone.js calls it; the file name it was started by does not matter (npm's bin symlink is `phone`). */
export function runCli(argv: string[] = process.argv): void {
  createCli().parseAsync(argv).catch((e: Error) => {
    console.error(`phone: ${e.message}`);
    process.exit(1);
  });
}

// Started directly (ts-node sim/cli/main.ts), or bundled alone as a board's phone.js (test/qemu/guest-bundle.ts);
// bin/phone.js marks itself and calls runCli, so that path never runs twice.
const startedByLauncher = (globalThis as { __phoneCliLauncher?: boolean }).__phoneCliLauncher === true;
if (!startedByLauncher && (require.main === module || process.argv[1]?.endsWith('phone.js'))) runCli();
