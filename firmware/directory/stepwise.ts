/**
 * Work cut into bounded steps: a generator that yields between pieces of
 * work, so a long job (merging a 10,000-entry global directory) can run one
 * piece per event within the board's per-event CPU allowance, or all at once
 * where that is allowed (at boot, in tests).
 */
export type Stepwise<T> = Generator<void, T, void>;

/** Run every step now. */
export function runToEnd<T>(steps: Stepwise<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Calls `visit` for each element of `list`, yielding after every `per` of them. */
export function* eachStepwise<T>(list: readonly T[], per: number, visit: (item: T, index: number) => void): Stepwise<void> {
  for (let i = 0; i < list.length; i++) {
    visit(list[i], i);
    if ((i + 1) % per === 0) yield;
  }
}
