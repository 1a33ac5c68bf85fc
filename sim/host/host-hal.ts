/**
 * The HAL a host hands to the firmware (directly under Node, or through the
 * QuickJS bridge): the simulator's virtual devices or the board's drivers, with every callback into the
 * firmware routed through the event gate.
 */
import type { BoardInfo, Hal, Ldap, Resources, Socket, Udp } from '../../hal/contract';
import type { EventGate } from './event-gate';
import { scheduledDisplay, type PanelDevice } from './frame-scheduler';
import { nativeTextCodec } from '../../hal/linux/native-text-codec';

/** The devices a host hands over: the simulator's virtual ones, or the Linux board's drivers (hal/linux/board-host.ts). */
export type HostDevices = Omit<Hal, 'board' | 'ldap' | 'socket' | 'udp' | 'runtime' | 'resources' | 'display'> & { ldap: Ldap; socket: Socket; udp: Udp; display: PanelDevice };

/** `resources`: the running image's resource pack (the factory image's or an A/B slot's), null for an image without. */
export function createHostHal(profile: BoardInfo, devices: HostDevices, gate: EventGate, resources: Resources | null = null): Hal {
  const { flash, crypto, clock, display, keys, leds, line, net, usb, power, serial, ldap, udp, socket, httpServer } = devices;
  const board = { ...profile, keys: [...profile.keys] };
  return {
    board,
    flash,
    crypto,
    clock: {
      now: () => clock.now(),
      setWallTime: (ms) => clock.setWallTime(ms),
      monotonic: () => clock.monotonic(),
      setTimer: (delayMs, callback) => clock.setTimer(delayMs, () => gate.deliver('timer', callback)),
      clearTimer: (id) => clock.clearTimer(id),
    },
    display: scheduledDisplay(display, clock, gate),
    keys: { onKey: (handler) => keys.onKey((e) => gate.deliver(`key ${e.key}`, () => handler(e))), heldAtPowerOn: () => keys.heldAtPowerOn?.() ?? [] },
    leds,
    line: {
      onEvent: (handler) => line.onEvent((e) => gate.deliver(`line ${e.type}`, () => handler(e))),
      register: (account) => line.register(account),
      unregister: (n) => line.unregister(n),
      dial: (t) => line.dial(t),
      answer: (id) => line.answer(id),
      reject: (id, code) => line.reject(id, code),
      hangup: (id) => line.hangup(id),
      hold: (id, on) => line.hold(id, on),
      transfer: (id, t) => line.transfer(id, t),
      attendedTransfer: (id, other) => line.attendedTransfer(id, other),
      forward: (id, t) => line.forward(id, t),
    },
    net: {
      // Each streamed piece of a body is an entry of its own, queued behind the firmware's current one.
      request: (req) => net.request(req.onBodyChunk ? { ...req, onBodyChunk: (chunk) => gate.deliver('net body', () => req.onBodyChunk!(chunk)) } : req),
      linkUp: () => net.linkUp(),
      onLink: (handler) => net.onLink((up) => gate.deliver('link', () => handler(up))),
    },
    usb,
    power,
    serial,
    ldap: { search: (req) => ldap.search(req) },
    socket: {
      connect: async (options) => {
        const c = await socket.connect(options);
        return {
          write: (bytes) => c.write(bytes),
          onData: (handler) => c.onData((bytes) => gate.deliver('socket data', () => handler(bytes))),
          onClose: (handler) => c.onClose((reason) => gate.deliver('socket close', () => handler(reason))),
          close: () => c.close(),
        };
      },
    },
    udp: { send: (host, port, text) => udp.send(host, port, text), exchange: (req) => udp.exchange(req) },
    ...(resources ? { resources } : {}),
    text: nativeTextCodec,
    httpServer: httpServer && {
      // Requests arrive from outside like keys: each is one entry into the firmware through the gate.
      serve: (options, handler) => httpServer.serve(options, (request, respond) => gate.deliver(`http ${request.method}`, () => handler(request, respond))),
      stop: () => httpServer.stop(),
    },
  };
}
