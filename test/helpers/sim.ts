/**
 * Shared by the integration suites: boot the real firmware bundle
 * (dist/firmware.js, built by `npm test` before the suites run) on a
 * simulated phone, and dispose it afterwards.
 */
import { createPhone, type Phone } from '../../sim/phone';
import type { EngineKind, PhoneOptions } from '../../sim/phone-api';

export const ENGINES: EngineKind[] = ['quickjs', 'node'];
export const BOARDS = ['desk-500', 'desk-99'];

/** A booted phone; the caller disposes it (or uses `withPhone`). */
export async function bootPhone(options: Partial<PhoneOptions> = {}): Promise<Phone> {
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', ...options });
  await phone.boot();
  return phone;
}

/** Boot, run `body`, always dispose (a leaked QuickJS handle would abort here). */
export async function withPhone<T>(options: Partial<PhoneOptions>, body: (phone: Phone) => Promise<T>): Promise<T> {
  const phone = await bootPhone(options);
  try {
    return await body(phone);
  } finally {
    phone.dispose();
  }
}

/** Run virtual time a second at a time (with the host's answers settled) until `done`; fails after 15 s of real time with the log's tail. */
export async function advanceUntil(phone: Phone, what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 15000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; log:\n${phone.log().slice(-30).join('\n')}`);
    await phone.advance(1000);
    await phone.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}
