/** What the directory screens need from the phone, handed to them by the directory module. */
import type { DirectoryService } from './directory-service';

export interface DirectoryUiContext {
  service: DirectoryService;
  /** `dir.local.readonly`: no add, edit or delete from the phone. */
  readonly(): boolean;
  /** Run `fn` after `ms`; returns a cancel function. */
  schedule(ms: number, fn: () => void): () => void;
  /** Place a call to this number. */
  dial(number: string): void;
}
