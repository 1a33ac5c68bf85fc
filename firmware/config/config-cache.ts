/**
 * The last good copy of every configuration file, kept in the `fs` flash
 * store (data class `config`; a logged-in user's files under `userProfile`
 * with the user id; both sealed, as configuration carries passwords and
 * keys): master file, CONFIG_FILES files, override files. A file
 * is cached only after it parsed, so what boot reads back is always usable.
 * File names from the server may be URLs longer than a store path, so a small
 * manifest maps each name to a numbered cache path; manifest and text are
 * written in one transaction.
 *
 * Beside each CONFIG_FILES copy, its parameters as parsed (`cfg/file-N.attrs`:
 * JSON, the parser version and name/value pairs in document order), written
 * in the same transaction: a boot reads those instead of reading and parsing
 * the text again (a site file of 150 KiB, mostly comments, was a sixth of a
 * full phone's boot in QuickJS). They are used only while they and the text carry the same store
 * version (written together) and come from this parser (CFG_PARSE_VERSION);
 * otherwise the text is parsed as before, and the next save of the same text
 * writes both again once. Same class as the text, so every reset that erases
 * the text erases them.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { DataClassId } from '../storage/data-classes';
import type { FileStore } from '../storage/file-store';
import { CFG_PARSE_VERSION } from './cfg-xml';

export type ConfigCacheStore = Pick<FileStore, 'read' | 'readEach' | 'write' | 'delete' | 'transaction' | 'version'>;

/** A parameter as a file set it: name and value, in document order. */
export type CachedAttribute = [name: string, value: string];

interface Manifest {
  master: string | null;
  files: Record<string, string>;
  next: number;
}

const MANIFEST = 'cfg/manifest.json';
const MASTER = 'cfg/master.cfg';

export class ConfigCache {
  private manifest: Manifest = { master: null, files: {}, next: 1 };
  /**
   * The master file as read with the manifest, until `master()` takes it: a
   * boot reads both, and together they share flash reads and one decryption
   * (a host call each in QuickJS). Undefined: read it when asked.
   */
  private masterAtStart: Uint8Array | null | undefined;

  constructor(private readonly store: ConfigCacheStore, private readonly onError: (msg: string) => void) {
    const [bytes, master] = store.readEach([MANIFEST, MASTER]);
    if (bytes instanceof Error) throw bytes;
    // One that cannot be read is read again by master(), which reports it as before.
    if (!(master instanceof Error)) this.masterAtStart = master;
    if (!bytes) return;
    try {
      const m = JSON.parse(utf8Decode(bytes)) as Manifest;
      if (typeof m !== 'object' || m === null || typeof m.files !== 'object' || typeof m.next !== 'number') throw new Error('bad shape');
      this.manifest = { master: typeof m.master === 'string' ? m.master : null, files: { ...m.files }, next: m.next };
    } catch (e) {
      onError(`config cache manifest unreadable (${(e as Error).message}): cached files ignored`);
    }
  }

  master(): { name: string; text: string } | null {
    const atStart = this.masterAtStart;
    this.masterAtStart = undefined;
    if (!this.manifest.master) return null;
    const text = atStart === undefined ? this.readText(MASTER) : atStart && utf8Decode(atStart);
    return text === null ? null : { name: this.manifest.master, text };
  }

  saveMaster(name: string, text: string): void {
    // The same file every polling cycle must not wear the flash.
    if (this.manifest.master === name && this.readText(MASTER) === text) return;
    const next = { ...this.manifest, master: name };
    this.masterAtStart = undefined;
    this.store.transaction((tx) => {
      tx.write(MASTER, utf8Encode(text), { cls: 'config' });
      tx.write(MANIFEST, utf8Encode(JSON.stringify(next)), { cls: 'config' });
    });
    this.manifest = next;
  }

  fileNames(): string[] {
    return Object.keys(this.manifest.files);
  }

  file(name: string): string | null {
    const path = this.cachedPath(name);
    return path ? this.readText(path) : null;
  }

