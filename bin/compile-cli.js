/**
 * Compiles the `phone` CLI (sim/cli/main.ts and everything it imports: the
 * simulator, the web server, the scenario runner, the image tools) into one
 * CommonJS file for Node, dist/cli/phone-cli.js, so that a command starts in
 * a fraction of a second instead of paying ts-node's TypeScript compile at
 * every start. Packages in node_modules stay external (native and WASM ones
 * load files next to their own code).
 *
 * Next to the bundle, phone-cli.inputs.json lists the repository files it was
 * made from; bin/phone.js compares their modification times with the bundle's
 * to decide whether the bundle is current (see isCompiledCliCurrent).
 *
 *   node bin/compile-cli.js      (also run by `phone build` and npm's `prepare`)
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const ENTRY = path.join(ROOT, 'sim', 'cli', 'main.ts');
const OUT_DIR = path.join(ROOT, 'dist', 'cli');
const COMPILED_CLI = path.join(OUT_DIR, 'phone-cli.js');
const INPUTS_FILE = path.join(OUT_DIR, 'phone-cli.inputs.json');

/**
 * Packages that load files next to their own code (a .node binary, a .wasm
 * module, a native executable) stay in node_modules; pure-JS packages are
 * bundled: resolving and reading hundreds of small files is most of a cold start.
 */
const EXTERNAL_PACKAGES = ['koffi', 'quickjs-emscripten', 'quickjs-emscripten-core', '@jitl/*', 'esbuild', 'playwright-core', 'fsevents', 'ts-node', 'typescript'];

/**
 * Repository modules find files relative to their own folder (`__dirname`):
 * the built-in provisioning folder, the browser UI's public/, dist/firmware.js.
 * In one bundle every module's `__dirname` would be dist/cli, so each use is
 * rewritten to the module's original folder, computed from the bundle's own
 * place (the repository can move after the build).
 */
const keepModuleFolders = {
  name: 'keep-module-folders',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const dir = JSON.stringify(path.relative(ROOT, path.dirname(args.path)).split(path.sep).join('/'));
      const file = JSON.stringify(path.relative(ROOT, args.path).split(path.sep).join('/'));
      const contents = source.replace(/\b__dirname\b/g, `__repoPath(${dir})`).replace(/\b__filename\b/g, `__repoPath(${file})`);
      return { contents, loader: /\.ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

// The bundle's own folder, spelled so that keepModuleFolders does not rewrite it when this file is itself bundled (`phone build`).
const BUNDLE_DIR = '__' + 'dirname';

/** Builds the compiled CLI; the files are written under temporary names and renamed, so a concurrent start never reads half a bundle. */
async function compileCli() {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    outfile: COMPILED_CLI,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL_PACKAGES,
    sourcemap: 'linked',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // `require.main === module` guards script blocks (build/*.ts); in one bundle they must not run.
    define: { 'require.main': 'undefined' },
    banner: { js: `const __repoPath = (rel) => require('path').join(${BUNDLE_DIR}, '..', '..', rel);` },
    plugins: [keepModuleFolders],
  });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  // Repository files only: packages change with `npm install`, which runs `prepare` (a rebuild).
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules/')).sort();
  const suffix = `.${process.pid}.tmp`;
  const writes = result.outputFiles.map((f) => [f.path, f.contents]);
  writes.push([INPUTS_FILE, Buffer.from(JSON.stringify(inputs, null, 1) + '\n')]);
  // The bundle last: its time stamp marks the inputs it saw.
  writes.sort(([a], [b]) => (a === COMPILED_CLI) - (b === COMPILED_CLI));
  for (const [file, contents] of writes) {
    fs.writeFileSync(file + suffix, contents);
    fs.renameSync(file + suffix, file);
  }
  return { file: COMPILED_CLI, inputs: inputs.length, bytes: fs.statSync(COMPILED_CLI).size };
}

/**
 * True when the compiled CLI exists and no file it was made from changed since
 * (a file edited, added to an import, or deleted). Costs one stat per input
 * (~300 files, a few ms).
 */
function isCompiledCliCurrent() {
  let builtAt;
  let inputs;
  try {
    builtAt = fs.statSync(COMPILED_CLI).mtimeMs;
    inputs = JSON.parse(fs.readFileSync(INPUTS_FILE, 'utf8'));
  } catch {
    return false;
  }
  for (const input of inputs) {
    try {
      if (fs.statSync(path.join(ROOT, input)).mtimeMs > builtAt) return false;
    } catch {
      return false;
    }
  }
  return true;
}

module.exports = { COMPILED_CLI, compileCli, isCompiledCliCurrent };

if (require.main === module) {
  compileCli().then(
    (r) => console.log(`${path.relative(process.cwd(), r.file)}: ${(r.bytes / 1024).toFixed(0)} KiB from ${r.inputs} files`),
    (e) => {
      console.error(`compile-cli: ${e.message}`);
      process.exit(1);
    },
  );
}
