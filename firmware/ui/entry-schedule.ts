/** Kernel timers as text entry needs them: run `fn` after `ms`, cancellable (password echo, multi-tap pause). */
import type { Kernel } from '../kernel/kernel';
import type { EntrySchedule } from './password-screen';

export function entrySchedule(kernel: Kernel): EntrySchedule {
  return (ms, fn) => {
    const id = kernel.timers.after(ms, 'text entry', fn);
    return () => kernel.timers.cancel(id);
  };
}
