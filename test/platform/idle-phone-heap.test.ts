/**
 * The QuickJS heap a booted blank idle phone is charged in a shared-code
 * runtime: what phones per GiB of host memory count once per phone
 * (docs/performance.md, "What an idle phone's heap holds"). A budget: it was
 * ~1,020 KiB before these stopped being held by every idle phone (~575 KiB
 * after):
 * - an object per flash block (firmware/storage/block-table.ts, ~125 KiB);
 * - the log package's compressor, fflate's tables (loaded at the first
 *   package, ~190 KiB);
 * - copies of the parameter declarations and per-parameter maps in the
 *   configuration registry (~100 KiB);
 * - the renderer's band, the console fonts' maps, the glyph index, the web
 *   pages and the other languages' catalogs (~45 KiB).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPhone, type Phone } from '../../sim/phone';

const KIB = 1024;
const BUDGET = 640 * KIB;

test(`a blank desk-500 idle phone sharing code is charged under ${BUDGET / KIB} KiB of QuickJS heap`, async () => {
  const phones: Phone[] = [];
  try {
    // The second phone of a runtime: the first one's boot leaves nothing it is charged for.
    for (const mac of ['0004f2a10001', '0004f2a10002']) {
      const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', sharedCode: true, mac });
      phones.push(phone);
      await phone.boot();
      assert.is(phone.screen().id, 'idle');
      assert.equal(phone.faults, []);
    }
    const charged = phones[1].memoryUsage();
    assert.ok(charged < BUDGET, `${Math.round(charged / KIB)} KiB charged`);
  } finally {
    for (const p of phones) p.dispose();
  }
});

test.run();
