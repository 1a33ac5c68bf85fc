/**
 * The password prompts' attempt records on flash: one small file per prompt
 * in the nvram store (`auth/attempts/menu`, `auth/attempts/login`, class
 * deviceSettings), so recording an attempt rewrites a fixed-size record
 * instead of the whole device-settings file (whose size depends on what
 * else is set).
 *
 * Firmware before this file kept the counts in device settings
 * (`auth.throttle.<prompt>`): they are read when no record exists yet, and
 * removed once the record holds them, so an update gives no fresh attempts.
 */
import type { AttemptRecordStore, PromptKind } from './attempt-throttle';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';

export interface LegacySettings {
  get(name: string): string | undefined;
  remove(name: string): void;
}

export function attemptRecordPath(prompt: PromptKind): string {
  return `auth/attempts/${prompt}`;
}

export class NvramAttemptRecords implements AttemptRecordStore {
  constructor(private readonly nvram: FileStore, private readonly legacy: LegacySettings) {}

  read(prompt: PromptKind): string | undefined {
    const bytes = this.nvram.read(attemptRecordPath(prompt));
    return bytes ? utf8Decode(bytes) : this.legacy.get(legacyName(prompt));
  }

  write(prompt: PromptKind, record: string): void {
    this.nvram.write(attemptRecordPath(prompt), utf8Encode(record), { cls: 'deviceSettings' });
    if (this.legacy.get(legacyName(prompt)) === undefined) return;
    try {
      this.legacy.remove(legacyName(prompt));
    } catch {
      // The record already wins over the legacy value; it goes with a later write.
    }
  }
}

function legacyName(prompt: PromptKind): string {
  return `auth.throttle.${prompt}`;
}
