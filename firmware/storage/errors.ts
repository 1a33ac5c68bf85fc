/** The partition cannot take the write; nothing already committed was touched. */
export class StorageFullError extends Error {
  constructor(needed: number, available: number) {
    super(`no space: the write needs ${needed} bytes of flash, ${available} are free after garbage collection`);
    this.name = 'StorageFullError';
  }
}

/** Bad call from firmware code (path too long, bad user id, …). */
export class StorageUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageUsageError';
  }
}
