/**
 * A connection's incoming data and its end, held until a subscriber comes:
 * the firmware subscribes after `connect` resolves, and a peer may have
 * spoken (or hung up) by then. Data that came early is handed over on
 * subscription; an end that came early is told at once.
 */
export class HeldConnectionEvents {
  private dataHandler: ((bytes: Uint8Array) => void) | null = null;
  private closeHandler: ((reason: string) => void) | null = null;
  private readonly early: Uint8Array[] = [];
  private closedWith: string | null = null;

  /** Null while the connection is open; the reason (possibly '') once it ended. */
  get closedReason(): string | null {
    return this.closedWith;
  }

  data(bytes: Uint8Array): void {
    if (this.dataHandler) this.dataHandler(bytes);
    else this.early.push(bytes);
  }

  closed(reason: string): void {
    this.closedWith = reason;
    this.closeHandler?.(reason);
  }

  onData(handler: (bytes: Uint8Array) => void): void {
    this.dataHandler = handler;
    for (const b of this.early.splice(0)) handler(b);
  }

  onClose(handler: (reason: string) => void): void {
    this.closeHandler = handler;
    if (this.closedWith !== null) handler(this.closedWith);
  }
}
