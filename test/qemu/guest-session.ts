/**
 * What every real-kernel test does around a guest run: insist that QEMU and the kernel are installed (the suite
 * never skips: .ci/run installs them), a results dir removed afterwards, and the measured times printed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { guestAvailable, type GuestRun } from './guest';

export function requireGuest(): void {
  const missing = guestAvailable();
  if (missing) {
    throw new Error(`cannot boot the test guest: ${missing}; apt-get install -y qemu-system-x86 linux-image-amd64 busybox-static cpio kmod mtd-utils${process.env.CI === 'true' ? ' — required under CI' : ''}`);
  }
}

export async function withGuestResults<T>(body: (resultsDir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-results-'));
  try {
    return await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per run: the guest's boot time and the run's total, for the suite's timing record. */
export function reportGuestRun(name: string, run: GuestRun): void {
  const boot = run.bootMs === null ? 'did not boot'
    : `boot ${(run.bootMs / 1000).toFixed(1)} s (kernel start to test script ${((run.kernelBootMs ?? 0) / 1000).toFixed(1)} s)`;
  console.log(`  [qemu] ${name}: ${boot}, total ${(run.totalMs / 1000).toFixed(1)} s${run.failure ? ` (${run.failure})` : ''}`);
}