  /** `attributes`: the text's parameters as parsed, kept beside it so a boot need not parse it again. */
  saveFile(name: string, text: string, attributes?: CachedAttribute[]): void {
    const existing = this.cachedPath(name);
    // The same text: nothing to write, unless its parsed parameters are missing or stale (then both, once).
    if (existing && this.readText(existing) === text && (!attributes || this.fileAttributes(name) !== null)) return;
    const path = existing ?? `cfg/file-${this.manifest.next}.cfg`;
    const next: Manifest = { ...this.manifest, files: { ...this.manifest.files, [name]: path }, next: existing ? this.manifest.next : this.manifest.next + 1 };
    this.store.transaction((tx) => {
      tx.write(path, utf8Encode(text), { cls: 'config' });
      if (attributes) tx.write(attributesPath(path), utf8Encode(JSON.stringify({ parse: CFG_PARSE_VERSION, attributes })), { cls: 'config' });
      else tx.delete(attributesPath(path));
      tx.write(MANIFEST, utf8Encode(JSON.stringify(next)), { cls: 'config' });
    });
    this.manifest = next;
  }

  /** A cached file's parameters as parsed when it was saved, or null (none kept, or not written with this text: parse the text). */
  fileAttributes(name: string): CachedAttribute[] | null {
    const path = this.cachedPath(name);
    if (!path) return null;
    const version = this.store.version(path);
    if (version === null || version !== this.store.version(attributesPath(path))) return null;
    try {
      const kept = JSON.parse(utf8Decode(this.store.read(attributesPath(path))!)) as { parse?: unknown; attributes?: unknown };
      if (kept.parse !== CFG_PARSE_VERSION) return null; // parsed by another parser: the text is parsed again
      const list = kept.attributes;
      if (Array.isArray(list) && list.every((a) => Array.isArray(a) && a.length === 2 && typeof a[0] === 'string' && typeof a[1] === 'string')) return list as CachedAttribute[];
    } catch {
      // Unreadable: the text is parsed instead.
    }
    this.onError(`config cache: parsed parameters of ${name} unreadable; the file is parsed again`);
    return null;
  }

  /** Own keys only: CONFIG_FILES names come from the server ("constructor" is a file name, not Object). */
  private cachedPath(name: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.manifest.files, name) ? this.manifest.files[name] : undefined;
  }

  /** Drop cached files no longer listed in CONFIG_FILES. */
  keepOnly(names: readonly string[]): void {
    const drop = Object.keys(this.manifest.files).filter((n) => !names.includes(n));
    if (drop.length === 0) return;
    const files = { ...this.manifest.files };
    for (const n of drop) delete files[n];
    const next = { ...this.manifest, files };
    this.store.transaction((tx) => {
      for (const n of drop) {
        tx.delete(this.manifest.files[n]);
        tx.delete(attributesPath(this.manifest.files[n]));
      }
      tx.write(MANIFEST, utf8Encode(JSON.stringify(next)), { cls: 'config' });
    });
    this.manifest = next;
  }

  /** Override files (`cfg/local.cfg`, ...) and small state files, by fixed path. */
  readText(path: string, user?: string): string | null {
    const bytes = this.store.read(user ? userPath(path, user) : path);
    return bytes ? utf8Decode(bytes) : null;
  }

  /** `cls`: the data class of a phone-wide file (override layers have their own, so a reset erases exactly one layer). */
  writeText(path: string, text: string, user?: string, cls: DataClassId = 'config'): void {
    if (this.readText(path, user) === text) return;
    this.store.write(user ? userPath(path, user) : path, utf8Encode(text), user ? { cls: 'userProfile', user } : { cls });
  }

  remove(path: string, user?: string): void {
    this.store.delete(user ? userPath(path, user) : path);
  }
}

/** `cfg/file-3.cfg` → `cfg/file-3.attrs`. */
function attributesPath(path: string): string {
  return path.replace(/\.cfg$/, '') + '.attrs';
}

function userPath(path: string, user: string): string {
  return `user/${user}/${path}`;
}
