/** UDP out of the simulated phone: real datagrams through Node (remote syslog to a real rsyslog). */
import * as dgram from 'dgram';
import type { Datagram } from '../../hal/datagram';

/** RFC 5426 asks receivers for 2048 bytes at least; anything much larger fragments or is dropped. */
const MAX_DATAGRAM_BYTES = 8192;

export class HostDatagram implements Datagram {
  private socket: dgram.Socket | null = null;
  /** Datagrams sent, for tests and the panel. */
  readonly sent: { host: string; port: number; bytes: number }[] = [];

  constructor(private readonly linkUp: () => boolean) {}

  send(host: string, port: number, text: string): Promise<void> {
    if (!this.linkUp()) return Promise.reject(new Error('link-down: network link is down'));
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > MAX_DATAGRAM_BYTES) return Promise.reject(new Error(`too-big: ${bytes.length} bytes`));
    if (!this.socket) {
      this.socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      this.socket.on('error', () => {});
      this.socket.unref();
    }
    return new Promise((resolve, reject) => {
      this.socket!.send(bytes, port, host, (e) => {
        if (e) reject(new Error(`${/ENOTFOUND|EAI_AGAIN/.test(String((e as NodeJS.ErrnoException).code)) ? 'resolve' : 'io'}: ${e.message}`));
        else {
          this.sent.push({ host, port, bytes: bytes.length });
          resolve();
        }
      });
    });
  }

  dispose(): void {
    this.socket?.close();
    this.socket = null;
  }
}
