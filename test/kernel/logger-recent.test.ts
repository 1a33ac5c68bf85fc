/**
 * The lines of the boot before the flash log exists: kept in RAM (at most the
 * ring's size) until the flash log takes them, none after (every idle phone
 * held its last 200 lines, ~25 KiB, for as long as it ran).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Logger } from '../../firmware/kernel/logger';

test('the boot lines are kept until a sink takes them, and no line after', () => {
  const logger = new Logger(() => 0, 0, 3);
  const log = logger.component('test');
  for (const n of [1, 2, 3, 4]) log.info(`line ${n}`);
  assert.equal(logger.recent().map((l) => l.split('|').pop()), ['line 2', 'line 3', 'line 4'], 'bounded by the ring size');
  const taken: string[] = [];
  for (const line of logger.takeRecent()) taken.push(line);
  logger.addSink((line) => { taken.push(line); });
  log.info('line 5');
  assert.equal(taken.map((l) => l.split('|').pop()), ['line 2', 'line 3', 'line 4', 'line 5']);
  assert.equal(logger.recent(), []);
  assert.equal(logger.takeRecent(), []);
});

test.run();
