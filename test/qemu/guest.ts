/**
 * Boots a QEMU guest (qemu-system-x86_64 under TCG: the CI machine has no usable KVM) on Debian's kernel with a
 * busybox initramfs, the host root shared read-only over virtio-9p and a writable results share. The guest runs
 * `script` as root in a chroot of the host root (cwd /tmp, a tmpfs) and powers off. The results share is mounted at
 * the same absolute path inside the guest as on the host, so a test can bundle scripts into it and name them by
 * their host path. Kernel modules are loaded by the script itself (`modprobe` from the host root, e.g.
 * `modprobe mtdram total_size=1600 erase_size=4`).
 *
 * Guard rails: an overall timeout kills QEMU (by its PID) and the run reports it; the initramfs lives in a temp dir
 * removed when the guest exits, or when the test process exits first (QEMU is killed then too).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findGuestKernel } from './guest-kernel';
import { buildInitramfs } from './initramfs';

export const QEMU = 'qemu-system-x86_64';

export interface GuestOptions {
  /** Shell script run in the chroot (`set -e` is not implied). Its exit code is the run's. */
  script: string;
  /** Writable share, mounted at the same path in the guest; the caller creates and removes it. */
  resultsDir: string;
  /** Raw disk images attached as virtio disks, in order: /dev/vda, /dev/vdb, ... */
  disks?: string[];
  /** Overall limit: QEMU is killed after it. */
  timeoutMs: number;
  memoryMiB?: number;
  cpus?: number;
  /** Every console line as it arrives (the guest's serial port). */
  onConsole?: (line: string) => void;
  /**
   * User-mode networking (slirp) with these TCP ports of 127.0.0.1 on the host forwarded to the guest.
   * `restrict=on`: the guest reaches no network but the forwards. In the guest: `modprobe virtio_net`,
   * eth0 up with 10.0.2.15/24 (slirp's address for it).
   */
  tcpForwards?: { hostPort: number; guestPort: number }[];
}

export interface GuestRun {
  /** The script's exit code; null when the guest did not finish it (killed, timed out, crashed). */
  exitCode: number | null;
  /** Why exitCode is null. */
  failure: string | null;
  console: string;
  /** From QEMU's start to the script's start: the guest's boot time (firmware, kernel, init, 9p mounts). */
  bootMs: number | null;
  /** The kernel's part of it: its uptime when the script started. */
  kernelBootMs: number | null;
  totalMs: number;
}

export interface RunningGuest {
  done: Promise<GuestRun>;
  /** Power cut: SIGKILL QEMU now (the run then ends with exitCode null). */
  kill(): void;
}

/** Whether this machine can boot the guest (QEMU, busybox and a kernel with modules installed). */
export function guestAvailable(): string | null {
  if (!findGuestKernel()) return 'no kernel in /boot with modules in /lib/modules (Debian package linux-image-amd64)';
  if (!fs.existsSync('/bin/busybox')) return 'no /bin/busybox (Debian package busybox-static)';
  const qemuFound = (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, QEMU)));
  if (!qemuFound) return `no ${QEMU} (Debian package qemu-system-x86)`;
  return null;
}

export function startGuest(o: GuestOptions): RunningGuest {
  const kernel = findGuestKernel();
  if (!kernel) throw new Error(guestAvailable() ?? 'no guest kernel');
  const resultsDir = path.resolve(o.resultsDir);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-guest-'));
  const started = Date.now();
  const initramfs = buildInitramfs(kernel, workDir);
  fs.writeFileSync(path.join(resultsDir, 'run.sh'), o.script);
  fs.rmSync(path.join(resultsDir, 'exit-code'), { force: true });

  const args = [
    '-accel', 'tcg', '-m', String(o.memoryMiB ?? 1024), '-smp', String(o.cpus ?? 1),
    '-nographic', '-no-reboot', '-monitor', 'none', '-serial', 'stdio', '-nodefaults',
    '-kernel', kernel.image, '-initrd', initramfs,
    '-append', `console=ttyS0 panic=-1 quiet loglevel=4 mitigations=off tsc=reliable rdinit=/init results=${resultsDir}`,
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
    '-virtfs', `local,path=${resultsDir},mount_tag=results,security_model=none`,
  ];
  if (o.tcpForwards) {
    const forwards = o.tcpForwards.map((f) => `,hostfwd=tcp:127.0.0.1:${f.hostPort}-:${f.guestPort}`).join('');
    args.push('-netdev', `user,id=n0,restrict=on${forwards}`, '-device', 'virtio-net-pci,netdev=n0');
  }
  for (const disk of o.disks ?? []) args.push('-drive', `file=${disk},format=raw,if=virtio,cache=writethrough`);
  const qemu = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  let consoleText = '';
  let pending = '';
  let bootMs: number | null = null;
  let kernelBootMs: number | null = null;
  let killedFor: string | null = null;
  const onText = (chunk: Buffer): void => {
    const text = chunk.toString('utf8').replace(/\r/g, '');
    consoleText += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const commandStarts = /guest: command starts ([\d.]+)s after kernel start/.exec(line);
      if (commandStarts && bootMs === null) {
        bootMs = Date.now() - started;
        kernelBootMs = Math.round(Number(commandStarts[1]) * 1000);
      }
      o.onConsole?.(line);
    }
  };
  qemu.stdout.on('data', onText);
  qemu.stderr.on('data', onText);
  const kill = (why: string): void => {
    if (qemu.exitCode !== null || qemu.signalCode !== null || killedFor) return;
    killedFor = why;
    if (qemu.pid !== undefined) process.kill(qemu.pid, 'SIGKILL');
  };
  const timer = setTimeout(() => kill(`timed out after ${o.timeoutMs} ms`), o.timeoutMs);
  // A test process that exits early (process.exit in a failing suite) takes its guest and temp dir with it.
  const onProcessExit = (): void => {
    kill('the test process exited');
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', onProcessExit);

  const done = new Promise<GuestRun>((resolve) => {
    const finish = (spawnError?: Error): void => {
      clearTimeout(timer);
      process.removeListener('exit', onProcessExit);
      fs.rmSync(workDir, { recursive: true, force: true });
      if (pending) o.onConsole?.(pending);
      let exitCode: number | null = null;
      try {
        exitCode = Number(fs.readFileSync(path.join(resultsDir, 'exit-code'), 'utf8').trim());
      } catch {
        // no exit code: the script did not finish
      }
      const failure = exitCode !== null ? null
        : spawnError ? `cannot start ${QEMU}: ${spawnError.message}`
          : killedFor ?? `guest stopped before the script finished (QEMU exit ${qemu.exitCode ?? qemu.signalCode})`;
      resolve({ exitCode, failure, console: consoleText, bootMs, kernelBootMs, totalMs: Date.now() - started });
    };
    qemu.on('error', (err) => finish(err));
    qemu.on('exit', () => finish());
  });
  return { done, kill: () => kill('killed by the test') };
}

export function bootGuest(o: GuestOptions): Promise<GuestRun> {
  return startGuest(o).done;
}
