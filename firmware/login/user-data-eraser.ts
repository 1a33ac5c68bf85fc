/**
 * What a logout removes from the phone, and who still has some of it on
 * flash. Classes: every per-user class whose declaration lists `userLogout`,
 * plus the call lists unless `callLists.eraseAtLogout=0` (the calls module
 * erases those itself at a logout it sees; a logout finished at boot has no
 * calls module watching, so this eraser covers them when anything is left).
 * `userProfile` always goes last: it holds the session and the logout marker
 * (logout-journal.ts).
 */
import type { Crypto } from '../../hal/contract';
import type { ConfigService } from '../config/config-service';
import type { ComponentLogger } from '../kernel/logger';
import type { ModuleRegistry } from '../kernel/module-registry';
import { classKeysOf, parseClassKeyName, type DataClassId } from '../storage/data-classes';
import type { FileStore } from '../storage/file-store';
import { party } from '../kernel/party';

export interface UserDataEraserDeps {
  fs: FileStore;
  crypto: Crypto;
  config: ConfigService;
  modules: Pick<ModuleRegistry, 'dataClasses'>;
  log: ComponentLogger;
}

export class UserDataEraser {
  constructor(private readonly d: UserDataEraserDeps) {}

  /** Classes a logout erases, `userProfile` last. */
  classes(): DataClassId[] {
    const out: DataClassId[] = [];
    for (const c of this.d.modules.dataClasses()) {
      const cls = c.storageClass as DataClassId;
      if (c.perUser && c.removedBy.includes('userLogout') && cls !== 'userProfile' && !out.includes(cls)) out.push(cls);
    }
    if (this.d.config.get('callLists.eraseAtLogout') !== '0' && !out.includes('callLists')) out.push('callLists');
    out.push('userProfile');
    return out;
  }

  /**
   * Erase one user's classes (key destroyed, blocks erased). Declared classes
   * always; the call lists only when something of them is left (the calls
   * module normally erased them on `user:changed`). A failure is logged and
   * the rest goes on: the logout marker makes the next boot finish the job.
   */
  erase(user: string, reason: string): void {
    for (const cls of this.classes()) {
      if (cls === 'callLists' && !this.holds(user, cls)) continue;
      try {
        const r = this.d.fs.eraseClass(cls, user);
        this.d.log.info(`${party(user, 'user')}: ${cls} erased (${r.blocksErased} blocks)`);
      } catch (e) {
        this.d.log.error(`${party(user, 'user')}: erasing ${cls} failed (${(e as Error).message}); finished at the next boot`);
      }
    }
    this.d.log.info(`${party(user, 'user')}: data cleared from the phone (${reason})`);
  }

  /** Users other than `keep` who have data of a logout class on the phone (a file, or a key that may still seal stale records). */
  usersWithData(keep: string | null): string[] {
    const users = new Set<string>();
    const classes = this.classes();
    for (const key of this.d.crypto.listKeys('store.')) {
      const k = parseClassKeyName(key);
      if (k && classes.includes(k.cls)) users.add(k.user);
    }
    for (const f of this.d.fs.list()) if (f.user && classes.includes(f.cls)) users.add(f.user);
    users.delete('');
    if (keep !== null) users.delete(keep);
    return [...users].sort();
  }

  private holds(user: string, cls: DataClassId): boolean {
    // Any key generation of theirs (a re-key appends one: firmware/storage/data-classes.ts).
    const hasKey = classKeysOf(this.d.crypto, cls).some((k) => k.user === user);
    return hasKey || this.d.fs.list().some((f) => f.cls === cls && f.user === user);
  }
}
