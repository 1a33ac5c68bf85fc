/** SpeedDialOwners: the first item to claim a speed dial index keeps it; indexes compare as the file writes them. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpeedDialOwners } from '../../firmware/directory/speed-dial-owners';

test('the first claim wins; "1" and "01" are different indexes, as the strings were before', () => {
  const owners = new SpeedDialOwners();
  assert.is(owners.claim('1', 3), 0);
  assert.is(owners.claim('9999', 4), 0);
  assert.is(owners.claim('1', 7), 3);
  assert.is(owners.claim('01', 8), 0);
  assert.is(owners.claim('01', 9), 8);
  assert.is(owners.claim('12345', 10), 0, 'out of range: kept apart');
  assert.is(owners.claim('12345', 11), 10);
  assert.is(owners.claim('9999', 12), 4);
});

test.run();
