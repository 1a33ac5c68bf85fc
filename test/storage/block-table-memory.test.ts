/**
 * The flash store's per-block state costs little QuickJS heap: the
 * desk-500's 1,040 blocks (fs and nvram) are kept in typed arrays
 * (firmware/storage/block-table.ts), not an object per block (~120 bytes
 * each, ~125 KiB a phone). Every idle phone holds them, so they count in
 * phones per GiB of host memory.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPhone } from '../../sim/phone';

const KIB = 1024;
/**
 * An idle blank phone sharing its code was charged 1,023 KiB with an object
 * per block and 894 KiB with the typed arrays; the bound sits between.
 */
const IDLE_BLANK_PHONE_BOUND = 960 * KIB;

test('an idle blank desk-500 phone holds its block tables without an object per block', async () => {
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
