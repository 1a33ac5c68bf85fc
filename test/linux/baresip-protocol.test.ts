/**
 * The line adapter's side of ctrl_tcp against a scripted fake baresip (no
 * real one needed): netstring framing, commands matched to responses by
 * token, per-call commands preceded by `callfind`, and bad input — a frame
 * split anywhere, JSON that is not, a broken frame, a refused command, the
 * connection dropping mid-call — logged, never thrown into the firmware.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server, type Socket } from 'net';
import { PARTY_ADDRESS_MAX, PARTY_NAME_MAX, type LineEvent } from '../../hal/contract';
import { BaresipLine, endCause } from '../../hal/linux/baresip-line';
import { encodeNetstring, NetstringDecoder } from '../../hal/linux/netstring';

interface FakeBaresip { server: Server; port: number; socket: Promise<Socket>; commands: { command: string; params?: string }[] }

async function fakeBaresip(answer: (cmd: { command: string; params?: string; token: string }, s: Socket) => void): Promise<FakeBaresip> {
  const commands: { command: string; params?: string }[] = [];
  let gotSocket: (s: Socket) => void = () => {};
  const socket = new Promise<Socket>((r) => { gotSocket = r; });
  const server = createServer((s) => {
    const decoder = new NetstringDecoder();
    s.on('data', (d) => {
      for (const text of decoder.push(d)) {
        const cmd = JSON.parse(text);
        commands.push({ command: cmd.command, ...(cmd.params !== undefined ? { params: cmd.params } : {}) });
        answer(cmd, s);
      }
    });
    gotSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port, socket, commands };
}

const ok = (token: string, data = '') => encodeNetstring(JSON.stringify({ response: true, ok: true, data, token }));
const event = (o: Record<string, string>) => encodeNetstring(JSON.stringify({ event: true, class: 'call', accountaor: 'sip:phone@127.0.0.1', ...o }));
const tick = () => new Promise((r) => setTimeout(r, 30));
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await tick();
}

test('netstring decoder: frames split across chunks, several per chunk, malformed ones refused', () => {
  const d = new NetstringDecoder();
  const bytes = Buffer.concat([encodeNetstring('{"a":1}'), encodeNetstring('héllo')]);
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i++) out.push(...d.push(bytes.subarray(i, i + 1)));
  assert.equal(out, ['{"a":1}', 'héllo']);
  assert.throws(() => new NetstringDecoder().push(Buffer.from('5:hello;')), /not terminated/);
  assert.throws(() => new NetstringDecoder().push(Buffer.from('x5:hello,')), /bad length/);
  assert.throws(() => new NetstringDecoder().push(Buffer.from('99999999:')), /bad length/);
});

/** A line connected to a fake baresip that answers every command ok; its log and events collected. */
async function lineToAgreeableBaresip() {
  const fake = await fakeBaresip((cmd, s) => s.write(ok(cmd.token)));
  const log: string[] = [];
  const line = await BaresipLine.connect({ port: fake.port, log: (l) => log.push(l) });
  const events: LineEvent[] = [];
  line.onEvent((e) => events.push(e));
  const s = await fake.socket;
  return { fake, log, line, events, s };
}

test('incoming call: events become line events; answer selects the call then accepts; bad JSON is logged and skipped', async () => {
  const { fake, log, line, events, s } = await lineToAgreeableBaresip();
  s.write(Buffer.concat([encodeNetstring('{not json'), event({ type: 'CALL_INCOMING', direction: 'incoming', peeruri: 'sip:a@x', peerdisplayname: 'A', id: 'c1' })]));
  await until(() => events.length >= 1);
  assert.equal(events, [{ type: 'incoming', callId: 'c1', remote: { address: 'sip:a@x', name: 'A' }, local: 'sip:phone@127.0.0.1' }]);
  assert.ok(log.some((l) => l.includes('not JSON')));
  await line.answer('c1');
  assert.equal(fake.commands, [{ command: 'callfind', params: 'c1' }, { command: 'accept' }]);
  s.write(event({ type: 'CALL_ESTABLISHED', direction: 'incoming', peeruri: 'sip:a@x', id: 'c1' }));
  s.write(event({ type: 'CALL_CLOSED', direction: 'incoming', id: 'c1', param: 'Connection reset by peer' }));
  await until(() => events.length >= 3);
  assert.equal(events.slice(1).map((e) => e.type), ['connected', 'ended'], log.join('\n'));
  assert.is((events[2] as { cause: string }).cause, 'remote-hangup');
  line.close();
  fake.server.close();
});

