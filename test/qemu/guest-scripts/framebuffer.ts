/** The guest's framebuffer as the tests read it (runs in the guest). */
import * as fs from 'fs';
import * as path from 'path';

/**
 * The kernel's framebuffer console takes every new fb device and blinks its text cursor into the picture: a board
 * image leaves it out (CONFIG_FRAMEBUFFER_CONSOLE) or unbinds it, as here.
 */
export function unbindFramebufferConsole(): void {
  const dir = '/sys/class/vtconsole';
  for (const con of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (/frame buffer/i.test(fs.readFileSync(path.join(dir, con, 'name'), 'utf8'))) fs.writeFileSync(path.join(dir, con, 'bind'), '0');
  }
}

/** The visible picture of an fbdev device (copyFileSync copies nothing: a character device has no size). */
export function readFramebuffer(device: string, sysfsDir: string): Buffer {
  const stride = Number(fs.readFileSync(path.join(sysfsDir, 'stride'), 'utf8'));
  const rows = Number(fs.readFileSync(path.join(sysfsDir, 'virtual_size'), 'utf8').split(',')[1]);
  const out = Buffer.alloc(stride * rows);
  const fd = fs.openSync(device, 'r');
  try {
    let at = 0;
    while (at < out.length) {
      const n = fs.readSync(fd, out, at, out.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return out.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}

