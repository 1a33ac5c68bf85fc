/**
 * The test guest's initramfs, built at test time: busybox-static, test/qemu/init.sh as /init and the kernel modules
 * that reach the host root over virtio-9p. Everything else (Node, the repository, modprobe, mtd-utils) comes from the
 * host root the guest mounts, so the archive stays small (about 1.5 MB) and takes well under a second to build.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { moduleLoadOrder, type GuestKernel } from './guest-kernel';

/** What the guest needs before it can mount the host root. */
const ROOT_SHARE_MODULES = ['virtio_pci', '9pnet_virtio', '9p'];

export const BUSYBOX = '/bin/busybox';

/** Build the archive in `workDir` (a temp dir the caller removes) and return its path. */
export function buildInitramfs(kernel: GuestKernel, workDir: string): string {
  const tree = path.join(workDir, 'initramfs');
  for (const dir of ['bin', 'proc', 'sys', 'dev', 'mnt', 'modules']) fs.mkdirSync(path.join(tree, dir), { recursive: true });
  fs.copyFileSync(BUSYBOX, path.join(tree, 'bin/busybox'));
  fs.chmodSync(path.join(tree, 'bin/busybox'), 0o755);
  fs.symlinkSync('busybox', path.join(tree, 'bin/sh'));
  fs.copyFileSync(path.join(__dirname, 'init.sh'), path.join(tree, 'init'));
  fs.chmodSync(path.join(tree, 'init'), 0o755);
  const order = moduleLoadOrder(kernel, ROOT_SHARE_MODULES).map((file) => {
    const name = path.basename(file);
    fs.copyFileSync(path.join(kernel.modulesDir, file), path.join(tree, 'modules', name));
    return name;
  });
  fs.writeFileSync(path.join(tree, 'modules/order'), order.join('\n') + '\n');
  const archive = path.join(workDir, 'initramfs.cpio');
  const files = execFileSync('find', ['.', '-mindepth', '1'], { cwd: tree, encoding: 'utf8' });
  // newc, uncompressed: the kernel unpacks it faster than it would inflate gzip under TCG.
  execFileSync('cpio', ['--quiet', '-o', '-H', 'newc', '-R', '0:0', '-O', archive], { cwd: tree, input: files });
  return archive;
}
