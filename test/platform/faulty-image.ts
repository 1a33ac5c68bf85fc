/** Builds the deliberately faulty test firmware (test/fixtures/faulty-firmware) once per process into a temp dir. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware } from '../../build/bundle';
import { createPhone, type Phone } from '../../sim/phone';
import type { PhoneOptions } from '../../sim/phone-api';

export const FAULTY_ENTRY = path.resolve(__dirname, '..', 'fixtures', 'faulty-firmware', 'entry.ts');

let built: Promise<string> | null = null;

/** Path of the built faulty image (firmware.js with its .map next to it). */
export function faultyImage(): Promise<string> {
  if (!built) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faulty-firmware-'));
    const out = path.join(dir, 'firmware.js');
    built = buildFirmware(out, FAULTY_ENTRY).then(() => {
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
      return out;
    });
  }
  return built;
}

export async function bootFaultyPhone(options: Partial<PhoneOptions> = {}): Promise<Phone> {
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', image: await faultyImage(), ...options });
  await phone.boot();
  return phone;
}
