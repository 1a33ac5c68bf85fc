/**
 * Netstrings (`<length>:<bytes>,`), the framing of baresip's ctrl_tcp.
 * The decoder takes TCP chunks as they come and yields whole payloads; a
 * malformed frame (bad length, missing comma, oversized) is an error the
 * caller reports, after which the stream cannot be trusted.
 */
export const MAX_NETSTRING_BYTES = 1024 * 1024;

export function encodeNetstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

export class NetstringDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  /** Feed bytes; returns the complete payloads. Throws on a malformed frame. */
  push(chunk: Buffer): string[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: string[] = [];
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) {
        if (this.buffer.length > 10) throw new Error('netstring: no length prefix');
        return out;
      }
      const digits = this.buffer.subarray(0, colon).toString('latin1');
      if (!/^\d{1,7}$/.test(digits)) throw new Error(`netstring: bad length "${digits.slice(0, 12)}"`);
      const length = Number(digits);
      if (length > MAX_NETSTRING_BYTES) throw new Error(`netstring: frame of ${length} bytes exceeds ${MAX_NETSTRING_BYTES}`);
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) return out;
      if (this.buffer[end] !== 0x2c) throw new Error('netstring: frame not terminated by ","');
      out.push(this.buffer.subarray(colon + 1, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 1);
    }
  }
}
