/**
 * The last good copy of every file downloaded from the provisioning server,
 * in the `fs` flash store, with the validators (ETag, Last-Modified) the
 * server gave for it, so the next cycle asks with If-None-Match /
 * If-Modified-Since and an unchanged file costs a 304 and no body.
 *
 * A file is kept only once it was accepted (decrypted, parsed): a bad copy
 * never replaces a good one, and no validator is kept for a bad copy, so the
 * server is asked for the whole file again next time (spec: the phone keeps
 * trying until the server provides a file it can read).
 *
 * Config files' texts are kept by the config service (its own cache); here
 * only their validators. Directory files' texts are kept here, under data
 * class `directory` (personal: sealed by the store). Index and body are
 * written in one transaction, so a power cut leaves the old or the new pair.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { DataClassId } from '../storage/data-classes';
import type { FileStore } from '../storage/file-store';
import type { Crypto } from '../../hal/contract';
import { DownloadStaging, type StagedFile } from './download-staging';

export type CacheStore = Pick<FileStore, 'read' | 'transaction' | 'list' | 'append' | 'delete'>;

/** Prefix of the cached bodies' paths (`prov/f<n>`). */
const BODY_PREFIX = 'prov/f';

export interface Validators {
  etag?: string;
  lastModified?: string;
}

interface IndexEntry extends Validators {
  /** SHA-256 (hex) of the body as downloaded: a server without validators re-sending the same file is not a change. */
  digest?: string;
  /** Absent: the text is kept elsewhere (config service). */
  path?: string;
  cls: DataClassId;
}

interface CacheIndex {
  entries: Record<string, IndexEntry>;
  next: number;
}

const INDEX = 'prov/index.json';

export class DownloadCache {
  private index: CacheIndex = { entries: {}, next: 1 };

  constructor(private readonly store: CacheStore, onError: (msg: string) => void) {
    const bytes = store.read(INDEX);
    if (!bytes) return;
    try {
      const parsed = JSON.parse(utf8Decode(bytes)) as CacheIndex;
      if (!parsed || typeof parsed.entries !== 'object' || typeof parsed.next !== 'number') throw new Error('bad shape');
      this.index = parsed;
    } catch (e) {
      onError(`download cache index unreadable (${(e as Error).message}): every file is downloaded again`);
    }
    this.deleteOrphans();
  }

  /** Bodies no entry refers to: a download streamed to flash and cut short (power cut) before it was adopted. */
  private deleteOrphans(): void {
    const referenced = new Set(Object.values(this.index.entries).map((e) => e.path));
    try {
      for (const f of this.store.list(BODY_PREFIX)) if (!referenced.has(f.path)) this.store.delete(f.path);
    } catch {
      // Flash failing: tried again at the next start; the numbers handed out skip nothing in use.
    }
  }

  /** A body to stream to flash as it downloads (data class `cls`); `adopt` it once accepted, else `discard` it. */
  stage(crypto: Crypto, cls: DataClassId): DownloadStaging {
    // The number is taken now (the index that records it is written with the adoption or any other change):
    // an orphan left by a power cut is deleted at the next start, before the number is handed out again.
    const path = `${BODY_PREFIX}${this.index.next}`;
    this.index = { ...this.index, next: this.index.next + 1 };
    return new DownloadStaging(this.store, crypto, path, cls);
  }

  /** A streamed body accepted as the copy of `key`: the index refers to it (and no more to the copy before it), in one transaction. */
  adopt(key: string, file: StagedFile, validators: Validators, cls: DataClassId): void {
    const existing = this.index.entries[key];
    const entry: IndexEntry = { cls, ...validators, path: file.path, digest: file.digest };
    const next: CacheIndex = { entries: { ...this.index.entries, [key]: entry }, next: this.index.next };
    this.store.transaction((tx) => {
      if (existing?.path && existing.path !== file.path) tx.delete(existing.path);
      tx.write(INDEX, utf8Encode(JSON.stringify(next)), { cls: 'config' });
    });
    this.index = next;
  }

  /** Validators to send for `key`: only when the body they describe is still here. */
  validators(key: string): Validators {
    const e = this.index.entries[key];
    if (!e || (e.path && !this.store.read(e.path))) return {};
    return { ...(e.etag ? { etag: e.etag } : {}), ...(e.lastModified ? { lastModified: e.lastModified } : {}) };
  }

  /** Digest of the accepted body, if known. */
  digest(key: string): string | undefined {
    return this.index.entries[key]?.digest;
  }

  text(key: string): string | null {
    const e = this.index.entries[key];
    const bytes = e?.path ? this.store.read(e.path) : null;
    return bytes ? utf8Decode(bytes) : null;
  }

  has(key: string): boolean {
    return this.text(key) !== null;
  }

  /** Remember an accepted file: its validators, and its text unless `text` is null (kept by the config service). */
  save(key: string, text: string | null, validators: Validators, cls: DataClassId, digest?: string): void {
    const existing = this.index.entries[key];
    const reuse = existing?.path && existing.cls === cls;
    const path = text === null ? undefined : reuse ? existing!.path! : `prov/f${this.index.next}`;
    const entry: IndexEntry = { cls, ...validators, ...(path ? { path } : {}), ...(digest ? { digest } : {}) };
    const next: CacheIndex = {
      entries: { ...this.index.entries, [key]: entry },
      next: path && !reuse ? this.index.next + 1 : this.index.next,
    };
    this.store.transaction((tx) => {
      if (existing?.path && existing.path !== path) tx.delete(existing.path);
      if (path && text !== null) tx.write(path, utf8Encode(text), { cls });
      tx.write(INDEX, utf8Encode(JSON.stringify(next)), { cls: 'config' });
    });
    this.index = next;
  }

  /** Drop the validators of `key` so the next request downloads the whole file (its text, if kept here, stays). */
  invalidate(key: string): void {
    const e = this.index.entries[key];
    if (!e || (!e.etag && !e.lastModified)) return;
    const next = { ...this.index, entries: { ...this.index.entries, [key]: { cls: e.cls, ...(e.path ? { path: e.path } : {}) } } };
    this.store.transaction((tx) => tx.write(INDEX, utf8Encode(JSON.stringify(next)), { cls: 'config' }));
    this.index = next;
  }

  /** Forget files no longer listed (so a file removed from CONFIG_FILES stops applying). */
  keepOnly(keys: readonly string[]): void {
    const drop = Object.keys(this.index.entries).filter((k) => !keys.includes(k));
    if (drop.length === 0) return;
    const entries = { ...this.index.entries };
    for (const k of drop) delete entries[k];
    const next = { ...this.index, entries };
    this.store.transaction((tx) => {
      for (const k of drop) {
        const path = this.index.entries[k].path;
        if (path) tx.delete(path);
      }
      tx.write(INDEX, utf8Encode(JSON.stringify(next)), { cls: 'config' });
    });
    this.index = next;
  }

  keys(): string[] {
    return Object.keys(this.index.entries);
  }
}
