/**
 * The problems found in one version of a file from outside (a directory or
 * calls file from the server), logged once per version of that file however
 * often it is read again (each boot, each login, each re-sort), and at most
 * MAX_PROBLEM_LINES lines plus one "and N more" line, so a file with
 * thousands of bad items cannot flood the log. A version is a digest of the
 * file's text (fileVersion).
 */
import { fnv1a } from './fnv1a';

/** Problem lines logged per file version; the rest are counted in one line. */
export const MAX_PROBLEM_LINES = 20;
/** File versions remembered (oldest forgotten first): a few files, a few versions each. */
const REMEMBERED_VERSIONS = 16;

/** A short digest of a text for "is this the same file version" (FNV-1a; not a security check). */
export function fileVersion(text: string): string {
  return `${text.length.toString(16)}-${fnv1a(text).toString(16)}`;
}

export class FileProblemLog {
  private reported: string[] = [];

  /** `write` takes each line (`<file>: <problem>`). */
  constructor(private readonly write: (line: string) => void) {}

  /**
   * Log `headline` and `problems` of `file` (version `version`) unless that
   * version was reported already. Returns whether anything was logged.
   */
  report(file: string, version: string, headline: string, problems: readonly string[]): boolean {
    if (problems.length === 0 || !this.firstTime(file, version)) return false;
    this.list(file, headline, problems);
    return true;
  }

  /** Log `headline` and the first MAX_PROBLEM_LINES `problems`, then how many more there are (no version check). */
  list(file: string, headline: string, problems: readonly string[]): void {
    this.write(`${file}: ${headline}`);
    for (const p of problems.slice(0, MAX_PROBLEM_LINES)) this.write(`${file}: ${p}`);
    if (problems.length > MAX_PROBLEM_LINES) this.write(`${file}: and ${problems.length - MAX_PROBLEM_LINES} more problems not listed`);
  }

  /** True the first time this version of `file` is seen (then remembered): for a caller that logs one line of its own (a refused file). */
  firstTime(file: string, version: string): boolean {
    const key = `${file}@${version}`;
    if (this.reported.includes(key)) return false;
    this.remember([key]);
    return true;
  }

  /** Versions reported (`file@version`), oldest first: for a caller that keeps them across reboots. */
  versions(): string[] {
    return this.reported.slice();
  }

  /** Versions reported before (in an earlier boot): not reported again. */
  remember(keys: readonly string[]): void {
    for (const k of keys) {
      if (typeof k !== 'string' || this.reported.includes(k)) continue;
      this.reported.push(k);
    }
    if (this.reported.length > REMEMBERED_VERSIONS) this.reported.splice(0, this.reported.length - REMEMBERED_VERSIONS);
  }

  /** Forget the versions `drop` says (a user's files at their logout). */
  forget(drop: (key: string) => boolean): void {
    this.reported = this.reported.filter((k) => !drop(k));
  }
}
