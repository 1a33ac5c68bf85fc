/**
 * The part of MQTT 3.1.1 (OASIS standard) the analytics uploader speaks:
 * CONNECT, PUBLISH at QoS 0/1, PINGREQ, DISCONNECT out; CONNACK, PUBACK,
 * PINGRESP in. Written for the firmware because the maintained codecs
 * (mqtt-packet) need Node's Buffer and events, which the image must not pull in.
 */
import { utf8Encode } from '../kernel/text-codec';

export const PACKET = { CONNECT: 1, CONNACK: 2, PUBLISH: 3, PUBACK: 4, PINGREQ: 12, PINGRESP: 13, DISCONNECT: 14 } as const;

/** Largest packet the reader accepts from the broker (we never expect more than a few bytes). */
export const MAX_INCOMING_PACKET = 64 * 1024;

/** CONNACK return codes (3.1.1 §3.2.2.3). */
export const CONNACK_REASONS: Record<number, string> = {
  1: 'unacceptable protocol version', 2: 'client identifier rejected', 3: 'server unavailable',
  4: 'bad user name or password', 5: 'not authorized',
};

export interface ConnectOptions {
  clientId: string;
  username?: string;
  password?: string;
  keepAliveSeconds: number;
  cleanSession: boolean;
}

export interface PublishOptions {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1;
  /** Required for QoS 1: 1..65535. */
  packetId?: number;
  /** A resend of a message the broker may already have. */
  dup?: boolean;
}

export type IncomingPacket =
  | { type: 'connack'; sessionPresent: boolean; returnCode: number }
  | { type: 'puback'; packetId: number }
  | { type: 'pingresp' };

function remainingLength(n: number): number[] {
  if (n > 268435455) throw new Error(`mqtt: packet of ${n} bytes is too large`);
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function lengthPrefixed(bytes: Uint8Array): number[] {
  if (bytes.length > 0xffff) throw new Error('mqtt: string longer than 65535 bytes');
  return [bytes.length >> 8, bytes.length & 0xff];
}

function packet(firstByte: number, parts: (number[] | Uint8Array)[]): Uint8Array {
  const bodyLength = parts.reduce((n, p) => n + p.length, 0);
  const head = [firstByte, ...remainingLength(bodyLength)];
  const out = new Uint8Array(head.length + bodyLength);
  out.set(head, 0);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function encodeConnect(o: ConnectOptions): Uint8Array {
  const clientId = utf8Encode(o.clientId);
  const parts: (number[] | Uint8Array)[] = [];
  let flags = o.cleanSession ? 0x02 : 0;
  parts.push([0, 4, 0x4d, 0x51, 0x54, 0x54, 4]); // "MQTT", protocol level 4 (3.1.1)
  const user = o.username ? utf8Encode(o.username) : null;
  // 3.1.1 allows a password only with a user name.
  const pass = user && o.password ? utf8Encode(o.password) : null;
  if (user) flags |= 0x80;
  if (pass) flags |= 0x40;
  parts.push([flags, (o.keepAliveSeconds >> 8) & 0xff, o.keepAliveSeconds & 0xff]);
  parts.push(lengthPrefixed(clientId), clientId);
  if (user) parts.push(lengthPrefixed(user), user);
  if (pass) parts.push(lengthPrefixed(pass), pass);
  return packet(PACKET.CONNECT << 4, parts);
}

export function encodePublish(o: PublishOptions): Uint8Array {
  const topic = utf8Encode(o.topic);
  if (o.topic === '' || /[+#\u0000]/.test(o.topic)) throw new Error(`mqtt: invalid topic name "${o.topic}"`);
  const parts: (number[] | Uint8Array)[] = [lengthPrefixed(topic), topic];
  if (o.qos === 1) {
    const id = o.packetId ?? 0;
    if (id < 1 || id > 0xffff) throw new Error(`mqtt: packet id ${id} out of range`);
    parts.push([id >> 8, id & 0xff]);
  }
  parts.push(o.payload);
  return packet((PACKET.PUBLISH << 4) | (o.dup ? 0x08 : 0) | (o.qos << 1), parts);
}

export function encodePingreq(): Uint8Array {
  return new Uint8Array([PACKET.PINGREQ << 4, 0]);
}

export function encodeDisconnect(): Uint8Array {
  return new Uint8Array([PACKET.DISCONNECT << 4, 0]);
}

/**
 * Splits the broker's byte stream into packets (TCP delivers them cut and
 * glued anyhow). A malformed stream throws: the caller drops the connection.
 */
export class MqttPacketReader {
  private buffer = new Uint8Array(0);

  push(bytes: Uint8Array): IncomingPacket[] {
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer, 0);
    joined.set(bytes, this.buffer.length);
    this.buffer = joined;
    const out: IncomingPacket[] = [];
    for (;;) {
      const framed = this.frame();
      if (!framed) return out;
      out.push(framed);
    }
  }

  private frame(): IncomingPacket | null {
    const b = this.buffer;
    if (b.length < 2) return null;
    let length = 0;
    let multiplier = 1;
    let at = 1;
    for (;;) {
      if (at >= b.length) return null;
      if (at > 4) throw new Error('mqtt: malformed remaining length');
      const byte = b[at++];
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if ((byte & 0x80) === 0) break;
    }
    if (length > MAX_INCOMING_PACKET) throw new Error(`mqtt: incoming packet of ${length} bytes refused`);
    if (b.length < at + length) return null;
    const body = b.subarray(at, at + length);
    this.buffer = b.slice(at + length);
    return parse(b[0], body);
  }
}

function parse(first: number, body: Uint8Array): IncomingPacket {
  const type = first >> 4;
  switch (type) {
    case PACKET.CONNACK:
      if (body.length !== 2) throw new Error('mqtt: malformed CONNACK');
      return { type: 'connack', sessionPresent: (body[0] & 1) === 1, returnCode: body[1] };
    case PACKET.PUBACK:
      if (body.length !== 2) throw new Error('mqtt: malformed PUBACK');
      return { type: 'puback', packetId: (body[0] << 8) | body[1] };
    case PACKET.PINGRESP:
      if (body.length !== 0) throw new Error('mqtt: malformed PINGRESP');
      return { type: 'pingresp' };
    default:
      throw new Error(`mqtt: unexpected packet type ${type} from the broker`);
  }
}
