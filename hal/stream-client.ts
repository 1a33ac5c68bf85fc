/**
 * Outgoing TCP connections, optionally TLS (remote syslog over TCP / TLS).
 * Write-only on purpose: syslog never reads; the `socket` device of issue 14
 * (MQTT) is the bidirectional one, and the two can be merged there. Kept apart
 * from contract.ts to avoid a clash with that work.
 */
export interface StreamOpenOptions {
  host: string;
  port: number;
  /** TLS on the connection, the server certificate checked against `trustedCaPem` (and the platform's CAs). */
  tls?: boolean;
  trustedCaPem?: string;
  timeoutMs?: number;
}

export interface StreamClient {
  /**
   * Open a connection; resolves its id. Rejects with an Error whose message
   * starts with `link-down`, `refused`, `timeout`, `tls` or `io`.
   */
  open(options: StreamOpenOptions): Promise<number>;
  /** Write `text` (UTF-8). Rejects with `closed` when the peer or the network ended the connection (open again). */
  write(id: number, text: string): Promise<void>;
  /** Close; a no-op for an unknown id. */
  close(id: number): void;
}
