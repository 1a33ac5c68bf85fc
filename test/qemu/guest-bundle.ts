/**
 * Guest-side scripts are bundled to plain JS at test time: compiling TypeScript with ts-node inside a TCG guest
 * takes minutes, Node running a bundle starts in about 3 s. Native and WASM packages stay external and are found
 * through NODE_PATH (the repository's node_modules, visible in the guest over the read-only 9p root).
 */
import { buildSync } from 'esbuild';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Packages that load files next to their own code (a .node binary, a .wasm module, a native executable): not bundled. */
const EXTERNAL = ['koffi', 'quickjs-emscripten', 'quickjs-emscripten-core', '@jitl/*', 'esbuild', 'playwright-core', 'fsevents'];

/** The phone CLI (sim/cli/main.ts), as a board runs it; bundle it to a file named phone.js (it starts by that name). */
export const PHONE_CLI = path.join(REPO_ROOT, 'sim/cli/main.ts');

/**
 * Bundle `entry` (a .ts file) to `outFile` (CommonJS for Node). `sourceMap`: inline, for stack traces in .ts lines;
 * leave it out of big bundles (the phone CLI: 7 MB with it, 1.8 MB without; the guest reads and compiles every
 * byte at TCG speed, seconds per megabyte).
 */
export function bundleForGuest(entry: string, outFile: string, o: { sourceMap?: boolean } = {}): string {
  buildSync({
    entryPoints: [entry], outfile: outFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: EXTERNAL, logLevel: 'error', sourcemap: o.sourceMap === false ? false : 'inline',
    // In one bundle every module's `module` is the bundle's, so each `require.main === module` script block
    // (build/*.ts) would run; the phone CLI starts by its file name (phone.js) instead.
    define: { 'require.main': 'undefined' },
  });
  return outFile;
}

/** The shell line that runs a bundle in the guest with the repository's node_modules on NODE_PATH. */
export function guestNode(bundle: string, args: string[] = []): string {
  const quoted = [bundle, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return `NODE_PATH='${path.join(REPO_ROOT, 'node_modules')}' ${process.execPath} --enable-source-maps ${quoted}`;
}
