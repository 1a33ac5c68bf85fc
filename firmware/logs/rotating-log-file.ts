/**
 * One log (`app` or `boot`) as a bounded series of generation files in the
 * flash store (class `logs`): `logs/<name>.<gen>.log`, the highest
 * generation being the current file. Rotation starts a new generation (no
 * copy, so no extra flash wear) and, in the same transaction, deletes the
 * oldest generations beyond the file count: a power cut leaves either the
 * state before the batch or after it, never a torn line.
 */
import { concatBytes } from '../kernel/bytes';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';

export type LogName = 'app' | 'boot';

export interface LogLimits {
  /** Size a file may reach before the next batch goes to a new generation. */
  maxBytes: number;
  /** Files kept, the current one included. */
  maxFiles: number;
}

export interface AppendResult {
  /** Generations started by this batch (each one is a rotation). */
  rotations: number;
  /** Generations deleted (oldest first). */
  deleted: number[];
}

const PREFIX = 'logs/';

export function generationPath(name: LogName, gen: number): string {
  return `${PREFIX}${name}.${gen}.log`;
}

export class RotatingLogFile {
  /** Generations on flash, ascending. */
  private gens: number[] = [];
  private currentBytes = 0;

  constructor(private readonly store: FileStore, readonly name: LogName, private readonly limits: () => LogLimits) {
    const pattern = new RegExp(`^${PREFIX}${name}\\.(\\d+)\\.log$`);
    for (const f of store.list(PREFIX)) {
      const m = pattern.exec(f.path);
      if (m) this.gens.push(Number(m[1]));
    }
    this.gens.sort((a, b) => a - b);
    const cur = this.current();
    this.currentBytes = cur === null ? 0 : this.store.list(generationPath(name, cur)).find((f) => f.path === generationPath(name, cur))?.size ?? 0;
  }

  /** Append whole lines (each without its newline), rotating by size. One store transaction. */
  append(lines: string[]): AppendResult {
    const { maxBytes, maxFiles } = this.limits();
    const result: AppendResult = { rotations: 0, deleted: [] };
    if (!lines.length) return result;
    // Split the batch into the pieces each generation gets.
    const hadFile = this.current() !== null;
    const pieces: { gen: number; fresh: boolean; parts: Uint8Array[]; bytes: number }[] = [];
    let gen = this.current() ?? 0;
    let size = this.current() === null ? maxBytes : this.currentBytes; // no file yet: the first piece starts one
    let piece: (typeof pieces)[number] | null = null;
    for (const line of lines) {
      const bytes = encodeLine(line);
      if (size > 0 && size + bytes.length > maxBytes) {
        gen += 1;
        size = 0;
        piece = null;
      }
      if (!piece) {
        piece = { gen, fresh: size === 0, parts: [], bytes: 0 };
        pieces.push(piece);
      }
      piece.parts.push(bytes);
      piece.bytes += bytes.length;
      size += bytes.length;
    }
    const gens = [...this.gens];
    for (const p of pieces) if (p.fresh) gens.push(p.gen);
    const doomed = gens.length > maxFiles ? gens.slice(0, gens.length - maxFiles) : [];
    this.store.transaction((tx) => {
      for (const p of pieces) {
        const data = concatBytes(p.parts);
        if (p.fresh) tx.write(generationPath(this.name, p.gen), data, { cls: 'logs' });
        else tx.append(generationPath(this.name, p.gen), data, { cls: 'logs' });
      }
      for (const g of doomed) tx.delete(generationPath(this.name, g));
    });
    // Committed: only now does the RAM view move.
    this.gens = gens.slice(doomed.length);
    this.currentBytes = size;
    result.rotations = pieces.filter((p) => p.fresh).length - (hadFile ? 0 : 1);
    result.deleted = doomed;
    return result;
  }

  /** Delete the oldest generation while another remains (to make room on a full flash); returns it, or null. */
  dropOldest(): number | null {
    if (this.gens.length < 2) return null;
    const oldest = this.gens[0];
    this.store.delete(generationPath(this.name, oldest));
    this.gens.shift();
    return oldest;
  }

  current(): number | null {
    return this.gens.length ? this.gens[this.gens.length - 1] : null;
  }

  generations(): number[] {
    return [...this.gens];
  }

  currentSize(): number {
    return this.currentBytes;
  }

  /** Bytes of one generation ('' when gone). */
  readGeneration(gen: number): Uint8Array {
    return this.store.read(generationPath(this.name, gen)) ?? new Uint8Array(0);
  }

  /** The whole log, oldest generation first. */
  readAll(): Uint8Array {
    const parts = this.gens.map((g) => this.readGeneration(g));
    return concatBytes(parts);
  }

  text(): string {
    return utf8Decode(this.readAll());
  }
}

/** The line and its newline as UTF-8; log lines are nearly always ASCII, which QuickJS copies far faster than utf8Encode walks code points. */
function encodeLine(line: string): Uint8Array {
  const out = new Uint8Array(line.length + 1);
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c > 0x7f) return utf8Encode(line + '\n');
    out[i] = c;
  }
  out[line.length] = 0x0a;
  return out;
}

