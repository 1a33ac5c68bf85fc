/**
 * The firmware's MQTT 3.1.1 codec, byte for byte against the standard's
 * layouts (the broker tests check it against mosquitto), and the reader's
 * framing of a stream cut and glued anyhow.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MqttPacketReader, encodeConnect, encodeDisconnect, encodePingreq, encodePublish } from '../../firmware/analytics/mqtt-codec';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('CONNECT with user name, password, clean session and keepalive', () => {
  const p = encodeConnect({ clientId: 'c1', username: 'u', password: 'pw', keepAliveSeconds: 60, cleanSession: true });
  // remaining length: variable header 10 + client id (2+2) + user (2+1) + password (2+2) = 21
  assert.is(hex(p), '1015' + '00044d51545404' + 'c2003c' + '00026331' + '000175' + '00027077');
});

test('CONNECT leaves out a password without a user name (3.1.1 forbids it)', () => {
  const p = encodeConnect({ clientId: 'x', password: 'pw', keepAliveSeconds: 0, cleanSession: true });
  assert.is(p[9], 0x02, 'flags: clean session only');
});

test('PUBLISH QoS 1 carries the packet id; DUP flag on a resend; remaining length over 127 takes two bytes', () => {
  const payload = new Uint8Array(200).fill(0x61);
  const p = encodePublish({ topic: 'a/b', payload, qos: 1, packetId: 258, dup: true });
  assert.is(p[0], 0x3a);
  assert.is(hex(p.subarray(1, 3)), 'cf01', '(2 + 3) + 2 + 200 = 207: 0x4f | 0x80, then 1');
  assert.is(hex(p.subarray(3, 10)), '0003612f620102');
  assert.is(p.length, 3 + 207);
});

test('PUBLISH refuses wildcards and an empty topic', () => {
  for (const topic of ['a/+', 'a/#', '']) assert.throws(() => encodePublish({ topic, payload: new Uint8Array(0), qos: 1, packetId: 1 }));
  assert.throws(() => encodePublish({ topic: 'a', payload: new Uint8Array(0), qos: 1, packetId: 0 }));
});

test('PINGREQ and DISCONNECT', () => {
  assert.is(hex(encodePingreq()), 'c000');
  assert.is(hex(encodeDisconnect()), 'e000');
});

test('reader: packets split across chunks and glued in one', () => {
  const r = new MqttPacketReader();
  assert.equal(r.push(new Uint8Array([0x20])), []);
  assert.equal(r.push(new Uint8Array([0x02, 0x00])), []);
  assert.equal(r.push(new Uint8Array([0x00, 0x40, 0x02, 0x01, 0x02, 0xd0, 0x00])), [
    { type: 'connack', sessionPresent: false, returnCode: 0 },
    { type: 'puback', packetId: 258 },
    { type: 'pingresp' },
  ]);
});

test('reader: a refused CONNACK is reported with its code; malformed streams throw', () => {
  assert.equal(new MqttPacketReader().push(new Uint8Array([0x20, 0x02, 0x00, 0x05])), [{ type: 'connack', sessionPresent: false, returnCode: 5 }]);
  assert.throws(() => new MqttPacketReader().push(new Uint8Array([0x40, 0x03, 0, 1, 2])), /PUBACK/);
  assert.throws(() => new MqttPacketReader().push(new Uint8Array([0x90, 0x03, 0, 1, 0])), /unexpected packet type 9/);
  assert.throws(() => new MqttPacketReader().push(new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])), /remaining length|refused/);
  assert.throws(() => new MqttPacketReader().push(new Uint8Array([0x30, 0xff, 0xff, 0x7f])), /refused/);
});

test.run();
