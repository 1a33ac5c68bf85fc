/**
 * Bundles `firmware/` into one file that runs both inside QuickJS and under
 * Node: ES2020, IIFE, no imports, no Node built-ins (a build that pulls one
 * in fails), with a source map and a size report; writes the image's
 * read-only resources (the font's glyphs) beside it as its resource pack.
 */
import * as esbuild from 'esbuild';
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import { imageBanner } from './image-banner';
import { imageResources } from './unifont-blob';
import { packResources, resourcePackPath } from '../sim/host/resource-pack';

export const GLOBAL_NAME = 'PhoneFirmware';
export const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_OUT = path.join(ROOT, 'dist', 'firmware.js');
export const DEFAULT_ENTRY = path.join(ROOT, 'build', 'entry.ts');

export interface BuildReport {
  outFile: string;
  mapFile: string;
  bytes: number;
  gzipBytes: number;
  /** Bytes of output contributed by each input, largest first. */
  inputs: { path: string; bytes: number }[];
  /** The resource pack beside the bundle (sim/host/resource-pack.ts), or null when built without. */
  resourceFile: string | null;
  resourceBytes: number;
  resourceGzipBytes: number;
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Rejects any import of a Node built-in with a message naming the importer. */
const forbidNodeBuiltins: esbuild.Plugin = {
  name: 'forbid-node-builtins',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (nodeBuiltins.has(args.path) || args.path.startsWith('node:')) {
        return { errors: [{ text: `firmware must not use the Node built-in "${args.path}" (imported by ${path.relative(ROOT, args.importer)}); reach hardware through hal/contract.ts` }] };
      }
      return undefined;
    });
  },
};

/** The version images are built with: package.json's. */
export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

/**
 * `entry` exists for test images (e.g. deliberately faulty firmware), `version` for update
 * tests that need a newer image than the one running, `withResources: false` for an image
 * without its resource pack (the font benchmark); the product image uses the defaults.
 */
export async function buildFirmware(outFile = DEFAULT_OUT, entry = DEFAULT_ENTRY, version = packageVersion(), withResources = true): Promise<BuildReport> {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName: GLOBAL_NAME,
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    outfile: outFile,
    sourcemap: 'linked',
    // Whitespace and syntax minification halve QuickJS parse time and cut ~100 KiB of retained
    // function source per runtime (QuickJS keeps each function's text). Identifiers stay, so
    // guest stacks keep readable function names; the source map restores lines and columns.
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: true,
    keepNames: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    define: { __FIRMWARE_VERSION__: JSON.stringify(version) },
    // Names the build for tools that only have the file (the simulator shows which build runs).
    banner: { js: imageBanner(version) },
    plugins: [forbidNodeBuiltins],
  });
  const out = Object.values(result.metafile.outputs).find((o) => o.entryPoint)!;
  const inputs = Object.entries(out.inputs)
    .map(([p, v]) => ({ path: p, bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  const code = fs.readFileSync(outFile);
  const { gzipSync } = await import('zlib');
  const resourceFile = resourcePackPath(outFile);
  fs.rmSync(resourceFile, { force: true });
  const pack = withResources ? packResources(imageResources()) : null;
  if (pack) fs.writeFileSync(resourceFile, pack);
  return {
    outFile, mapFile: outFile + '.map', bytes: code.length, gzipBytes: gzipSync(code).length, inputs,
    resourceFile: pack ? resourceFile : null, resourceBytes: pack?.length ?? 0, resourceGzipBytes: pack ? gzipSync(pack).length : 0,
  };
}

export function formatReport(r: BuildReport, top = 12): string {
  const kb = (n: number) => (n / 1024).toFixed(1) + ' KiB';
  const lines = [`${path.relative(process.cwd(), r.outFile)}: ${kb(r.bytes)} (${kb(r.gzipBytes)} gzipped), map ${path.relative(process.cwd(), r.mapFile)}`];
  if (r.resourceFile) lines.push(`${path.relative(process.cwd(), r.resourceFile)}: ${kb(r.resourceBytes)} (${kb(r.resourceGzipBytes)} gzipped), the image's resources (font glyphs)`);
  for (const i of r.inputs.slice(0, top)) lines.push(`  ${kb(i.bytes).padStart(10)}  ${i.path}`);
  if (r.inputs.length > top) lines.push(`  … ${r.inputs.length - top} more inputs`);
  return lines.join('\n');
}

if (require.main === module) {
  buildFirmware(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_OUT).then(
    (r) => console.log(formatReport(r)),
    (e: esbuild.BuildFailure | Error) => {
      const errors = 'errors' in e ? e.errors.map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`) : [e.message];
      console.error('build failed:\n  ' + errors.join('\n  '));
      process.exit(1);
    },
  );
}
