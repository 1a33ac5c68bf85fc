/**
 * `phone flash`: put a board image onto a dev board's storage (a block device
 * or image file with --device, raw NOR through MTD with --mtd), or install a
 * RAUC bundle on a running board (--ssh). Refuses an image for another board;
 * shows progress; reads back what it wrote (build/image/image-flasher.ts).
 */
import { Command } from 'commander';
import { BOARDS, isBoardId } from '../../../hal/boards';
import { boardMismatch, eraseMtd, identifyImage, installOverSsh, writeAndVerify } from '../../../build/image/image-flasher';

export function flashCommand(): Command {
  return new Command('flash')
    .description('write a board image onto a board (--device, --mtd) with read-back verification, or install a RAUC bundle on a running board (--ssh)')
    .argument('<file>', 'board image (phone image -o FILE) or RAUC bundle (FILE.raucb)')
    .requiredOption('-b, --board <id>', `board profile the target is (${Object.keys(BOARDS).join(', ')})`)
    .option('--device <path>', 'block device (/dev/sdX, an SD card) or image file to write')
    .option('--mtd <dev>', 'MTD character device (/dev/mtdN): erased, written, read back')
    .option('--ssh <user@host>', 'running board: the RAUC bundle is copied and installed with rauc install')
    .option('--ssh-option <key=value>', 'with --ssh: an ssh_config option for scp and ssh (-o), e.g. Port=2222 or IdentityFile=PATH; repeatable', (o: string, all: string[]) => [...all, o], [] as string[])
    .action((file: string, opts: { board: string; device?: string; mtd?: string; ssh?: string; sshOption: string[] }) => {
      if (!isBoardId(opts.board)) throw new Error(`unknown board "${opts.board}" (known: ${Object.keys(BOARDS).join(', ')})`);
      const targets = [opts.device, opts.mtd, opts.ssh].filter((t) => t !== undefined);
      if (targets.length !== 1) throw new Error('give exactly one of --device, --mtd, --ssh');
      const image = identifyImage(file);
      const mismatch = boardMismatch(image, opts.board);
      if (mismatch) throw new Error(`refusing ${file}: ${mismatch}`);
      if (opts.ssh) {
        if (image.kind !== 'rauc-bundle') throw new Error(`--ssh installs a RAUC bundle (${file}.raucb from phone image), not a board image`);
        installOverSsh(file, opts.ssh, (l) => console.error(`phone flash: ${l}`), opts.sshOption);
        return;
      }
      if (image.kind !== 'board-image') throw new Error(`${file} is a RAUC bundle: install it with --ssh on a running board, or flash the board image`);
      const target = (opts.device ?? opts.mtd)!;
      if (opts.mtd) eraseMtd(opts.mtd);
      const tty = process.stderr.isTTY;
      let shown = -1;
      const report = writeAndVerify(file, target, (done, total, phase) => {
        const pct = Math.floor((done * 100) / total);
        if (tty) process.stderr.write(`\r${phase === 'write' ? 'writing  ' : 'verifying'} ${String(pct).padStart(3)}% ${(done / 1048576).toFixed(1)}/${(total / 1048576).toFixed(1)} MiB`);
        else if (pct >= shown + 25 || done === total) {
          shown = pct;
          process.stderr.write(`${phase === 'write' ? 'writing' : 'verifying'} ${pct}% (${done}/${total} bytes)\n`);
        }
      });
      if (tty) process.stderr.write('\n');
      console.log(`${file} (version ${image.manifest.version}, board ${image.manifest.board}) written to ${target} and verified: ${report.bytes} bytes, sha256 ${report.sha256}, ${report.ms} ms`);
    });
}
