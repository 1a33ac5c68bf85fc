/**
 * Shared by the updater suites: a signing key, signed update files of the
 * real bundle (or of small stand-in bundles), and a virtual flash whose
 * updater partition holds the phone's public key, as the factory leaves it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { boardProfile } from '../../hal/boards';
import { writeUpdateKey } from '../../firmware/updater/update-key';
import { buildFirmware } from '../../build/bundle';
import { generateSigningKey, type SigningKey } from '../../build/image/signing-key';
import { makeUpdateFile } from '../../build/image/update-file-writer';
import { VirtualFlash } from '../../sim/devices/flash';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { resourcePackPath } from '../../sim/host/resource-pack';

export const BOARD = 'desk-500';
export const RUNNING_VERSION: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
export const phoneKey: SigningKey = generateSigningKey('ed25519');

/** A flash for `board` whose updater partition holds `key`'s public half. */
export function factoryFlash(key: SigningKey = phoneKey, board = BOARD): VirtualFlash {
  const flash = new VirtualFlash(boardProfile(board).flash);
  writeUpdateKey(flash.open('updater'), { algorithm: key.algorithm, publicKeyDer: key.publicKeyDer });
  return flash;
}

/** A signed update file of `bundle` (default: the real dist/firmware.js) and its resource pack when given. */
export function updateFile(o: { version: string; board?: string; key?: SigningKey; bundle?: Uint8Array | string; resources?: Uint8Array }): Buffer {
  const bundle = o.bundle === undefined ? fs.readFileSync(DEFAULT_IMAGE) : typeof o.bundle === 'string' ? Buffer.from(o.bundle) : o.bundle;
  return makeUpdateFile({ bundle, resources: o.resources, version: o.version, board: o.board ?? BOARD, key: o.key ?? phoneKey }).bytes;
}

/** The update file of a built image (`phone build` output): its bundle and the resource pack beside it, as `phone image` makes it. */
export function imageUpdateFile(bundlePath: string, version: string): Buffer {
  return updateFile({ version, bundle: fs.readFileSync(bundlePath), resources: fs.readFileSync(resourcePackPath(bundlePath)) });
}

/** A bundle that stands for firmware `version` (boots, logs its version, does nothing else). */
export function standInBundle(version: string): string {
  return `var PhoneFirmware={version:${JSON.stringify(version)},boot:function(hal){hal.serial.write("stand-in firmware "+${JSON.stringify(version)})}};`;
}

/** The real bundle (its guest bridge included) with a boot that throws: it never reaches idle. */
export function brokenBundle(version: string): string {
  return fs.readFileSync(DEFAULT_IMAGE, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '') +
    `\n;PhoneFirmware=Object.assign({},PhoneFirmware,{version:${JSON.stringify(version)},boot:function(){throw new Error("broken image "+${JSON.stringify(version)})}});\n`;
}

let newer: Promise<string> | null = null;

/** The real firmware built as version `0.99.0` (once per process; a temp file). */
export function newerRealBundle(): Promise<string> {
  newer ??= (async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phone-update-')), 'firmware.js');
    await buildFirmware(out, undefined, '0.99.0');
    return out;
  })();
  return newer;
}