test('a 300,000-character peer URI and display name are cut to the contract limits at the adapter, and the cut is logged', async () => {
  const { fake, log, line, events, s } = await lineToAgreeableBaresip();
  const uri = `sip:${'7'.repeat(300_000)}@x`;
  s.write(event({ type: 'CALL_INCOMING', direction: 'incoming', peeruri: uri, peerdisplayname: 'N'.repeat(300_000), id: 'c1' }));
  s.write(event({ type: 'CALL_ESTABLISHED', direction: 'incoming', peeruri: uri, peerdisplayname: 'N'.repeat(200), id: 'c1' }));
  s.write(event({ type: 'CALL_TRANSFER', direction: 'incoming', param: `sip:${'t'.repeat(1000)}@x`, id: 'c1' }));
  await until(() => events.length >= 3);
  const incoming = events[0] as Extract<LineEvent, { type: 'incoming' }>;
  assert.is(incoming.remote.address.length, PARTY_ADDRESS_MAX);
  assert.is(incoming.remote.name.length, PARTY_NAME_MAX);
  assert.is((events[1] as Extract<LineEvent, { type: 'connected' }>).remote!.name.length, PARTY_NAME_MAX);
  assert.is((events[2] as Extract<LineEvent, { type: 'transferred' }>).target.length, PARTY_ADDRESS_MAX);
  assert.ok(log.includes('baresip: call c1: peer address of 300006 characters cut to 256'), log.join('\n'));
  assert.ok(log.includes('baresip: call c1: peer display name of 300000 characters cut to 128'), log.join('\n'));
  assert.ok(log.includes('baresip: call c1: address of 1006 characters cut to 256'), log.join('\n'));
  assert.ok(log.every((l) => l.length < 200), 'the log says how long, not what');
  line.close();
  fake.server.close();
});

test('dial resolves with the id of the first outgoing call event; a refused command rejects; a dropped connection ends live calls', async () => {
  let refuse = false;
  const fake = await fakeBaresip((cmd, s) => {
    if (refuse) return s.write(encodeNetstring(JSON.stringify({ response: true, ok: false, data: 'no such call', token: cmd.token })));
    s.write(ok(cmd.token));
    if (cmd.command === 'dial') s.write(event({ type: 'CALL_RINGING', direction: 'outgoing', peeruri: cmd.params!, id: 'o1' }));
  });
  const log: string[] = [];
  const line = await BaresipLine.connect({ port: fake.port, log: (l) => log.push(l) });
  const events: LineEvent[] = [];
  line.onEvent((e) => events.push(e));
  assert.is(await line.dial('sip:b@x'), 'o1');
  await until(() => events.length >= 1);
  assert.equal(events, [{ type: 'ringing', callId: 'o1' }]);
  refuse = true;
  try {
    await line.hold('o1', true);
    assert.unreachable('refused');
  } catch (e) {
    assert.match((e as Error).message, /refused: no such call/);
  }
  await line.attendedTransfer().then(() => assert.unreachable(), (e) => assert.match(e.message, /^unsupported/));
  (await fake.socket).destroy();
  await until(() => events.length >= 2);
  assert.equal(events[events.length - 1], { type: 'ended', callId: 'o1', cause: 'error' });
  assert.ok(log.some((l) => l.includes('closed')));
  await line.dial('sip:c@x').then(() => assert.unreachable(), (e) => assert.match(e.message, /^io:/));
  fake.server.close();
});

test('a broken frame from baresip drops the connection with a log line instead of throwing', async () => {
  const fake = await fakeBaresip(() => {});
  const log: string[] = [];
  const line = await BaresipLine.connect({ port: fake.port, log: (l) => log.push(l) });
  (await fake.socket).write('12:short,garbage-without-frame');
  await until(() => log.some((l) => l.includes('connection dropped')));
  assert.ok(log.some((l) => l.includes('connection dropped')), log.join('\n'));
  line.close();
  fake.server.close();
});

test('a frame of JSON that is not an object (null, a number) is logged and skipped, not thrown', async () => {
  const { fake, log, line, events, s } = await lineToAgreeableBaresip();
  s.write(Buffer.concat([encodeNetstring('null'), encodeNetstring('7'), event({ type: 'CALL_INCOMING', direction: 'incoming', peeruri: 'sip:a@x', id: 'c9' })]));
  await until(() => events.length >= 1);
  assert.equal(events.map((e) => e.type), ['incoming']);
  assert.is(log.filter((l) => l.includes('not a JSON object')).length, 2, log.join('\n'));
  line.close();
  fake.server.close();
});

test('end causes from CALL_CLOSED reasons', () => {
  const out = { direction: 'outgoing' as const, established: false };
  assert.equal(endCause(out, '486 Busy Here'), { cause: 'busy', sipCode: 486 });
  assert.equal(endCause(out, '603 Decline'), { cause: 'rejected', sipCode: 603 });
  assert.equal(endCause(out, '408 Request Timeout'), { cause: 'no-answer', sipCode: 408 });
  assert.equal(endCause({ ...out, established: true }, 'Connection reset by peer'), { cause: 'remote-hangup' });
  assert.equal(endCause({ direction: 'incoming', established: false }, 'Connection reset by peer'), { cause: 'cancelled' });
  assert.equal(endCause({ ...out, endedBy: 'hangup' }, ''), { cause: 'cancelled', sipCode: undefined });
  assert.equal(endCause({ direction: 'incoming', established: false, endedBy: 'reject' }, ''), { cause: 'rejected', sipCode: undefined });
});

test.run();
