/**
 * The HAL's UTF-8 codec on a Node host (the simulator and the Linux board
 * alike). Node's codec agrees with the firmware's reference on well-formed
 * text and on lone surrogates; malformed bytes, where replacement counts
 * could differ, go to the reference decoder itself.
 */
import type { TextCodec } from '../contract';
import { utf8DecodeByCodePoint } from '../../firmware/kernel/text-codec';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const nativeTextCodec: TextCodec = {
  encode: (text) => new Uint8Array(Buffer.from(text, 'utf8')),
  decode: (bytes) => {
    try {
      return strict.decode(bytes);
    } catch {
      return utf8DecodeByCodePoint(bytes);
    }
  },
};
