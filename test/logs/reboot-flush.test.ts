/**
 * A reboot asked for by the firmware (kernel.reboot, e.g. a reboot-flagged
 * parameter changed) writes the log lines still waiting in RAM first, so the
 * next boot's log shows why the phone rebooted.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RotatingLogFile } from '../../firmware/logs/rotating-log-file';
import { FileStore } from '../../firmware/storage/file-store';
import { bootLogPhone, logLines } from './log-phone';

test('kernel.reboot flushes the RAM buffer before the phone restarts', async () => {
  const p = await bootLogPhone({ site: {} });
  logLines(p, 3, 60, 'calls', 'before-reboot');
  assert.ok(p.booted.logs.writer.bufferedLines() >= 3, 'lines wait in RAM');
  p.booted.kernel.reboot('test: parameter needs a reboot');
  assert.is(p.booted.logs.writer.bufferedLines(), 0);
  // What the next boot finds on flash (no timer ran in between).
  const store = FileStore.mount(p.flash.open('fs'), p.devices.crypto);
  const app = new RotatingLogFile(store, 'app', () => ({ maxBytes: 1 << 20, maxFiles: 4 })).text();
  assert.is(app.split('\n').filter((l) => l.includes('|before-reboot ')).length, 3);
});

test.run();
