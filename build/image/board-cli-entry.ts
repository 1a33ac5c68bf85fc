/**
 * Entry of the board host bundle in images (`phone image`): the `phone run`
 * command alone, compiled with esbuild into one Node file, so a board needs
 * neither TypeScript nor the development tree. Only koffi (native) and the
 * QuickJS WebAssembly variant stay packages beside it.
 */
import { Command } from 'commander';
import { runCommand } from '../../sim/cli/commands/run';

const program = new Command('phone').description('Desk phone firmware on a Linux board');
program.addCommand(runCommand());
program.parseAsync(process.argv).catch((e: Error) => {
  console.error(`phone: ${e.message}`);
  process.exit(1);
});
