/**
 * The erased-flash check behind every class erase and every fresh head
 * block: one stray programmed byte anywhere in the range (chunk edges
 * included) makes the range not clean.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isClean } from '../../firmware/storage/record-format';

test('isClean: any byte not 0xFF in [from, to) is found, wherever it is; outside the range it does not count', () => {
  const bytes = new Uint8Array(4096 * 2 + 100).fill(0xff);
  assert.ok(isClean(bytes, 0, bytes.length));
  assert.ok(isClean(bytes, 10, 10), 'an empty range is clean');
  for (const at of [0, 1, 2047, 2048, 2049, 4095, 4096, 8191, bytes.length - 1]) {
    bytes[at] = 0xfe;
    assert.not.ok(isClean(bytes, 0, bytes.length), `a stray byte at ${at}`);
    assert.ok(at === 0 || isClean(bytes, 0, at), `before ${at}`);
    assert.ok(isClean(bytes, at + 1, bytes.length), `after ${at}`);
    bytes[at] = 0xff;
  }
});
