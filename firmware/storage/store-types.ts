/**
 * The flash store's shapes: what callers pass and get back (re-exported by
 * file-store.ts), and what the RAM index keeps per path and record (per
 * block: block-table.ts).
 */
import type { DataClassId } from './data-classes';
import type { RecordHeader, RecordKind, RecordMeta } from './record-format';

export interface StoreOptions { cls: DataClassId; user?: string }

export interface MountOptions {
  /** Cap on live files (each costs RAM). Default DEFAULT_MAX_FILES. */
  maxFiles?: number;
}

export interface FileInfo { path: string; size: number; cls: DataClassId; user?: string }

/** What a class erase or re-key cost, in flash operations. */
export interface EraseReport { blocksErased: number; recordsMoved: number; programOps: number; programBytes: number; eraseOps: number }

export interface StoreStats {
  blocks: number;
  freeBlocks: number;
  files: number;
  /** Bytes of flash taken by live records (headers and padding included). */
  liveBytes: number;
  eraseCounts: number[];
  programOps: number;
  programBytes: number;
  eraseOps: number;
  gcRuns: number;
  wearMoves: number;
  /** What the RAM index holds right now (see the RAM bound). */
  index: { entries: number; refs: number };
}

/** Where a live record sits, as the index keeps it. */
export interface LiveRecord { path: string; cls: DataClassId; user: string; kind: RecordKind; block: number; offset: number; extent: number }

export interface Transaction {
  write(path: string, data: Uint8Array, opts: StoreOptions): void;
  append(path: string, data: Uint8Array, opts: StoreOptions): void;
  delete(path: string): void;
}

export interface RecordRef {
  block: number;
  offset: number;
  extent: number;
  kind: RecordKind;
  origSeq: number;
  first: number;
  last: number;
  /** Plain data bytes (after unsealing). */
  size: number;
  /** Block holding the Commit that made this record valid: it must not be erased while this record stays elsewhere. */
  commitBlock: number;
  /** Key generation that sealed it; -1 when not sealed. */
  gen: number;
}

export interface FileEntry {
  path: string;
  cls: DataClassId;
  user: string;
  /** origSeq of the latest Write or Delete: records older than it are dead. -1: none seen. */
  resetSeq: number;
  /** Deleted, or never committed (an entry kept only to count the blocks still holding its records). */
  deleted: boolean;
  tombstone: RecordRef | null;
  /** Live data records, ordered by chunk, non-overlapping. */
  records: RecordRef[];
  /** Blocks holding any record of this path (live, dead or uncommitted): a tombstone may go when only its own block does. */
  holders: number;
  /** The last block counted in `holders` (only the head receives records). */
  lastHolder: number;
}

/** A class erase (rekeyGen null) or a re-key to generation rekeyGen. */
export interface EraseIntent { code: number; allUsers: boolean; userHash: Uint8Array; seq: number; ref: RecordRef; rekeyGen: number | null }

/** Decides whether a record makes its block a victim of a scrub: class code, user, origSeq, sealing key generation (null: not sealed). */
export type ScrubMatch = (code: number, user: string, origSeq: number, sealedGen: number | null, header: RecordHeader) => boolean;

/** A record ready to be programmed. */
export interface Outgoing { bytes: Uint8Array; header: RecordHeader; meta: RecordMeta; size: number }

export interface PathOps { items: Outgoing[]; nextChunk: number | null; cls: DataClassId; user: string; creates: boolean }

export interface StagedTransaction { ops: Map<string, PathOps>; out: Outgoing[]; created: number; onlyDeletes: boolean }

export type SpaceMode = 'data' | 'shrink';
