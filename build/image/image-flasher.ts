/**
 * `phone flash`: what an image is (board image or RAUC bundle, and for which
 * board), and writing a board image onto a board's storage with progress and
 * a read-back check. Installing a RAUC bundle on a running board goes over
 * ssh (`rauc install`).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import { MANIFEST_PATH, compatibleOf, type ImageManifest } from './board-image';

export type ImageKind = { kind: 'board-image'; manifest: ImageManifest } | { kind: 'rauc-bundle'; compatible: string; version: string };

/** Read what `file` is; throws a clear Error for anything else. */
export function identifyImage(file: string): ImageKind {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') !== 'hsqs') throw new Error(`${file} is not a board image or RAUC bundle (no squashfs header)`);
  const manifest = spawnSync('unsquashfs', ['-cat', file, MANIFEST_PATH], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (manifest.status === 0 && manifest.stdout.trim().startsWith('{')) return { kind: 'board-image', manifest: JSON.parse(manifest.stdout) as ImageManifest };
  const info = spawnSync('rauc', ['info', '--no-verify', '--output-format=json', file], { encoding: 'utf8' });
  if (info.status === 0) {
    const j = JSON.parse(info.stdout) as { compatible?: string; version?: string };
    return { kind: 'rauc-bundle', compatible: j.compatible ?? '', version: j.version ?? '' };
  }
  throw new Error(`${file} is a squashfs without ${MANIFEST_PATH} and not a RAUC bundle: not made by phone image`);
}

/** Null when `image` is for `board`, else why not. */
export function boardMismatch(image: ImageKind, board: string): string | null {
  if (image.kind === 'board-image') return image.manifest.board === board ? null : `image is for board ${image.manifest.board}, not ${board}`;
  return image.compatible === compatibleOf(board) ? null : `RAUC bundle is compatible with ${image.compatible || '(none)'}, not ${compatibleOf(board)}`;
}

export interface WriteReport {
  bytes: number;
  sha256: string;
  ms: number;
}

const CHUNK = 256 * 1024;

/**
 * Write `file` at the start of `target` (a block device, an erased MTD
 * character device, or a regular file), fsync, read it back and compare.
 * `progress` gets (bytes done, total, phase) as it goes.
 */
export function writeAndVerify(file: string, target: string, progress: (done: number, total: number, phase: 'write' | 'verify') => void): WriteReport {
  const started = Date.now();
  const data = fs.readFileSync(file);
  const sha256 = crypto.createHash('sha256').update(data).digest('hex');
  const fd = fs.openSync(target, fs.existsSync(target) ? 'r+' : 'w+');
  try {
    for (let at = 0; at < data.length; at += CHUNK) {
      const n = Math.min(CHUNK, data.length - at);
      let written = 0;
      while (written < n) written += fs.writeSync(fd, data, at + written, n - written, at + written);
      progress(at + n, data.length, 'write');
    }
    try {
      fs.fsyncSync(fd);
    } catch (e) {
      // MTD character devices have no fsync (EINVAL): their close() syncs the flash (mtd_sync).
      if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
    }
  } finally {
    fs.closeSync(fd);
  }
  // Read back through a fresh descriptor: what the device holds, not what a buffer remembers.
  const check = crypto.createHash('sha256');
  const rfd = fs.openSync(target, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let at = 0; at < data.length; at += CHUNK) {
      const n = fs.readSync(rfd, buf, 0, Math.min(CHUNK, data.length - at), at);
      if (n <= 0) throw new Error(`${target}: read back ended at byte ${at} of ${data.length}`);
      const slice = buf.subarray(0, n);
      if (!slice.equals(data.subarray(at, at + n))) throw new Error(`${target}: read back differs from ${file} in bytes ${at}..${at + n}: write failed`);
      check.update(slice);
      progress(at + n, data.length, 'verify');
    }
  } finally {
    fs.closeSync(rfd);
  }
  if (check.digest('hex') !== sha256) throw new Error(`${target}: read back hash differs from ${file}`);
  return { bytes: data.length, sha256, ms: Date.now() - started };
}

/** MTD character devices are written after an erase (mtd-utils' flash_erase). */
export function eraseMtd(device: string): void {
  execFileSync('flash_erase', ['-q', device, '0', '0'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * Copy a RAUC bundle to a running board and install it there (`rauc install` into the inactive slot).
 * `sshOptions` ("Port=2222", "IdentityFile=~/.ssh/board") go to both scp and ssh as `-o` options.
 */
export function installOverSsh(file: string, destination: string, log: (line: string) => void, sshOptions: string[] = []): void {
  const remote = '/tmp/phone-update.raucb';
  const options = sshOptions.flatMap((o) => ['-o', o]);
  log(`copying ${file} to ${destination}:${remote}`);
  execFileSync('scp', ['-q', ...options, file, `${destination}:${remote}`], { stdio: 'inherit' });
  log(`rauc install on ${destination}`);
  execFileSync('ssh', [...options, destination, 'rauc', 'install', remote, '&&', 'rm', '-f', remote, '&&', 'rauc', 'status'], { stdio: 'inherit' });
}
