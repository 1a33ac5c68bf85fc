/**
 * IdentitySet: the identities met in one pass over a directory file, kept as
 * hashes. A matching hash is confirmed by reading the earlier identity again,
 * so colliding identities stay apart; the table grows as identities come.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IdentitySet } from '../../firmware/directory/identity-set';

test('the first value stored for an identity is found again, a new identity is added', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `+4930${String(i).padStart(6, '0')}`);
  const set = new IdentitySet(undefined, 8);
  const at = (ref: number) => ids[ref];
  ids.forEach((id, i) => assert.is(set.firstOrAdd(id, i + 1, i, at), 0, id));
  ids.forEach((id, i) => assert.is(set.firstOrAdd(id, 99_999, i, at), i + 1, `${id} again`));
});

test('identities whose hashes collide stay apart: the earlier identity is read again to decide', () => {
  const ids = ['alice', 'bob', 'carol', 'dave', 'alice'];
  let readsAgain = 0;
  // Every identity hashes alike: each lookup walks the others and asks for each one's identity.
  const set = new IdentitySet(() => 7, 4);
  const at = (ref: number) => { readsAgain++; return ids[ref]; };
  assert.is(set.firstOrAdd('alice', 1, 0, at), 0);
  assert.is(set.firstOrAdd('bob', 2, 1, at), 0);
  assert.is(set.firstOrAdd('carol', 3, 2, at), 0);
  assert.is(set.firstOrAdd('dave', 4, 3, at), 0);
  assert.ok(readsAgain >= 6, 'colliding hashes were confirmed by reading again');
  assert.is(set.firstOrAdd('alice', 5, 4, at), 1, 'the duplicate is found');
  assert.is(set.firstOrAdd('erin', 6, 5, () => null), 0, 'an earlier item that no longer reads is no match');
});

test.run();
