/**
 * The firmware memory cost of the web server (docs/web-interface.md, "Memory cost").
 *
 *   TS_NODE_TRANSPILE_ONLY=1 node -r ts-node/register bench/web-memory.ts [--base <image without the web module>]
 *
 * - Heap: the QuickJS runtime's memory in use (the figure the board's memory
 *   budget is checked against) on desk-500 and desk-99, after the boot
 *   provisioning cycle, with `httpd.enabled=1` and one logged-in admin session
 *   that has opened Change Password, against the same phone with
 *   `httpd.enabled=0`. Median of RUNS phones each.
 * - Bundle: bytes of firmware/web/** in dist/firmware.js (esbuild's
 *   bytesInOutput of a fresh build into a temporary file).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware } from '../build/bundle';
import { bootOn, profileFolder, until } from '../test/login/login-fixture';
import { adminWithNewPassword, webPhoneFor } from '../test/httpd/web-harness';

const RUNS = 3;
/** `--base <dist/firmware.js of a build without the web module>`: also the heap of that image on the same folder. */
const BASE_IMAGE = process.argv.includes('--base') ? process.argv[process.argv.indexOf('--base') + 1] : null;

async function heapWith(board: string, enabled: boolean, image?: string): Promise<number> {
  const folder = profileFolder({ 'prov.login.enabled': '0', 'httpd.enabled': enabled ? '1' : '0' });
  const phone = await bootOn(folder, { board, ...(image ? { image } : {}) });
  try {
    if (enabled) {
      const web = await webPhoneFor(phone);
      const jar = await adminWithNewPassword(web);
      await web.request('GET', '/settings/password', { jar });
    } else if (!image) {
      await until(phone, () => phone.webUrls().https === null, 'the web server off');
    }
    await phone.advance(1000);
    await phone.settle();
    return phone.memoryUsage();
  } finally {
    phone.dispose();
    folder.remove();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  for (const board of ['desk-500', 'desk-99']) {
    const on: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      on.push(await heapWith(board, true));
      off.push(await heapWith(board, false));
    }
    const a = median(on);
    const b = median(off);
    console.log(`${board}: QuickJS heap ${kib(a)} with httpd.enabled=1 and one admin session, ${kib(b)} with httpd.enabled=0: web server costs ${kib(a - b)} (median of ${RUNS})`);
    if (BASE_IMAGE) {
      const base: number[] = [];
      for (let i = 0; i < RUNS; i++) base.push(await heapWith(board, false, BASE_IMAGE));
      const c = median(base);
      console.log(`${board}: QuickJS heap ${kib(c)} with the image without a web module (${BASE_IMAGE}): the web module's code and state cost ${kib(a - c)} with httpd on and a session, ${kib(b - c)} with httpd.enabled=0`);
    }
  }
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'web-memory-')), 'firmware.js');
  const report = await buildFirmware(out);
  const web = report.inputs.filter((i) => i.path.startsWith('firmware/web/'));
  const bytes = web.reduce((n, i) => n + i.bytes, 0);
  console.log(`bundle: firmware/web/** is ${kib(bytes)} of ${kib(report.bytes)} (${web.length} files: ${web.map((i) => `${path.basename(i.path)} ${kib(i.bytes)}`).join(', ')})`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
