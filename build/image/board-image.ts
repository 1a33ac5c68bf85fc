/**
 * `phone image`: what a hardware team flashes onto a dev board and what
 * admins serve to phones (docs/update.md):
 *
 * - `<out>`: the application filesystem as a squashfs image — the firmware
 *   bundle, the Linux host (`phone run` compiled to one Node file by esbuild,
 *   with koffi and the QuickJS WebAssembly package beside it), the board file,
 *   the systemd unit, and `opt/phone/MANIFEST.json` (version, board, SHA-256 of
 *   every file) with its signature `MANIFEST.sig` by the update key;
 * - `<out>.upd`: the signed update file phones fetch from `APP_FILE_PATH`;
 * - `<out>.raucb`: a RAUC bundle of the squashfs for A/B boards (`rauc install`).
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../bundle';
import { resourcePackPath } from '../../sim/host/resource-pack';
import { keyId, sign, type SigningKey } from './signing-key';
import { makeUpdateFile } from './update-file-writer';
import type { RaucCertificate } from './rauc-certificate';

export const MANIFEST_PATH = 'opt/phone/MANIFEST.json';
export const MANIFEST_SIGNATURE_PATH = 'opt/phone/MANIFEST.sig';
/** Linux CPU architectures koffi ships for that boards use (node's process.arch → koffi's build dir). */
const KOFFI_ARCH: Record<string, string> = { x64: 'linux_x64', arm64: 'linux_arm64', arm: 'linux_armhf' };
const QUICKJS_PACKAGES = ['@jitl/quickjs-wasmfile-release-sync', '@jitl/quickjs-ffi-types'];

export interface ImageManifest {
  format: 1;
  version: string;
  board: string;
  /** RAUC's `compatible` and what `phone flash` compares: `deskphone-<board>`. */
  compatible: string;
  keyId: string;
  built: string;
  /** SHA-256 (hex) of every file of the image, by path. */
  files: Record<string, string>;
}

export interface BoardImageInput {
  board: string;
  version: string;
  /** dist/firmware.js (its resource pack dist/firmware.res goes along when present) */
  bundle: string;
  /** The board file installed as /etc/phone/board.json. */
  boardFile: string;
  key: SigningKey;
  /** RAUC signing certificate and key; no RAUC bundle without. */
  rauc?: RaucCertificate;
  out: string;
  /** CPU architectures whose koffi binary goes into the image (default: x64, arm64, arm). */
  arches?: string[];
}

export interface BoardImageResult {
  image: string;
  imageBytes: number;
  updateFile: string;
  updateFileBytes: number;
  raucBundle: string | null;
  raucBundleBytes: number;
  manifest: ImageManifest;
}

export function compatibleOf(board: string): string {
  return `deskphone-${board}`;
}

