/**
 * Writes docs/reset.md from the data-class declarations as registered at
 * boot (sim/host/in-process-firmware.ts). `--check` exits 1 when the
 * committed file is stale (test/reset/reset-docs.test.ts does the same).
 *
 *   npx ts-node build/generate-reset-docs.ts [--check]
 */
import * as fs from 'fs';
import * as path from 'path';
import { bootInProcess } from '../sim/host/in-process-firmware';
import { renderResetDocs } from '../sim/reset/reset-docs';

export const RESET_DOCS = path.resolve(__dirname, '..', 'docs', 'reset.md');

export function currentResetDocs(): string {
  return renderResetDocs(bootInProcess({ board: 'desk-500' }).booted.kernel.modules.dataClasses());
}

if (require.main === module) {
  const text = currentResetDocs();
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(RESET_DOCS) ? fs.readFileSync(RESET_DOCS, 'utf8') : '';
    if (committed !== text) {
      console.error('docs/reset.md is stale: run npx ts-node build/generate-reset-docs.ts');
      process.exit(1);
    }
  } else {
    fs.writeFileSync(RESET_DOCS, text);
    console.log(`wrote ${path.relative(process.cwd(), RESET_DOCS)}`);
  }
}
