import * as net from 'net';

/** A 127.0.0.1 port nothing listens on (taken, then released): a server that is "not reachable". */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}