export async function buildBoardImage(input: BoardImageInput): Promise<BoardImageResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-image-'));
  try {
    const tree = path.join(work, 'root');
    await stageTree(tree, input);
    const manifest = writeManifest(tree, input);
    fs.rmSync(input.out, { force: true });
    execFileSync('mksquashfs', [tree, input.out, '-noappend', '-all-root', '-comp', 'xz', '-no-progress', '-quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });

    const updateFile = `${input.out}.upd`;
    const pack = resourcePackPath(input.bundle);
    const resources = fs.existsSync(pack) ? fs.readFileSync(pack) : undefined;
    const upd = makeUpdateFile({ bundle: fs.readFileSync(input.bundle), resources, version: input.version, board: input.board, key: input.key });
    fs.writeFileSync(updateFile, upd.bytes);

    let raucBundle: string | null = null;
    if (input.rauc) {
      raucBundle = `${input.out}.raucb`;
      makeRaucBundle(work, input.out, raucBundle, input.rauc, manifest);
    }
    return {
      image: input.out, imageBytes: fs.statSync(input.out).size,
      updateFile, updateFileBytes: upd.bytes.length,
      raucBundle, raucBundleBytes: raucBundle ? fs.statSync(raucBundle).size : 0,
      manifest,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function stageTree(tree: string, input: BoardImageInput): Promise<void> {
  const opt = path.join(tree, 'opt', 'phone');
  const put = (rel: string, from: string) => {
    const to = path.join(tree, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  };
  put('opt/phone/dist/firmware.js', input.bundle);
  if (fs.existsSync(input.bundle + '.map')) put('opt/phone/dist/firmware.js.map', input.bundle + '.map');
  // The image's resources (font glyphs): the board's host serves them to the firmware from here.
  if (fs.existsSync(resourcePackPath(input.bundle))) put('opt/phone/dist/firmware.res', resourcePackPath(input.bundle));
  put('etc/phone/board.json', input.boardFile);
  put('etc/systemd/system/phone.service', path.join(ROOT, 'systemd', 'phone.service'));
  put('opt/phone/rauc-boot-backend', path.join(ROOT, 'systemd', 'rauc-boot-backend'));
  fs.chmodSync(path.join(opt, 'rauc-boot-backend'), 0o755);
  fs.mkdirSync(path.join(tree, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
  fs.symlinkSync('../phone.service', path.join(tree, 'etc/systemd/system/multi-user.target.wants/phone.service'));
  for (const f of fs.readdirSync(path.join(ROOT, 'boards'))) put(`opt/phone/boards/${f}`, path.join(ROOT, 'boards', f));
  fs.writeFileSync(path.join(opt, 'update-key.der'), input.key.publicKeyDer);
  // The Linux host: `phone run` and what it imports, one file.
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'build', 'image', 'board-cli-entry.ts')],
    bundle: true, platform: 'node', target: 'node20', outfile: path.join(opt, 'bin', 'phone.js'),
    external: ['koffi', '@jitl/*'], minifyWhitespace: true, logLevel: 'silent', plugins: [onlyReleaseSyncQuickJs],
    banner: { js: '#!/usr/bin/env node' },
  });
  // The QuickJS build with bytecode functions the host runs phones in (sim/host/quickjs-bytecode-module.ts finds it beside bin/).
  for (const f of ['emscripten-module.wasm', 'LICENSE-quickjs', 'LICENSE-quickjs-emscripten']) put(`opt/phone/vendor/quickjs-bytecode/${f}`, path.join(ROOT, 'vendor', 'quickjs-bytecode', f));
  const modules = path.join(ROOT, 'node_modules');
  for (const pkg of QUICKJS_PACKAGES) copyDir(path.join(modules, pkg), path.join(opt, 'node_modules', pkg), () => true);
  const arches = (input.arches ?? Object.keys(KOFFI_ARCH)).map((a) => {
    if (!KOFFI_ARCH[a]) throw new Error(`no koffi build for architecture ${a} (known: ${Object.keys(KOFFI_ARCH).join(', ')})`);
    return KOFFI_ARCH[a];
  });
  copyDir(path.join(modules, 'koffi'), path.join(opt, 'node_modules', 'koffi'), (rel) =>
    ['package.json', 'index.js', 'indirect.js', 'LICENSE.txt'].includes(rel) || rel.startsWith('lib' + path.sep) ||
    arches.some((a) => rel.startsWith(path.join('build', 'koffi', a) + path.sep)));
}

/**
 * quickjs-emscripten's index requires all four WebAssembly variants; the board runs the
 * release-sync one (getQuickJS), so the others resolve to an empty module instead of 6 MiB.
 */
const onlyReleaseSyncQuickJs: esbuild.Plugin = {
  name: 'only-release-sync-quickjs',
  setup(build) {
    build.onResolve({ filter: /^@jitl\/quickjs-wasmfile-(debug-sync|debug-asyncify|release-asyncify)$/ }, (args) => ({ path: args.path, namespace: 'unused-quickjs-variant' }));
    build.onLoad({ filter: /.*/, namespace: 'unused-quickjs-variant' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

function writeManifest(tree: string, input: BoardImageInput): ImageManifest {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) files[path.relative(tree, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(tree);
  const manifest: ImageManifest = {
    format: 1, version: input.version, board: input.board, compatible: compatibleOf(input.board),
    keyId: keyId(input.key.publicKeyDer), built: new Date().toISOString(), files,
  };
  const text = JSON.stringify(manifest, null, 1) + '\n';
  fs.writeFileSync(path.join(tree, MANIFEST_PATH), text);
  fs.writeFileSync(path.join(tree, MANIFEST_SIGNATURE_PATH), sign(input.key, Buffer.from(text)));
  return manifest;
}

/** RAUC bundle: the squashfs as the `appfs` slot image, verity format, signed with the RAUC certificate. */
function makeRaucBundle(work: string, image: string, out: string, cert: RaucCertificate, manifest: ImageManifest): void {
  const dir = path.join(work, 'rauc');
  fs.mkdirSync(dir);
  fs.copyFileSync(image, path.join(dir, 'appfs.img'));
  fs.writeFileSync(path.join(dir, 'manifest.raucm'), [
    '[update]', `compatible=${manifest.compatible}`, `version=${manifest.version}`, `description=Desk phone firmware ${manifest.version} for ${manifest.board}`, '',
    '[bundle]', 'format=verity', '',
    '[image.appfs]', 'filename=appfs.img', '',
  ].join('\n'));
  fs.rmSync(out, { force: true });
  execFileSync('rauc', ['bundle', `--cert=${cert.certPem}`, `--key=${cert.keyPem}`, dir, out], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Copy the files under `from` whose relative path `keep` accepts. */
function copyDir(from: string, to: string, keep: (rel: string) => boolean): void {
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && keep(r)) {
        fs.mkdirSync(path.dirname(path.join(to, r)), { recursive: true });
        fs.copyFileSync(path.join(from, r), path.join(to, r));
      }
    }
  };
  walk('');
}
