/**
 * The simulated phone's `udp` device: the Node implementation of the Linux
 * board (hal/linux/udp.ts) behind the phone's virtual network link, with what
 * went out recorded for tests (SNTP exchanges, syslog datagrams).
 */
import type { Udp, UdpExchange } from '../../hal/contract';
import { LinuxUdp } from '../../hal/linux/udp';

export class HostUdp implements Udp {
  private linkUp: () => boolean = () => true;
  private readonly node = new LinuxUdp();
  /** Exchanges asked for (for tests): destination and outcome. */
  readonly exchanges: { host: string; port: number; outcome: string }[] = [];
  /** Datagrams sent (for tests and the panel). */
  readonly sent: { host: string; port: number; bytes: number }[] = [];

  /** Follow the phone's network link: no link, no datagrams. */
  followLink(up: () => boolean): void {
    this.linkUp = up;
  }

  async send(host: string, port: number, text: string): Promise<void> {
    if (!this.linkUp()) throw new Error('link-down: network link is down');
    await this.node.send(host, port, text);
    this.sent.push({ host, port, bytes: Buffer.byteLength(text, 'utf8') });
  }

  async exchange(req: UdpExchange): Promise<Uint8Array> {
    const record = { host: req.host, port: req.port, outcome: 'pending' };
    this.exchanges.push(record);
    try {
      if (!this.linkUp()) throw new Error('link-down: network link is down');
      const answer = await this.node.exchange(req);
      record.outcome = 'answered';
      return answer;
    } catch (e) {
      record.outcome = (e as Error).message.split(':')[0];
      throw e;
    }
  }

  dispose(): void {
    this.node.dispose();
  }
}
