/**
 * The HAL `udp` device over Node `dgram`, for every host that runs on Node
 * (the Linux board; the simulator wraps it for its link flag and records).
 *
 * `send`: fire and forget from one long-lived local socket (remote syslog).
 * `exchange`: a fresh local port per request and only the server asked may
 * answer (an off-path datagram is not the reply), for SNTP. Host names are
 * resolved by the OS resolver. Errors carry the HAL's reason prefixes.
 */
import * as dgram from 'dgram';
import * as dns from 'dns';
import * as net from 'net';
import type { Udp, UdpExchange } from '../contract';

/** RFC 5426 asks receivers for 2048 bytes at least; anything much larger fragments or is dropped. */
export const MAX_DATAGRAM_BYTES = 8192;

export class LinuxUdp implements Udp {
  private sender: dgram.Socket | null = null;
  private senderFamily: 'udp4' | 'udp6' = 'udp4';

  async send(host: string, port: number, text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > MAX_DATAGRAM_BYTES) throw new Error(`too-big: ${bytes.length} bytes`);
    checkPort(port);
    const address = await resolveHost(host);
    const family = net.isIPv6(address) ? 'udp6' : 'udp4';
    if (!this.sender || this.senderFamily !== family) {
      this.sender?.close();
      this.sender = dgram.createSocket(family);
      this.senderFamily = family;
      this.sender.on('error', () => {});
      // A syslog socket must not keep the process alive.
      this.sender.unref();
    }
    const sender = this.sender;
    await new Promise<void>((resolve, reject) => {
      sender.send(bytes, port, address, (e) => (e ? reject(new Error(`io: ${e.message}`)) : resolve()));
    });
  }

  async exchange(req: UdpExchange): Promise<Uint8Array> {
    checkPort(req.port);
    return exchangeOnce(await resolveHost(req.host), req);
  }

  /** Close the sending socket (shutdown). */
  dispose(): void {
    this.sender?.close();
    this.sender = null;
  }
}

function checkPort(port: number): void {
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error(`io: bad port ${port}`);
}

function resolveHost(host: string): Promise<string> {
  if (net.isIP(host)) return Promise.resolve(host);
  return new Promise((ok, fail) => {
    // IPv4 for names, as the phone's network stack (an IPv6 literal still works).
    dns.lookup(host, { family: 4 }, (e, address) => (e ? fail(new Error(`dns: ${host}: ${e.message}`)) : ok(address)));
  });
}

function exchangeOnce(address: string, req: UdpExchange): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    let finished = false;
    const finish = (error: Error | null, answer?: Buffer) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(new Uint8Array(answer!));
    };
    const timer = setTimeout(() => finish(new Error(`timeout: no answer from ${req.host}:${req.port} within ${req.timeoutMs} ms`)), Math.max(1, req.timeoutMs));
    socket.on('message', (msg, from) => { if (from.address === address && from.port === req.port) finish(null, msg); });
    socket.on('error', (e) => finish(new Error(`io: ${e.message}`)));
    socket.send(Buffer.from(req.payload), req.port, address, (e) => { if (e) finish(new Error(`io: ${e.message}`)); });
  });
}
