/**
 * What an idle blank phone keeps in its QuickJS heap, which every phone of a
 * fleet pays for (phones per GiB of host memory, docs/performance.md):
 * - the flash store's per-block state for the desk-500's 1,040 blocks sits
 *   in typed arrays (firmware/storage/block-table.ts), not an object per
 *   block (~120 bytes each, ~125 KiB a phone);
 * - the log package's compressor (fflate's tables, ~190 KiB) is loaded at
 *   the first package, not at boot (firmware/logs/log-package.ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPhone } from '../../sim/phone';

const KIB = 1024;
/**
 * An idle blank phone sharing its code is charged ~705 KiB; ~830 KiB with an
 * object per block, ~895 KiB with the compressor loaded at boot. The bound
 * sits below both.
 */
const IDLE_BLANK_PHONE_BOUND = 790 * KIB;

test('an idle blank desk-500 phone holds neither an object per flash block nor the log compressor', async () => {
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', sharedCode: true, mac: '0004f2b10001' });
  try {
    await phone.boot();
    assert.is(phone.screen().id, 'idle');
    assert.equal(phone.faults, []);
    const charged = phone.memoryUsage();
    assert.ok(charged < IDLE_BLANK_PHONE_BOUND, `charged ${charged} bytes, bound ${IDLE_BLANK_PHONE_BOUND}`);
  } finally {
    phone.dispose();
  }
});

test.run();
