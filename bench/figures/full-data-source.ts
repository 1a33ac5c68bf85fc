/**
 * Where the full-data phone comes from: bench/full-data.ts (issue 17 point 1)
 * when it exports `buildFullDataImage`, else the fallback here, which holds
 * what the image accepts today (the figure then says so in its note).
 */
import * as fs from 'fs';
import * as path from 'path';

/** A saved flash image (with its `.keys.json` side file) of a provisioned phone, powered off. */
export interface FullDataImage {
  flashImage: string;
  /** The provisioning folder it was filled from, when there is one: a blank phone provisioned from it downloads and merges the same data. */
  provisioningDir?: string;
  /** What is on it, for the printed table. */
  describe: string;
  dispose(): void;
}

export async function fullDataImage(board = 'desk-500'): Promise<FullDataImage> {
  const shared = path.join(__dirname, '..', 'full-data.ts');
  if (fs.existsSync(shared)) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const m = require(shared) as { buildFullDataImage?: (board: string) => Promise<FullDataImage> };
    if (typeof m.buildFullDataImage === 'function') return m.buildFullDataImage(board);
  }
  const { buildFallbackImage } = await import('./full-data-fallback');
  return buildFallbackImage(board);
}
