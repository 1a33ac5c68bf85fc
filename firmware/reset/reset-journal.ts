/**
 * The reset intent: the one record that makes a reset crash-consistent. The
 * single reset entry point (`commitResetIntent`, called by the keypad menus,
 * the updater's key combination and the web interface) writes it to nvram in
 * its own data class, which no reset removes; the boot that follows does the
 * erasing (reset-at-boot.ts) and clears it last. A power cut before the
 * commit: nothing happened. After it: the next boot finishes the variant.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import { resetVariant, type ResetVariantId } from './reset-variants';

export const RESET_INTENT_PATH = 'reset/intent.json';

export interface ResetIntent {
  variant: ResetVariantId;
  /** Per-user variants: whose data ('' = the phone's own). */
  user?: string;
  /** Who asked, for the audit line: 'admin (keypad)', 'updater key combination', ... */
  by: string;
  /** Wall time of the request, ms. */
  at: number;
  /** Device settings to write back after their class is erased (e.g. the admin password hash for Reset to Factory Partial). */
  keep: Record<string, string>;
}

type JournalStore = Pick<FileStore, 'write' | 'read'>;

/** Commit the intent: from here on the reset will complete, power cut or not. */
export function commitResetIntent(nvram: JournalStore, intent: ResetIntent): void {
  nvram.write(RESET_INTENT_PATH, utf8Encode(JSON.stringify(intent)), { cls: 'resetJournal' });
}

/** The committed, unfinished intent, or null. One that cannot be read is reported and treated as absent. */
export function pendingResetIntent(nvram: JournalStore, log: (m: string) => void): ResetIntent | null {
  const bytes = nvram.read(RESET_INTENT_PATH);
  if (!bytes) return null;
  try {
    const parsed = JSON.parse(utf8Decode(bytes)) as ResetIntent;
    if (!parsed || typeof parsed !== 'object' || !resetVariant(parsed.variant)) throw new Error('unknown variant');
    const keep: Record<string, string> = {};
    for (const [k, val] of Object.entries(parsed.keep ?? {})) if (typeof val === 'string') keep[k] = val;
    return {
      variant: parsed.variant, by: String(parsed.by ?? '?'), at: Number(parsed.at) || 0, keep,
      ...(typeof parsed.user === 'string' ? { user: parsed.user } : {}),
    };
  } catch (e) {
    log(`reset: intent record unreadable (${(e as Error).message}): ignored`);
    return null;
  }
}
