/**
 * The board's keystore: named keys in a root-only directory, one file per key
 * (the place where a TPM or secure element driver goes later). The flash
 * never holds a key, so destroying one here is the cryptographic half of an
 * erase.
 *
 * - The directory is 0700 and each key file 0600, owned by the user the phone
 *   runs as (root on a board). A directory or file that others could read, or
 *   that another user owns, is refused with a message saying how to fix it:
 *   a key that may have leaked is not silently used.
 * - A write goes to a temporary file (created 0600), is fsynced, renamed over
 *   the key file and the directory is fsynced: a power cut leaves the old key
 *   or the new one, never a torn key that would make its data unreadable.
 * - Deleting overwrites the file's bytes in place (fsynced) before unlinking
 *   it, so the key's blocks do not keep it on a simple file system (a
 *   journalling or copy-on-write file system may still hold old copies: the
 *   real answer is a secure element, which this class stands in for).
 *
 * File names are the key names hex-encoded (`<hex>.key`): any name is a valid
 * file name and none can climb out of the directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { KeyStorage } from '../../sim/devices/crypto';
import { syncDirectory, writeNewFileSynced } from './durable-file';

const KEY_SUFFIX = '.key';
const TEMP_SUFFIX = '.tmp';

export class KeystoreDirectoryError extends Error {}

export class DirectoryKeystore implements KeyStorage {
  private readonly keys = new Map<string, Buffer>();

  private constructor(readonly dir: string) {}

  /** Open (creating it 0700 if absent) and load every key; throws KeystoreDirectoryError on unsafe permissions. */
  static open(dir: string): DirectoryKeystore {
    const abs = path.resolve(dir);
    if (!fs.existsSync(abs)) {
      fs.mkdirSync(abs, { recursive: true, mode: 0o700 });
      fs.chmodSync(abs, 0o700); // mkdir's mode is filtered by the umask
    }
    checkPrivate(abs, 'directory', 0o700);
    const ks = new DirectoryKeystore(abs);
    for (const entry of fs.readdirSync(abs)) {
      const file = path.join(abs, entry);
      if (entry.endsWith(TEMP_SUFFIX)) {
        // Left by a cut during a write: the rename never happened, so the old key (if any) is intact.
        wipeAndUnlink(file);
        continue;
      }
      const name = nameOf(entry);
      if (name === null) throw new KeystoreDirectoryError(`keystore ${abs}: unexpected file "${entry}" (only <hex name>.key files belong here)`);
      checkPrivate(file, 'key file', 0o600);
      ks.keys.set(name, fs.readFileSync(file));
    }
    return ks;
  }

  get(name: string): Buffer | undefined {
    return this.keys.get(name);
  }

  set(name: string, key: Buffer): void {
    const file = this.fileOf(name);
    const temp = file + TEMP_SUFFIX;
    wipeAndUnlink(temp);
    writeNewFileSynced(temp, key, 0o600);
    fs.renameSync(temp, file);
    syncDirectory(this.dir);
    this.keys.set(name, Buffer.from(key));
  }

  delete(name: string): void {
    const key = this.keys.get(name);
    if (!key) return;
    wipeAndUnlink(this.fileOf(name));
    syncDirectory(this.dir);
    key.fill(0);
    this.keys.delete(name);
  }

  names(): string[] {
    return [...this.keys.keys()].sort();
  }

  private fileOf(name: string): string {
    return path.join(this.dir, Buffer.from(name, 'utf8').toString('hex') + KEY_SUFFIX);
  }
}

function nameOf(entry: string): string | null {
  const m = /^((?:[0-9a-f]{2})+)\.key$/.exec(entry);
  return m ? Buffer.from(m[1], 'hex').toString('utf8') : null;
}

function checkPrivate(file: string, what: string, mode: number): void {
  const st = fs.statSync(file);
  const uid = process.geteuid?.() ?? st.uid;
  if (st.uid !== uid) {
    throw new KeystoreDirectoryError(`keystore ${what} ${file} is owned by uid ${st.uid}, not by uid ${uid} that runs the phone: refusing it (chown ${uid} ${file})`);
  }
  if ((st.mode & 0o077) !== 0) {
    const octal = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new KeystoreDirectoryError(`keystore ${what} ${file} has mode ${octal}: others may read the keys, refusing it (chmod ${mode.toString(8)} ${file}, and consider the keys leaked)`);
  }
}

/** Overwrite a file's bytes with zeros in place (fsynced), then unlink it; absent is fine. */
function wipeAndUnlink(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const zeros = Buffer.alloc(size);
    for (let done = 0; done < size;) done += fs.writeSync(fd, zeros, done, size - done, done);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.unlinkSync(file);
}

