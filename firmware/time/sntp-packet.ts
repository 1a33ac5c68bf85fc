/**
 * SNTP version 4 client packets (RFC 4330): the 48-byte request and the
 * checks on the answer that RFC 4330 section 5 asks of a client.
 */

/** Seconds from the NTP era start (1900-01-01) to the Unix epoch. */
const NTP_TO_UNIX_SEC = 2208988800;
const TWO_POW_32 = 4294967296;
export const NTP_PACKET_BYTES = 48;

function writeTimestamp(view: DataView, offset: number, unixMs: number): void {
  const seconds = Math.floor(unixMs / 1000);
  view.setUint32(offset, (seconds + NTP_TO_UNIX_SEC) >>> 0);
  view.setUint32(offset + 4, Math.floor(((unixMs - seconds * 1000) / 1000) * TWO_POW_32) >>> 0);
}

function readTimestamp(view: DataView, offset: number): number {
  const seconds = view.getUint32(offset);
  const fraction = view.getUint32(offset + 4);
  // Era 0 ends in 2036; a value before 1968 (top bit clear) belongs to era 1.
  const era = seconds < 0x80000000 ? TWO_POW_32 : 0;
  return (seconds + era - NTP_TO_UNIX_SEC) * 1000 + (fraction / TWO_POW_32) * 1000;
}

/** Client request: LI 0, version 4, mode 3, transmit timestamp = the client's time of sending. */
export function sntpRequest(transmitMs: number): Uint8Array {
  const bytes = new Uint8Array(NTP_PACKET_BYTES);
  bytes[0] = (0 << 6) | (4 << 3) | 3;
  writeTimestamp(new DataView(bytes.buffer), 40, transmitMs);
  return bytes;
}

export interface SntpAnswer {
  stratum: number;
  /** Clock offset to add to the client's clock, ms: ((T2 − T1) + (T3 − T4)) / 2. */
  offsetMs: number;
  /** Round-trip delay, ms: (T4 − T1) − (T3 − T2). */
  delayMs: number;
}

/**
 * Check a server's answer to `request` (sent at t1, answered at t4, client
 * clock) and compute the offset; throws with the reason an answer is refused.
 */
export function readSntpAnswer(answer: Uint8Array, request: Uint8Array, t1: number, t4: number): SntpAnswer {
  if (answer.length < NTP_PACKET_BYTES) throw new Error(`short answer (${answer.length} bytes)`);
  const view = new DataView(answer.buffer, answer.byteOffset, answer.byteLength);
  const li = answer[0] >> 6;
  const mode = answer[0] & 7;
  const version = (answer[0] >> 3) & 7;
  const stratum = answer[1];
  if (mode !== 4) throw new Error(`not a server answer (mode ${mode})`);
  if (version < 3) throw new Error(`unsupported NTP version ${version}`);
  if (stratum === 0) {
    const code = String.fromCharCode(answer[12], answer[13], answer[14], answer[15]).replace(/[^ -~]/g, '?');
    throw new Error(`kiss-o'-death ${code}`);
  }
  if (stratum > 15) throw new Error(`server unsynchronized (stratum ${stratum})`);
  if (li === 3) throw new Error('server clock not synchronized (leap indicator 3)');
  // The originate timestamp must echo our transmit timestamp: anything else is not the answer to this request.
  for (let i = 0; i < 8; i++) if (answer[24 + i] !== request[40 + i]) throw new Error('answer does not echo the request (originate timestamp)');
  if (view.getUint32(40) === 0 && view.getUint32(44) === 0) throw new Error('transmit timestamp is zero');
  const t2 = readTimestamp(view, 32);
  const t3 = readTimestamp(view, 40);
  return { stratum, offsetMs: ((t2 - t1) + (t3 - t4)) / 2, delayMs: (t4 - t1) - (t3 - t2) };
}
