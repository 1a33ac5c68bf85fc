/**
 * One search keystroke in Contacts > Local Directory on a booted full-data
 * desk-500 (the real image: key press → multi-tap letter → search on the
 * encrypted flash pages → redraw), QuickJS and Node side by side; the figure
 * is the worst keystroke of several names typed letter by letter.
 */
import { createPhone, type Phone } from '../../sim/phone';
import type { EngineKind } from '../../sim/phone-api';
import type { KeyName } from '../../hal/contract';
import { median } from './statistics';

/** Names typed on the keypad (one key per letter, each letter committed by the multi-tap pause): tu, hi, ke, wi, al, di. */
const QUERIES: KeyName[][] = [['8', '8'], ['4', '4'], ['5', '3'], ['9', '4'], ['2', '5'], ['3', '4']];
const COMMIT_MS = 1100;

async function openLocalDirectory(phone: Phone): Promise<void> {
  await phone.press('home');
  const pick = async (label: string) => {
    const line = phone.screen().lines.find((l) => l.includes(label));
    if (!line) throw new Error(`no "${label}" in ${JSON.stringify(phone.screen())}`);
    await phone.press(line.split('.')[0] as KeyName);
  };
  await pick('Contacts');
  await pick('Local Directory');
}

export interface KeystrokeTimes { median: number; worst: number; count: number; shown: string }

export async function keystrokeTimes(engine: EngineKind, flashImage: string): Promise<KeystrokeTimes> {
  const phone = await createPhone({ board: 'desk-500', engine, flashImage, provisioningDir: null });
  try {
    await phone.boot();
    await phone.advance(1000);
    await openLocalDirectory(phone);
    const shown = phone.screen().title;
    const times: number[] = [];
    for (const query of QUERIES) {
      for (const key of query) {
        const t0 = process.hrtime.bigint();
        await phone.press(key);
        phone.screen(); // the frame the key asked for is part of the keystroke
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        await phone.advance(COMMIT_MS);
      }
      for (let i = 0; i < query.length; i++) {
        await phone.press('left');
        await phone.advance(COMMIT_MS);
      }
    }
    if (phone.faults.length > 0) throw new Error(`keystrokes: firmware faults: ${phone.faults.map((f) => f.message).join('; ')}`);
    return { median: median(times), worst: Math.max(...times), count: times.length, shown };
  } finally {
    phone.dispose();
  }
}
