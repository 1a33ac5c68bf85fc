/**
 * `phone flash --mtd` on a real kernel: in the QEMU guest an mtdram NOR
 * device (64 KiB erase blocks) stands for the board's raw flash; the phone
 * CLI (bundled, as a board runs it) erases it with flash_erase, writes the
 * board image with progress and reads it back through the MTD character
 * device. An image for another board is refused before anything is erased.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildBoardImage } from '../../build/image/board-image';
import { generateSigningKey } from '../../build/image/signing-key';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { PHONE_CLI, bundleForGuest, guestNode } from './guest-bundle';
import { startGuest } from './guest';
import { reportGuestRun, requireGuest } from './guest-session';

const ctx = { dir: '', image: '', console: '', exitCode: null as number | null };
const flashMtd = suite('phone flash --mtd on mtdram');

flashMtd.before(async () => {
  requireGuest();
  ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-flash-mtd-'));
  const boardFile = path.resolve(__dirname, '..', '..', 'boards', 'desk-500.json');
  ctx.image = (await buildBoardImage({ board: 'desk-500', version: '0.2.0', bundle: DEFAULT_IMAGE, boardFile, key: generateSigningKey(), out: path.join(ctx.dir, 'desk-500.img'), arches: ['x64'] })).image;
  const cli = bundleForGuest(PHONE_CLI, path.join(ctx.dir, 'phone.js'), { sourceMap: false });
  const R = ctx.dir;
  const size = fs.statSync(ctx.image).size;
  const guest = startGuest({
    resultsDir: R, timeoutMs: 300_000,
    script: [
      // 4 MiB of RAM-backed NOR, 64 KiB erase blocks, filled with a pattern first: the erase must really happen.
      'modprobe mtdram total_size=4096 erase_size=64 || exit 11',
      'tr "\\000" "\\132" < /dev/zero | head -c 4194304 > /dev/mtd0 2>/dev/null; true',
      `${guestNode(cli, ['flash', '--board', 'desk-99', '--mtd', '/dev/mtd0', ctx.image])} > ${R}/wrong.out 2>&1; echo $? > ${R}/wrong.code`,
      `${guestNode(cli, ['flash', '--board', 'desk-500', '--mtd', '/dev/mtd0', ctx.image])} > ${R}/flash.out 2>&1; echo $? > ${R}/flash.code`,
      `head -c ${size} /dev/mtd0 > ${R}/readback.bin`,
      `head -c 4194304 /dev/mtd0 | tail -c 65536 > ${R}/last-block.bin`,
    ].join('\n'),
  });
  const run = await guest.done;
  reportGuestRun('phone flash --mtd', run);
  ctx.exitCode = run.exitCode;
  ctx.console = run.console;
});
flashMtd.after(() => fs.rmSync(ctx.dir, { recursive: true, force: true }));

const read = (f: string) => fs.readFileSync(path.join(ctx.dir, f), 'utf8');

flashMtd('an image for another board is refused', () => {
  assert.is(ctx.exitCode, 0, ctx.console.slice(-2000));
  assert.is(read('wrong.code').trim(), '1');
  assert.match(read('wrong.out'), /refusing .*: image is for board desk-500, not desk-99/);
});

flashMtd('the board image is erased onto, written and read back through /dev/mtd0', () => {
  assert.is(read('flash.code').trim(), '0', read('flash.out'));
  assert.match(read('flash.out'), /writing 100%/);
  assert.match(read('flash.out'), /verifying 100%/);
  assert.match(read('flash.out'), /written to \/dev\/mtd0 and verified/);
  assert.ok(fs.readFileSync(path.join(ctx.dir, 'readback.bin')).equals(fs.readFileSync(ctx.image)), 'MTD holds the image');
  // flash_erase erased the whole device: past the image it reads 0xFF, not the pattern written before.
  assert.ok(fs.readFileSync(path.join(ctx.dir, 'last-block.bin')).every((b) => b === 0xff));
});

flashMtd.run();
