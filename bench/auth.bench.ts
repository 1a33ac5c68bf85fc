/**
 * Time of a right vs a wrong password attempt on the QuickJS phone, side by
 * side (issue 12 point 5: an attempt's time and flash cost must not tell
 * them apart). Each sample is the Enter key at a password prompt, from the
 * key to the settled answer (host wall clock); right and wrong alternate,
 * so the failure count never passes 1 and no wait or lock kicks in. Also
 * the flash operations of each (they must be equal).
 *
 * `AUTH_BENCH_IMAGE=path/to/firmware.js` measures another firmware build
 * (e.g. one from before the fix) the same way.
 */
import { createPhone, type Phone } from '../sim/phone';

const RUNS = Number(process.env.BENCH_AUTH_RUNS ?? 31);
const ADMIN = '80808';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) * q)];
}

async function press(phone: Phone, keys: string): Promise<void> {
  for (const k of keys.split(' ')) await phone.press(k as never);
}

async function toIdle(phone: Phone): Promise<void> {
  if (phone.screen().id !== 'idle') await phone.press('home');
}

async function openAdvanced(phone: Phone): Promise<void> {
  await toIdle(phone);
  await press(phone, 'soft4 1');
  const advanced = phone.screen().lines.findIndex((l) => l.includes('Advanced'));
  await phone.press(String(advanced + 1) as never);
}

async function openChangeUserPassword(phone: Phone): Promise<void> {
  await toIdle(phone);
  await press(phone, 'soft4 1 1');
  const entry = phone.screen().lines.findIndex((l) => l.includes('Change User Password'));
  await phone.press(String(entry + 1) as never);
}

interface Sample {
  /** Enter to the answer on screen. */
  ms: number;
  /** Enter to the last flash operation of the attempt (its outcome on flash). */
  committedMs: number;
  /** First to last flash operation: pre-record, the check, the resolving record. */
  checkMs: number;
  /** Flash operations from Enter to the answer: kind and size. */
  ops: string;
}

/** Open the prompt, type `password`, time the Enter key. */
async function sample(phone: Phone, open: (p: Phone) => Promise<void>, password: string, expect: RegExp): Promise<Sample> {
  await open(phone);
  await press(phone, password.split('').join(' '));
  const ops: string[] = [];
  let first = 0n;
  let last = 0n;
  const stop = phone.devices.flash.onOperation((op) => {
    ops.push(`${op.kind[0]}${op.length}`);
    last = process.hrtime.bigint();
    first ||= last;
  });
  const t0 = process.hrtime.bigint();
  await phone.press('soft1');
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  stop();
  const shown = `${phone.screen().title} ${phone.screen().lines.join('|')}`;
  if (!expect.test(shown)) throw new Error(`"${password}": expected ${expect}, screen ${shown}`);
  await phone.advance(11_000); // log flushes and echo timers run outside the samples
  return { ms, committedMs: last ? Number(last - t0) / 1e6 : NaN, checkMs: Number(last - first) / 1e6, ops: ops.join(' ') };
}

async function pair(phone: Phone, what: string, open: (p: Phone) => Promise<void>, right: [string, RegExp], wrong: [string, RegExp]): Promise<void> {
  const r: Sample[] = [];
  const w: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    w.push(await sample(phone, open, wrong[0], wrong[1]));
    r.push(await sample(phone, open, right[0], right[1]));
  }
  // Median, and the middle half of the samples (the machine's noise) in brackets.
  const m = (xs: Sample[], f: (s: Sample) => number) => {
    const v = xs.map(f);
    return `${quantile(v, 0.5).toFixed(1)} [${quantile(v, 0.25).toFixed(1)}–${quantile(v, 0.75).toFixed(1)}]`;
  };
  const ops = (xs: Sample[]) => [...new Set(xs.map((s) => s.ops || 'none'))].join(' / ');
  console.log(`${what}, median of ${RUNS}:\n` +
    `  pre-record to outcome record (the check): right ${m(r, (s) => s.checkMs)} ms, wrong ${m(w, (s) => s.checkMs)} ms\n` +
    `  Enter to outcome on flash: right ${m(r, (s) => s.committedMs)} ms, wrong ${m(w, (s) => s.committedMs)} ms\n` +
    `  Enter to answer on screen: right ${m(r, (s) => s.ms)} ms, wrong ${m(w, (s) => s.ms)} ms\n` +
    `  flash operations (p=program, e=erase, bytes): right [${ops(r)}], wrong [${ops(w)}]`);
}

export async function bench(): Promise<void> {
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', ...(process.env.AUTH_BENCH_IMAGE ? { image: process.env.AUTH_BENCH_IMAGE } : {}) });
  try {
    await phone.boot();
    await phone.advance(11_000);
    // Replace the default admin password (SB-327 forces it before any admin access).
    await openAdvanced(phone);
    await press(phone, `4 5 6 soft1 ${ADMIN.split('').join(' ')} soft1 ${ADMIN.split('').join(' ')} soft1 soft1`);
    if (phone.screen().title !== 'Advanced') throw new Error(`admin password not set: ${JSON.stringify(phone.screen())}`);
    await phone.advance(11_000);
    const incorrect: RegExp = /Incorrect password/;
    await pair(phone, 'admin prompt (Settings > Advanced), admin password', openAdvanced, [ADMIN, /Administration Settings/], ['80809', incorrect]);
    await pair(phone, 'admin prompt (Settings > Advanced), user password', openAdvanced, ['123', /^Advanced /], ['124', incorrect]);
    await pair(phone, 'current user password (Change User Password)', openChangeUserPassword, ['123', /New password/], ['124', incorrect]);
  } finally {
    phone.dispose();
  }
}
