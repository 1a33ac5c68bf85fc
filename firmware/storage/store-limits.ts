/** Sizes and thresholds of the flash store (docs/storage-format.md explains each rule). */
import { UNIT } from './record-format';

/** Free blocks a data write must leave, so garbage collection always has room to copy into. */
export const RESERVE_BLOCKS = 2;
/** A file with more small records than this gets its newest ones merged. */
export const MERGE_TRIGGER = 64;
/**
 * Blocks read together (one flash read) where the store reads many: in
 * QuickJS each read is a host call (~60 µs): reading 1,024 block headers one
 * by one was ~60 ms of a boot, while 64 KiB per call moves 4 MiB in a few ms.
 * One such buffer is held at a time.
 */
export const READ_RUN_BLOCKS = 16;
/** Records read, decrypted and copied into their file per batch of a read: one host call for a few dozen call-list entries, bounded memory for a big file. */
export const READ_BATCH_BYTES = 64 * 1024;
/** Default cap on live files per store (RAM bound). */
export const DEFAULT_MAX_FILES = 512;
/** Index entries of deleted paths tolerated beyond maxFiles before garbage collection runs early to drop them. */
export const DELETED_SLACK = 256;
/** Garbage collection never picks a block with less reclaimable space (guarantees one fresh block takes its copies). */
export const MIN_RECLAIM = 2 * UNIT;
/** Every this many collections, consider moving the coldest block (static wear levelling). */
export const WEAR_LEVEL_INTERVAL = 8;
/** Erase-count spread that makes that move happen. */
export const WEAR_SPREAD_LIMIT = 8;
export const SEAL_OVERHEAD = 28; // GCM IV + tag
export const MAX_PATH_BYTES = 200;
export const MAX_USER_BYTES = 64;
export const USER_HASH_BYTES = 8;
