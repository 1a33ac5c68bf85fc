/**
 * The kernel devices the Linux board's drivers use, as a real kernel answers (QEMU guest, see test/qemu/guest.ts):
 * MEMGETINFO on mtdram NOR, a misaligned MEMERASE refused with EINVAL, vfb's geometry and memory, and a uinput
 * keypad whose key taps arrive as 24-byte input events. This is the harness's own check: when it fails, the board
 * tests next to it cannot be trusted either.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { bundleForGuest, guestNode } from './guest-bundle';
import { withGuestResults, requireGuest, reportGuestRun } from './guest-session';
import { bootGuest } from './guest';

test('mtdram, vfb and uinput answer the requests the Linux HAL makes', async () => {
  requireGuest();
  await withGuestResults(async (results) => {
    const probe = bundleForGuest(path.join(__dirname, 'guest-scripts/probe-devices.ts'), path.join(results, 'probe-devices.js'));
    const report = path.join(results, 'probe.json');
    const run = await bootGuest({
      resultsDir: results, timeoutMs: 90_000,
      script: [
        'modprobe mtdram total_size=1600 erase_size=4 || exit 10',
        'modprobe uinput && modprobe evdev || exit 11',
        'modprobe vfb vfb_enable=1 mode_option=320x240-16 || exit 12',
        guestNode(probe, [report]),
      ].join('\n'),
    });
    reportGuestRun('kernel devices', run);
    assert.is(run.exitCode, 0, `guest run failed: ${run.failure ?? ''}\n${run.console}`);
    const probed = JSON.parse(fs.readFileSync(report, 'utf8'));
    // mtdram reports MTD_RAM (1), not MTD_NORFLASH (3): erase blocks and byte writes as NOR, so drivers must not insist on the type.
    assert.equal(probed.mtd, { type: 1, size: 1600 * 1024, erasesize: 4096 }, 'mtdram of the asked geometry');
    assert.is(probed.alignedErase, null);
    assert.is(probed.misalignedErase, 'EINVAL');
    assert.equal(probed.fb, { virtualSize: '320,240', bitsPerPixel: 16, stride: 640 });
    assert.is(probed.fbReadBack, '12345678');
    assert.match(probed.keypadDevice, /^\/dev\/input\/event\d+$/);
    assert.equal(probed.keyEvents, [[6, 1], [6, 0]]);
    assert.ok(probed.keypadGoneAfterDestroy);
  });
});

test.run();
