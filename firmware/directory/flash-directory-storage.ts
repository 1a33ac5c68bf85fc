/**
 * Directory pages on the flash store, in the personal `directory` data class
 * (encrypted, per user, erased by the resets that remove the directory; a
 * user's folder also by the login module at their logout).
 * One folder per directory owner: `dir/<owner>/` (`phone` without a user).
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore, Transaction } from '../storage/file-store';
import type { DirectoryStorage } from './merged-directory';
import type { PageChanges } from './sorted-pages';

/** The user's own contacts live beside the index pages and are committed with them. */
export const LOCAL_PAGE = 'local';

/** A user id as a path segment: letters, digits, `.`, `_`, `-` kept; anything else as `%XX`. */
export function ownerSegment(user: string | null): string {
  if (user === null) return 'phone';
  return 'u-' + user.replace(/[^A-Za-z0-9._-]/g, (ch) => '%' + ch.charCodeAt(0).toString(16));
}

export class FlashDirectoryStorage implements DirectoryStorage {
  private readonly folder: string;
  private staged: PageChanges = new Map();
  /** The next commit is a user's delete: it re-keys the owner's directory (delete is erase). */
  private erasing = false;

  constructor(private readonly fs: FileStore, private readonly user: string | null) {
    this.folder = `dir/${ownerSegment(user)}/`;
  }

  read(name: string): string | null {
    const bytes = this.fs.read(this.folder + name);
    return bytes === null ? null : utf8Decode(bytes);
  }

  /** Whether the page is stored, without reading it. */
  has(name: string): boolean {
    return this.fs.exists(this.folder + name);
  }

  /** Carry this page write in the next commit (the local contacts with the index change they cause). */
  stage(name: string, text: string): void {
    this.staged.set(name, text);
  }

  /** Make the next commit erase what it replaces or deletes (a contact the user deleted): one re-key of this owner's directory. */
  stageErase(): void {
    this.erasing = true;
  }

  /** A rebuild's new pages, each batch its own transaction: no index refers to them until the commit. */
  writeAhead(pages: PageChanges): void {
    const opts = this.classOptions();
    this.fs.transaction((tx) => {
      for (const [name, text] of pages) if (text !== null) tx.write(this.folder + name, utf8Encode(text), opts);
    });
  }

  private classOptions(): { cls: 'directory'; user?: string } {
    return this.user === null ? { cls: 'directory' } : { cls: 'directory', user: this.user };
  }

  commit(changes: PageChanges): void {
    const all = new Map([...changes, ...this.staged]);
    const erasing = this.erasing;
    this.staged = new Map();
    this.erasing = false;
    const opts = this.classOptions();
    const apply = (tx: Transaction) => {
      for (const [name, text] of all) {
        if (text === null) tx.delete(this.folder + name);
        else tx.write(this.folder + name, utf8Encode(text), opts);
      }
    };
    if (erasing) this.fs.rekeyClass('directory', this.user ?? '', apply);
    else this.fs.transaction(apply);
  }

  existing(): string[] {
    return this.fs.list(this.folder).map((f) => f.path.slice(this.folder.length)).filter((n) => n !== LOCAL_PAGE);
  }

  /** Forget a staged write that did not get committed (the commit failed). */
  dropStaged(): void {
    this.staged = new Map();
    this.erasing = false;
  }
}
