/**
 * The phone's datagram client (HAL `udp`): one request datagram out from a
 * fresh Node `dgram` socket, the first datagram back from the same host and
 * port in, then the socket closes. Enough for SNTP (RFC 4330); the host name
 * is resolved by Node. Errors carry the HAL's reason prefixes.
 */
import * as dgram from 'dgram';
import * as dns from 'dns';
import * as net from 'net';
import type { Udp, UdpExchange } from '../../hal/contract';

export class HostUdp implements Udp {
  private linkUp: () => boolean = () => true;
  /** Exchanges asked for (for tests): destination and outcome. */
  readonly exchanges: { host: string; port: number; outcome: string }[] = [];

  /** Follow the phone's network link: no link, no datagrams. */
  followLink(up: () => boolean): void {
    this.linkUp = up;
  }

  async exchange(req: UdpExchange): Promise<Uint8Array> {
    const record = { host: req.host, port: req.port, outcome: 'pending' };
    this.exchanges.push(record);
    try {
      if (!this.linkUp()) throw new Error('link-down: network link is down');
      if (!(req.port > 0 && req.port < 65536)) throw new Error(`io: bad port ${req.port}`);
      const address = net.isIP(req.host) ? req.host : await resolve(req.host);
      const answer = await exchangeOnce(address, req);
      record.outcome = 'answered';
      return answer;
    } catch (e) {
      record.outcome = (e as Error).message.split(':')[0];
      throw e;
    }
  }
}

function resolve(host: string): Promise<string> {
  return new Promise((ok, fail) => {
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
    // Only the server asked may answer (an off-path datagram is not the reply).
    socket.on('message', (msg, from) => { if (from.address === address && from.port === req.port) finish(null, msg); });
    socket.on('error', (e) => finish(new Error(`io: ${e.message}`)));
    socket.send(Buffer.from(req.payload), req.port, address, (e) => { if (e) finish(new Error(`io: ${e.message}`)); });
  });
}
