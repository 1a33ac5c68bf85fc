/**
 * Where the full-data phone comes from: bench/full-data.ts (issue 17 point 1:
 * `buildFullDataPhone()`, 500 local + 10,000 global contacts, 300 calls,
 * 150 KiB configuration) when it exists, else the fallback here, which holds
 * what the image accepted before it (the figure then says so in its note).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A saved flash image (with its `.keys.json` side file when there is one) of a provisioned phone, powered off. */
export interface FullDataImage {
  flashImage: string;
  /** A provisioning folder serving the same data: a blank phone provisioned from it downloads and merges it. */
  provisioningDir?: string;
  /** What is on it, for the printed table. */
  describe: string;
  dispose(): void;
}

/** The shape of bench/full-data.ts (another branch of issue 17), as far as this bench uses it. */
interface SharedFullData {
  /** Writes the image to `file` (its keys beside it, `.keys.json`). */
  buildFullDataPhone?: (file: string) => Promise<{ file: string; contacts: number; localContacts: number; callListEntries: number; configBytes: number }>;
  directoryFileXml?: (n: number, from: number, tag: string) => string;
  configFile?: (bytes: number) => string;
}

async function fromShared(m: SharedFullData, board: string): Promise<FullDataImage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'full-data-'));
  const flashImage = path.join(dir, 'flash.img');
  const built = await m.buildFullDataPhone!(flashImage);
  const globalEntries = built.contacts - built.localContacts;
  let provisioningDir: string | undefined;
  if (m.directoryFileXml && m.configFile) {
    const { writeDataFolder } = await import('./full-data-fallback');
    provisioningDir = path.join(dir, 'prov');
    writeDataFolder(provisioningDir, board, globalEntries, m.configFile(built.configBytes), m.directoryFileXml);
  }
  return {
    flashImage,
    provisioningDir,
    describe: `${built.localContacts} local + ${globalEntries} global contacts, ${built.callListEntries} call-list entries kept, ${Math.round(built.configBytes / 1024)} KiB config (bench/full-data.ts)`,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function fullDataImage(board = 'desk-500'): Promise<FullDataImage> {
  const shared = path.join(__dirname, '..', 'full-data.ts');
  if (fs.existsSync(shared)) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const m = require(shared) as SharedFullData;
    if (typeof m.buildFullDataPhone === 'function') return fromShared(m, board);
  }
  const { buildFallbackImage } = await import('./full-data-fallback');
  return buildFallbackImage(board);
}
