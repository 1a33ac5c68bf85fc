/**
 * `phone reset-matrix`: the reset/erasure matrix QA hands to an auditor
 * (sim/reset/reset-matrix.ts). Exits 1 on any mismatch.
 */
import { Command } from 'commander';
import * as fs from 'fs';
import { isBoardId } from '../../../hal/boards';
import { renderMatrix, runResetMatrix, writeMatrixJUnit } from '../../reset/reset-matrix';

export function resetMatrixCommand(): Command {
  return new Command('reset-matrix')
    .description('seed canaries in every data class and secret, run each reset variant on a fresh copy, scan the raw flash (and what the remaining keys can read) for every canary; print the matrix; exit 1 on any mismatch with docs/reset.md')
    .option('--board <id>', 'board profile', 'desk-500')
    .option('--engine <engine>', 'quickjs or node', 'quickjs')
    .option('--variant <ids...>', 'only these variants (ids as in docs/reset.md order, e.g. resetToFactory)')
    .option('--junit <file>', 'write JUnit XML (one test case per variant and canary)')
    .option('--json <file>', 'write the full result as JSON')
    .option('--repeat <n>', 'boots per variant for the timing (the fastest counts)', '1')
    .option('--no-timing', 'skip the second boot per variant that measures the time the reset took')
    .action(async (o: { board: string; engine: string; variant?: string[]; junit?: string; json?: string; timing: boolean; repeat: string }) => {
      if (!isBoardId(o.board)) throw new Error(`unknown board "${o.board}"`);
      if (o.engine !== 'quickjs' && o.engine !== 'node') throw new Error(`--engine is quickjs or node, not "${o.engine}"`);
      const result = await runResetMatrix({ board: o.board, engine: o.engine, timing: o.timing, repeat: Math.max(1, Number(o.repeat) || 1), ...(o.variant ? { variants: o.variant } : {}) });
      console.log(renderMatrix(result));
      if (o.junit) writeMatrixJUnit(result, o.junit);
      if (o.json) fs.writeFileSync(o.json, JSON.stringify(result, null, 2));
      if (result.mismatches > 0) process.exitCode = 1;
    });
}
