/** The board's UART debug console: keeps the last lines and tells listeners. */
import type { Serial } from '../../hal/contract';

export class VirtualSerial implements Serial {
  private lines: string[] = [];
  private listeners = new Set<(line: string) => void>();

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
