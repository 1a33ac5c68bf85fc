/** A serial console's memory: the last lines written, and listeners told of each (the simulator's UART, the board's log()). */
import type { Serial } from '../contract';

export class KeptSerialLines implements Serial {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();

  constructor(private readonly keep = 5000) {}

  write(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.splice(0, this.lines.length - this.keep);
    for (const l of this.listeners) l(line);
  }

  all(): string[] {
    return [...this.lines];
  }

  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
