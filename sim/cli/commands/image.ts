/**
 * `phone keygen` and `phone image`: the update signing key, and the board
 * image with its signed update file and RAUC bundle (build/image/board-image.ts;
 * formats and key handling in docs/update.md).
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { BOARDS, isBoardId } from '../../../hal/boards';
import { DEFAULT_OUT, ROOT, packageVersion } from '../../../build/bundle';
import { buildBoardImage } from '../../../build/image/board-image';
import { makeDevelopmentRaucCertificate, raucCertificatePaths } from '../../../build/image/rauc-certificate';
import { generateSigningKey, keyId, loadSigningKey, privateKeyPem, publicKeyPem } from '../../../build/image/signing-key';
import type { SignatureAlgorithm } from '../../../hal/contract';

/** Where `phone image` keeps the development key when no --key is given (git-ignored). */
export const DEVELOPMENT_KEY = path.join(ROOT, '.keys', 'dev-update-key.pem');

/** Write a new update key: FILE (private, 0600), FILE.pub.pem, and the RAUC development certificate. */
export function writeSigningKey(file: string, algorithm: SignatureAlgorithm): string {
  const key = generateSigningKey(algorithm);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, privateKeyPem(key), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  fs.writeFileSync(`${file}.pub.pem`, publicKeyPem(key));
  makeDevelopmentRaucCertificate(file);
  return keyId(key.publicKeyDer);
}

export function keygenCommand(): Command {
  return new Command('keygen')
    .description('make a development update signing key (Ed25519 by default): FILE (private, 0600), FILE.pub.pem, and a RAUC development certificate FILE.rauc-cert.pem / FILE.rauc-key.pem')
    .requiredOption('-o, --out <file>', 'private key file to write')
    .option('--ecdsa', 'ECDSA P-256 instead of Ed25519')
    .option('--force', 'replace an existing key file')
    .action((opts: { out: string; ecdsa?: boolean; force?: boolean }) => {
      if (fs.existsSync(opts.out) && !opts.force) throw new Error(`${opts.out} exists: phones trust its public half; use --force to replace it`);
      const id = writeSigningKey(opts.out, opts.ecdsa ? 'ecdsa-p256' : 'ed25519');
      console.log(`update key ${id} written to ${opts.out} (public: ${opts.out}.pub.pem; RAUC: ${opts.out}.rauc-cert.pem, ${opts.out}.rauc-key.pem)`);
      console.log('development only: keep a production key offline or in an HSM (docs/update.md)');
    });
}

export function imageCommand(): Command {
  return new Command('image')
    .description('build the board image (squashfs: firmware bundle, Linux host, board file, systemd unit, signed manifest), the signed update file FILE.upd for APP_FILE_PATH, and the RAUC bundle FILE.raucb')
    .requiredOption('-b, --board <id>', `board profile (${Object.keys(BOARDS).join(', ')})`)
    .requiredOption('-o, --out <file>', 'squashfs image to write (FILE.upd and FILE.raucb beside it)')
    .option('-k, --key <file>', `update signing key (PEM, from phone keygen); default: the development key ${path.relative(process.cwd(), DEVELOPMENT_KEY)}, made on first use`)
    .option('--bundle <file>', 'firmware bundle', path.relative(process.cwd(), DEFAULT_OUT) || DEFAULT_OUT)
    .option('--board-file <file>', 'board file installed as /etc/phone/board.json (default boards/<id>.json)')
    .option('--arch <list>', 'CPU architectures of the Linux host (koffi binaries): x64, arm64, arm', 'x64,arm64,arm')
    .option('--no-rauc', 'no RAUC bundle')
    .action(async (opts: { board: string; out: string; key?: string; bundle: string; boardFile?: string; arch: string; rauc: boolean }) => {
      if (!isBoardId(opts.board)) throw new Error(`unknown board "${opts.board}" (known: ${Object.keys(BOARDS).join(', ')})`);
      if (!fs.existsSync(opts.bundle)) throw new Error(`no firmware bundle at ${opts.bundle}: run "phone build" first`);
      let keyFile = opts.key;
      if (!keyFile) {
        keyFile = DEVELOPMENT_KEY;
        if (!fs.existsSync(keyFile)) console.error(`phone image: made the development key ${keyFile} (update key ${writeSigningKey(keyFile, 'ed25519')})`);
        console.error('phone image: signed with the DEVELOPMENT key: phones with a production key refuse this image');
      }
      const key = loadSigningKey(keyFile);
      const rauc = raucCertificatePaths(keyFile);
      const haveRauc = fs.existsSync(rauc.certPem) && fs.existsSync(rauc.keyPem);
      if (opts.rauc && !haveRauc) console.error(`phone image: no RAUC certificate ${rauc.certPem}: no RAUC bundle (phone keygen makes one)`);
      const started = Date.now();
      const r = await buildBoardImage({
        board: opts.board, version: packageVersion(), bundle: opts.bundle, key, out: opts.out,
        boardFile: opts.boardFile ?? path.join(ROOT, 'boards', `${opts.board}.json`),
        rauc: opts.rauc && haveRauc ? rauc : undefined,
        arches: opts.arch.split(',').map((s) => s.trim()).filter(Boolean),
      });
      const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
      console.log(`${r.image}: squashfs ${kib(r.imageBytes)}, ${Object.keys(r.manifest.files).length} files, version ${r.manifest.version}, board ${r.manifest.board}, key ${r.manifest.keyId}`);
      console.log(`${r.updateFile}: update file ${kib(r.updateFileBytes)} (serve it as the master file's APP_FILE_PATH)`);
      if (r.raucBundle) console.log(`${r.raucBundle}: RAUC bundle ${kib(r.raucBundleBytes)} (compatible ${r.manifest.compatible})`);
      console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
}
