/**
 * The Debian kernel the test guest boots (package linux-image-amd64: /boot/vmlinuz-* and /lib/modules/*), and the
 * module files a set of modules needs, dependencies first (from the kernel's modules.dep).
 */
import * as fs from 'fs';
import * as path from 'path';

export interface GuestKernel {
  release: string;
  image: string;
  modulesDir: string;
}

/** The newest installed kernel that has both an image in /boot and its modules; null when none is installed. */
export function findGuestKernel(): GuestKernel | null {
  let images: string[];
  try {
    images = fs.readdirSync('/boot').filter((f) => f.startsWith('vmlinuz-'));
  } catch {
    return null;
  }
  const kernels = images
    .map((f) => ({ release: f.slice('vmlinuz-'.length), image: path.join('/boot', f) }))
    .map((k) => ({ ...k, modulesDir: path.join('/lib/modules', k.release) }))
    .filter((k) => fs.existsSync(path.join(k.modulesDir, 'modules.dep')))
    .sort((a, b) => b.release.localeCompare(a.release, 'en', { numeric: true }));
  return kernels[0] ?? null;
}

/** Module files (paths relative to modulesDir) to insmod for `names`, each after the modules it depends on. */
export function moduleLoadOrder(kernel: GuestKernel, names: string[]): string[] {
  const deps = new Map<string, string[]>();
  for (const line of fs.readFileSync(path.join(kernel.modulesDir, 'modules.dep'), 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    deps.set(line.slice(0, colon), line.slice(colon + 1).trim().split(/\s+/).filter(Boolean));
  }
  const byName = new Map<string, string>();
  for (const file of deps.keys()) byName.set(moduleName(file), file);
  const order: string[] = [];
  const visit = (file: string): void => {
    if (order.includes(file)) return;
    for (const dep of deps.get(file) ?? []) visit(dep);
    order.push(file);
  };
  for (const name of names) {
    const file = byName.get(name.replace(/-/g, '_'));
    if (!file) throw new Error(`kernel ${kernel.release} has no module ${name} (is it built in? see /boot/config-${kernel.release})`);
    visit(file);
  }
  return order;
}

function moduleName(file: string): string {
  return path.basename(file).replace(/\.ko(\.xz|\.zst|\.gz)?$/, '').replace(/-/g, '_');
}
