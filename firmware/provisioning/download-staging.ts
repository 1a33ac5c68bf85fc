/**
 * A download written to the flash store as it arrives (the HAL's streamed
 * body, `NetRequest.onBodyChunk`), so a 2 MiB global directory never sits
 * whole in RAM: the pieces of the body are appended to a file of the
 * download cache in PIECE_BYTES steps, and hashed piece by piece (the crypto
 * device hashes in one call, so the whole-file SHA-256 would need the whole
 * file in RAM: the digest is SHA-256 over the pieces' SHA-256s instead).
 *
 * The file is committed piece by piece: until the cache index refers to it
 * (DownloadCache.adopt) it is an orphan that the cache deletes at its next
 * start (a power cut mid-download) or at `discard` (a failed or refused one).
 */
import type { Crypto } from '../../hal/contract';
import { bytesToHex } from '../kernel/hex';
import type { DataClassId } from '../storage/data-classes';
import type { FileStore } from '../storage/file-store';

/** Bytes per append and per hashed piece: RAM held by a download at most (plus one HAL chunk). */
export const PIECE_BYTES = 32 * 1024;
/** First bytes kept in RAM for the checks on the file's start (HTML page, encryption header). */
const HEAD_BYTES = 64;

export type StagingStore = Pick<FileStore, 'append' | 'delete' | 'read'>;

export interface StagedFile {
  path: string;
  bytes: number;
  /** SHA-256 (hex) over the SHA-256s of the PIECE_BYTES pieces. */
  digest: string;
  /** The first bytes of the file. */
  head: Uint8Array;
}

export class DownloadStaging {
  private carry = new Uint8Array(PIECE_BYTES);
  private carried = 0;
  private written = 0;
  private readonly pieceDigests: Uint8Array[] = [];
  private readonly head = new Uint8Array(HEAD_BYTES);
  private headLength = 0;
  /** The store refused a piece (full): the download is unusable, later pieces are dropped. */
  private failure: string | null = null;

  constructor(private readonly store: StagingStore, private readonly crypto: Crypto, readonly path: string, private readonly cls: DataClassId) {}

  /** One piece of the body, as the HAL hands it over (must not throw: a failure is kept for `finish`). */
  readonly write = (chunk: Uint8Array): void => {
    if (this.failure !== null) return;
    if (this.headLength < HEAD_BYTES) {
      const n = Math.min(HEAD_BYTES - this.headLength, chunk.length);
      this.head.set(chunk.subarray(0, n), this.headLength);
      this.headLength += n;
    }
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(PIECE_BYTES - this.carried, chunk.length - at);
      this.carry.set(chunk.subarray(at, at + n), this.carried);
      this.carried += n;
      at += n;
      if (this.carried === PIECE_BYTES) this.flush();
    }
  };

  /** The file as downloaded, or the reason it could not be stored. */
  finish(): { ok: true; file: StagedFile } | { ok: false; error: string } {
    if (this.carried > 0) this.flush();
    this.carry = new Uint8Array(0);
    if (this.failure !== null) return { ok: false, error: this.failure };
    let all = new Uint8Array(this.pieceDigests.length * 32);
    this.pieceDigests.forEach((d, i) => all.set(d, i * 32));
    const digest = bytesToHex(this.crypto.sha256(all));
    all = new Uint8Array(0);
    return { ok: true, file: { path: this.path, bytes: this.written, digest, head: this.head.slice(0, this.headLength) } };
  }

  /** The whole file (an encrypted one: decryption takes it in one call). */
  readWhole(): Uint8Array {
    return (this.written > 0 ? this.store.read(this.path) : null) ?? new Uint8Array(0);
  }

  /** Delete what was written (a failed, refused or unchanged download). */
  discard(): void {
    this.carry = new Uint8Array(0);
    try {
      if (this.written > 0) this.store.delete(this.path);
    } catch {
      // Flash failing: the cache deletes the orphan at its next start.
    }
  }

  private flush(): void {
    const piece = this.carry.subarray(0, this.carried);
    this.carried = 0;
    try {
      this.pieceDigests.push(this.crypto.sha256(piece));
      this.store.append(this.path, piece, { cls: this.cls });
      this.written += piece.length;
    } catch (e) {
      this.failure = `cannot store the download (${(e as Error).message})`;
    }
  }
}
