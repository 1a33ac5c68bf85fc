/**
 * The one reset entry point of the running phone: the keypad menus call it,
 * and so will the web interface. It commits the intent (reset-journal.ts),
 * writes the audit line, deletes what the variant removes on the
 * provisioning server, and reboots; the boot completes the variant
 * (reset-at-boot.ts), exactly as after a power cut.
 */
import { party } from '../kernel/party';
import type { ComponentLogger } from '../kernel/logger';
import type { FileStore } from '../storage/file-store';
import { commitResetIntent } from './reset-journal';
import { resetVariant, type ResetVariantId } from './reset-variants';

export interface ServerClearResult { file: string; status: string; reason?: string }

export interface ResetServiceDeps {
  nvram: Pick<FileStore, 'write' | 'read'>;
  setting: (name: string) => string | undefined;
  now: () => number;
  log: ComponentLogger;
  /** The logged-in user, null when nobody is. */
  currentUser: () => string | null;
  /** DELETE the uploaded call lists and directory (of `user`, or the phone's own) on the provisioning server. */
  clearServer: (user: string | undefined, done: (results: ServerClearResult[]) => void) => void;
  reboot: (reason: string) => void;
}

export class ResetService {
  private running: ResetVariantId | null = null;

  constructor(private readonly d: ResetServiceDeps) {}

  /** Run a variant: `by` names who asked (audit). Returns false when a reset is already under way. */
  request(variant: ResetVariantId, by: string): boolean {
    const info = resetVariant(variant);
    if (!info) throw new Error(`unknown reset variant ${variant}`);
    if (this.running) return false;
    this.running = variant;
    const user = info.perUser ? this.d.currentUser() ?? '' : undefined;
    const keep: Record<string, string> = {};
    for (const name of info.keepsSettings) {
      const value = this.d.setting(name);
      if (value !== undefined) keep[name] = value;
    }
    commitResetIntent(this.d.nvram, { variant, by, at: this.d.now(), keep, ...(user !== undefined ? { user } : {}) });
    this.d.log.notice(`reset: ${info.label}${user ? ` of user ${party(user, 'user')}` : ''} requested by ${by}: committed, completing at reboot`);
    const reboot = () => this.d.reboot(`reset: ${info.label}`);
    if (!info.clearsServer) {
      reboot();
      return true;
    }
    const owners: (string | undefined)[] = [undefined];
    const loggedIn = this.d.currentUser();
    if (loggedIn) owners.push(loggedIn);
    if (info.perUser) owners.splice(0, owners.length, user || undefined);
    let left = owners.length;
    for (const owner of owners) {
      this.d.clearServer(owner, (results) => {
        for (const r of results) {
          if (r.status === 'deleted') this.d.log.notice(`reset: ${r.file} deleted on the provisioning server`);
          else this.d.log.error(`reset: ${r.file} not deleted on the provisioning server (${r.reason ?? r.status})`);
        }
        if (--left === 0) reboot();
      });
    }
    return true;
  }

  /** The variant being run (between its request and the reboot). */
  inProgress(): ResetVariantId | null {
    return this.running;
  }
}
