/**
 * UDP datagrams out of the phone (remote syslog over UDP). Kept apart from
 * contract.ts so that the `udp` device of the NTP work (issue 16 point 3)
 * and this one can be reconciled in one place: the firmware needs only
 * `send`. Fire and forget, as UDP is: a resolved send means the datagram left
 * the phone, not that anyone received it.
 */
export interface Datagram {
  /**
   * Send one datagram (`text` as UTF-8) to host:port. Rejects with an Error
   * whose message starts with `link-down`, `resolve`, `too-big` or `io`.
   */
  send(host: string, port: number, text: string): Promise<void>;
}
