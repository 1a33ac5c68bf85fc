/**
 * The QuickJS heap a booted blank idle phone is charged in a shared-code
 * runtime: what phones per GiB of host memory count once per phone
 * (docs/performance.md, "QuickJS heap per idle phone"). A budget: it was
 * 1,016 KiB before the configuration registry, the renderer's band, the
 * console fonts, the glyph index, the web pages and the other languages'
 * catalogs stopped being held by every idle phone (884 KiB after).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPhone, type Phone } from '../../sim/phone';

const KIB = 1024;
const BUDGET = 960 * KIB;

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
