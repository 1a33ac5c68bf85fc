/** The forensic scanner: raw occurrences in UTF-8, UTF-16LE and UTF-16BE, placed by partition and block. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeHit, encodeNeedle, findRawStrings } from '../../sim/forensics/scan';

const GEOMETRY = { blockSize: 256, progSize: 16, partitions: [{ name: 'nvram', size: 512 }, { name: 'fs', size: 1024 }] };

test('finds every encoding, overlapping and repeated hits, and places them', () => {
  const image = Buffer.alloc(1536, 0xff);
  Buffer.from('Alice', 'utf8').copy(image, 10);
  Buffer.from('Alice', 'utf16le').copy(image, 600);
  encodeNeedle('Alice', 'utf-16be').copy(image, 1000);
  Buffer.from('AliceAlice', 'utf8').copy(image, 1300);
  Buffer.from('Zoë', 'utf8').copy(image, 1400);
  const hits = findRawStrings(image, ['Alice', 'Zoë', '', 'Alice'], GEOMETRY);
  assert.equal(hits.map((h) => [h.needle, h.encoding, h.offset, h.partition, h.partitionOffset, h.block]), [
    ['Alice', 'utf-8', 10, 'nvram', 10, 0],
    ['Alice', 'utf-16le', 600, 'fs', 88, 0],
    ['Alice', 'utf-16be', 1000, 'fs', 488, 1],
    ['Alice', 'utf-8', 1300, 'fs', 788, 3],
    ['Alice', 'utf-8', 1305, 'fs', 793, 3],
    ['Zoë', 'utf-8', 1400, 'fs', 888, 3],
  ]);
  assert.match(describeHit(hits[1]), /"Alice" utf-16le at fs\+0x58 \(block 0\), dump offset 0x258/);
});

test('nothing found in a blank image; works on a Uint8Array view and without geometry', () => {
  assert.equal(findRawStrings(new Uint8Array(4096).fill(0xff), ['x']), []);
  const buf = new Uint8Array(8192);
  buf.set(Buffer.from('secret'), 5000);
  const [h] = findRawStrings(buf.subarray(4096), ['secret']);
  assert.equal([h.offset, h.partition, h.block], [904, null, 0]);
});

test.run();
