/**
 * Shell lines that give the guest a board's flash as MTD partitions named as the board profile's (nvram, fs,
 * updater), in profile order over one master device: so the master's bytes are the raw image `phone inspect` reads.
 */
import { boardProfile } from '../../hal/boards';

/** mtdram (RAM-backed, erased at load): sizes in KiB as the module takes them. */
export function mtdramScript(board: string): string[] {
  const flash = boardProfile(board).flash;
  const total = flash.partitions.reduce((n, p) => n + p.size, 0);
  return [`modprobe mtdram total_size=${total / 1024} erase_size=${flash.blockSize / 1024}`, ...partitionScript(board, '/dev/mtd0')];
}

/** block2mtd over a virtio disk: flash that keeps its bytes across guest boots (the disk image is the raw image). */
export function block2mtdScript(board: string, disk: string): string[] {
  const flash = boardProfile(board).flash;
  return [`modprobe virtio_blk`, `modprobe block2mtd block2mtd=${disk},${flash.blockSize}`, ...partitionScript(board, '/dev/mtd0')];
}

/** The flash size of a board's profile: the size of its raw image. */
export function flashBytes(board: string): number {
  return boardProfile(board).flash.partitions.reduce((n, p) => n + p.size, 0);
}

function partitionScript(board: string, master: string): string[] {
  const lines = [`test -c ${master} || { echo "no ${master}"; exit 20; }`];
  let offset = 0;
  for (const p of boardProfile(board).flash.partitions) {
    lines.push(`mtdpart add ${master} ${p.name} ${offset} ${p.size} || exit 21`);
    offset += p.size;
  }
  return lines;
}
