/**
 * Several simulated phones on one virtual SIP network (sim/devices/sip-network.ts):
 * phone A is extension 1001, B 1002, … Each phone has its own flash, clock and
 * MAC (the board's, with the last byte counting up), so each gets its own
 * `<mac>.cfg`.
 */
import { boardProfile } from '../hal/boards';
import { VirtualSipNetwork } from './devices/sip-network';
import { createPhone, type Phone } from './phone';
import type { PhoneOptions } from './phone-api';

export interface NetworkedPhone {
  name: string;
  extension: string;
  phone: Phone;
}

export const MAX_NETWORK_PHONES = 8;

/** "A", "B", … for `count` phones. */
export function phoneNames(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NETWORK_PHONES) throw new Error(`phones must be a whole number 1–${MAX_NETWORK_PHONES}, got ${count}`);
  return Array.from({ length: count }, (_, i) => String.fromCharCode(65 + i));
}

/** The i-th phone's MAC: the base MAC plus i (12 lower-case hex digits). */
export function nthMac(base: string, i: number): string {
  return (BigInt(`0x${base}`) + BigInt(i)).toString(16).padStart(12, '0').slice(-12);
}

/** Create (not boot) the phones, joined to one network. `options.flashImage` is not shared: pass none. */
export async function createNetworkedPhones(names: string[], options: PhoneOptions): Promise<{ network: VirtualSipNetwork; phones: NetworkedPhone[] }> {
  const network = new VirtualSipNetwork();
  const base = options.mac ?? boardProfile(options.board).mac;
  const phones: NetworkedPhone[] = [];
  try {
    for (const [i, name] of names.entries()) {
      const phone = await createPhone({ ...options, mac: nthMac(base, i) });
      const member = network.join(name, phone.devices.line, () => phone.settle());
      phones.push({ name, extension: member.extension, phone });
    }
  } catch (e) {
    for (const p of phones) p.phone.dispose();
    throw e;
  }
  return { network, phones };
}
