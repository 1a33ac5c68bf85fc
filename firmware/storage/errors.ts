/** The partition cannot take the write; nothing already committed was touched. */
export class StorageFullError extends Error {
  constructor(detail: string) {
    super(`no space: ${detail}`);
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
