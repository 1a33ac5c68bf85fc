/** PEM armour (RFC 7468) of DER bytes. */
import { base64Decode, base64Encode } from '../kernel/base64';

export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = base64Encode(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER of the first block labelled `label`, or null. */
export function pemDecode(label: string, pem: string): Uint8Array | null {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  return m ? base64Decode(m[1]) : null;
}
