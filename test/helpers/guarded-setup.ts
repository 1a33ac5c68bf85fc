/**
 * uvu 0.5 swallows an error thrown by a `before` hook: the suite reports
 * "0 / N" and exits 0. `guardedBefore` keeps the setup error and fails every
 * test of the suite with it instead.
 */
import type { Test } from 'uvu';

export function guardedBefore<T>(test: Test<T>, setup: (ctx: T) => Promise<void> | void): void {
  let setupError: unknown = null;
  test.before(async (ctx) => {
    try {
      await setup(ctx);
    } catch (e) {
      setupError = e;
    }
  });
  test.before.each(() => {
    if (setupError) throw setupError;
  });
}
