/**
 * Guest side of the QuickJS bridge: builds a full `Hal` inside the VM from two
 * primitive host functions. Compiled into the firmware image (pure ES2020).
 *
 * Wire format, both directions: a JSON text in which every Uint8Array is
 * replaced by `{"$b": i}`, followed by the byte buffers as ArrayBuffers.
 *
 * - guest → host, synchronous: `call(device, method, json, ...buffers)` returns
 *   a JSON text, or an array `[json, ...buffers]` when the result holds bytes.
 * - guest → host, asynchronous: `callAsync(ticket, device, method, json, ...buffers)`;
 *   the host later dispatches `settle` for that ticket. The Promise is created
 *   here, in the guest, so the host never holds a guest promise handle.
 * - host → guest: one dispatcher, `dispatch(channel, json, ...buffers)`, for
 *   timers, keys, line events, link changes and settlements. It is the only
 *   guest function the host keeps a handle to.
 */
import type {
  BoardInfo, BootReason, Clock, Crypto, Display, Flash, FlashPartition, Hal, KeyEvent, LedName, LedState,
  HttpServerRequest, HttpServerResponse, LdapEntry, LdapSearchRequest, LineEvent, NetRequest, NetResponse, ScreenText, SocketConnection, TimerId, UdpExchange,
} from '../contract';

export type HostReply = string | [string, ...ArrayBuffer[]];

export interface HostBridge {
  call(device: string, method: string, json: string, ...buffers: ArrayBuffer[]): HostReply;
  callAsync(ticket: number, device: string, method: string, json: string, ...buffers: ArrayBuffer[]): void;
}

/** Channel names the host dispatches on. */
export type GuestChannel = 'timer' | 'frame' | 'key' | 'line' | 'link' | 'settle' | 'socket' | 'netBody' | 'http';

export type Dispatcher = (channel: GuestChannel, json: string, ...buffers: ArrayBuffer[]) => void;

interface Encoded { json: string; buffers: ArrayBuffer[] }

/** Top-level byte arrays only need the replacer; most calls carry none (JSON.stringify without one is much cheaper in QuickJS). */
function mayHoldBytes(value: unknown): boolean {
  if (value instanceof Uint8Array) return true;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === 'object') return true;
    return false;
  }
  return true;
}

function encode(value: unknown): Encoded {
  if (!mayHoldBytes(value)) {
    const plain = JSON.stringify(value);
    return { json: plain === undefined ? 'null' : plain, buffers: [] };
  }
  const buffers: ArrayBuffer[] = [];
  const json = JSON.stringify(value, (_key, v) => {
    if (v instanceof Uint8Array) {
      buffers.push(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer);
      return { $b: buffers.length - 1 };
    }
    return v;
  });
  return { json: json === undefined ? 'null' : json, buffers };
}

function decode(json: string, buffers: ArrayBuffer[]): any {
  if (buffers.length === 0) return JSON.parse(json);
  return JSON.parse(json, (_key, v) =>
    v !== null && typeof v === 'object' && typeof v.$b === 'number' ? new Uint8Array(buffers[v.$b]) : v);
}

function decodeReply(reply: HostReply): any {
  return typeof reply === 'string' ? decode(reply, []) : decode(reply[0], reply.slice(1) as ArrayBuffer[]);
}

/** Longest stack text sent with a budget error (a stack overflow's trace has thousands of frames). */
const MAX_REPORTED_STACK = 16 * 1024;

/**
 * QuickJS's stack and memory limits throw InternalErrors ("stack overflow",
 * "out of memory") that the firmware can catch like any error; in a promise
 * job the error only rejects a promise that a `.catch(() => {})` ignores or
 * nobody handles, and the host would never learn that a budget ran out. So
 * every promise reaction is watched: a budget error handed to a rejection
 * handler, or thrown by a reaction, is reported to the host once. (The CPU
 * budget's "interrupted" the host knows by itself.) Not seen: such an error
 * caught by try/catch inside one function, or rejecting a promise nobody ever
 * calls `then` on.
 */
function watchBudgetErrors(report: (error: Error) => void): void {
  const reported = new WeakSet<object>();
  const note = (e: unknown): void => {
    if (!(e instanceof Error) || e.name !== 'InternalError' || !/^(stack overflow|out of memory)$/.test(e.message) || reported.has(e)) return;
    reported.add(e);
    try {
      report(e);
    } catch {
      // Out of memory again while reporting: the host learns of it from its own measurement, if at all.
    }
  };
  const watched = (handler: unknown, rejection: boolean): unknown => {
    if (typeof handler !== 'function') return handler;
    return function (this: unknown, value: unknown): unknown {
      if (rejection) note(value);
      try {
        return handler.call(this, value);
      } catch (e) {
        note(e);
        throw e;
      }
    };
  };
  const original = Promise.prototype.then;
  Object.defineProperty(Promise.prototype, 'then', {
    value: function then(this: Promise<unknown>, onFulfilled?: unknown, onRejected?: unknown) {
      return original.call(this, watched(onFulfilled, false) as never, watched(onRejected, true) as never);
    },
    writable: true,
    configurable: true,
  });
}

/**
 * Build the guest HAL. Returns the HAL and the dispatcher the host must call
 * for every host→guest event.
 */
export function createGuestHal(bridge: HostBridge): { hal: Hal; dispatch: Dispatcher } {
  const call = (device: string, method: string, ...args: unknown[]): any => {
    const { json, buffers } = encode(args);
    return decodeReply(bridge.call(device, method, json, ...buffers));
  };
  watchBudgetErrors((e) => call('engine', 'budgetError', e.message, String(e.stack ?? '').slice(0, MAX_REPORTED_STACK)));

  let nextTicket = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const callAsync = (device: string, method: string, ...args: unknown[]): Promise<any> =>
    new Promise((resolve, reject) => {
      const ticket = nextTicket++;
      pending.set(ticket, { resolve, reject });
      const { json, buffers } = encode(args);
      try {
        bridge.callAsync(ticket, device, method, json, ...buffers);
      } catch (e) {
        pending.delete(ticket);
        reject(e as Error);
      }
    });

  /** Streamed net requests' body sinks by ticket. */
  const bodySinks = new Map<number, (chunk: Uint8Array) => void>();
  const timers = new Map<TimerId, () => void>();
  let keyHandler: ((e: KeyEvent) => void) | null = null;
  let frameDraw: (() => void) | null = null;
  let lineHandler: ((e: LineEvent) => void) | null = null;
  let linkHandler: ((up: boolean) => void) | null = null;
  let httpHandler: ((request: HttpServerRequest, respond: (response: HttpServerResponse) => void) => void) | null = null;

  const board: BoardInfo = call('board', 'info');

  // Socket connections by host id; events may arrive before the firmware sets its handlers: kept until then.
  interface GuestSocket { data: ((b: Uint8Array) => void) | null; close: ((r: string) => void) | null; early: Uint8Array[]; closed: string | null }
  const sockets = new Map<number, GuestSocket>();
  const socketState = (id: number): GuestSocket => {
    let s = sockets.get(id);
    if (!s) sockets.set(id, s = { data: null, close: null, early: [], closed: null });
    return s;
  };
  const guestConnection = (id: number): SocketConnection => {
    const s = socketState(id);
    return {
      write: (bytes) => callAsync('socket', 'write', id, bytes),
      onData(handler) {
        s.data = handler;
        for (const b of s.early.splice(0)) handler(b);
      },
      onClose(handler) {
        s.close = handler;
        if (s.closed !== null) { sockets.delete(id); handler(s.closed); }
      },
      close: () => { call('socket', 'close', id); },
    };
  };

  const partitions = new Map<string, FlashPartition>();
  const flash: Flash = {
    partitions: () => call('flash', 'partitions'),
    open(name) {
      let p = partitions.get(name);
      if (!p) {
        const g: { size: number; blockSize: number; progSize: number; readsBlockStarts?: boolean; checksBlank?: boolean } = call('flash', 'geometry', name);
        p = {
          name, size: g.size, blockSize: g.blockSize, progSize: g.progSize,
          read: (offset, length) => call('flash', 'read', name, offset, length),
          ...(g.readsBlockStarts ? { readBlockStarts: (length: number) => call('flash', 'readBlockStarts', name, length) } : {}),
          ...(g.checksBlank ? { blankBlocks: (from: number) => call('flash', 'blankBlocks', name, from) } : {}),
          program: (offset, bytes) => { call('flash', 'program', name, offset, bytes); },
          erase: (block) => { call('flash', 'erase', name, block); },
        };
        partitions.set(name, p);
      }
      return p;
    },
  };

  const crypto: Crypto = {
    sha1: (d) => call('crypto', 'sha1', d),
    sha256: (d) => call('crypto', 'sha256', d),
    hmacSha256: (k, d) => call('crypto', 'hmacSha256', k, d),
    pbkdf2Sha256: (p, s, i, l) => call('crypto', 'pbkdf2Sha256', p, s, i, l),
    randomBytes: (n) => call('crypto', 'randomBytes', n),
    aesCbcEncrypt: (k, iv, d) => call('crypto', 'aesCbcEncrypt', k, iv, d),
    aesCbcDecrypt: (k, iv, d) => call('crypto', 'aesCbcDecrypt', k, iv, d),
    generateKey: (n) => { call('crypto', 'generateKey', n); },
    hasKey: (n) => call('crypto', 'hasKey', n),
    destroyKey: (n) => { call('crypto', 'destroyKey', n); },
    listKeys: (prefix) => call('crypto', 'listKeys', prefix),
    encrypt: (n, d, aad) => call('crypto', 'encrypt', n, d, aad),
    decrypt: (n, d, aad) => call('crypto', 'decrypt', n, d, aad),
    decryptEach: (items) => call('crypto', 'decryptEach', items),
    verify: (a, k, d, s) => call('crypto', 'verify', a, k, d, s),
    generateSigningKey: (n) => { call('crypto', 'generateSigningKey', n); },
    importSigningKey: (n, der) => { call('crypto', 'importSigningKey', n, der); },
    signingPublicKey: (n) => call('crypto', 'signingPublicKey', n),
    sign: (n, d) => call('crypto', 'sign', n, d),
  };

  const clock: Clock = {
    now: () => call('clock', 'now'),
    setWallTime: (ms) => { call('clock', 'setWallTime', ms); },
    monotonic: () => call('clock', 'monotonic'),
    setTimer(delayMs, callback) {
      const id: TimerId = call('clock', 'setTimer', delayMs);
      timers.set(id, callback);
      return id;
    },
    clearTimer(id) {
      if (timers.delete(id)) call('clock', 'clearTimer', id);
    },
  };

  const display: Display = {
    width: board.display.width,
    height: board.display.height,
    format: board.display.format,
    blit: (x, y, w, h, pixels) => { call('display', 'blit', x, y, w, h, pixels); },
    setBacklight: (level) => { call('display', 'setBacklight', level); },
    describe: (screen: ScreenText) => { call('display', 'describe', screen); },
    requestFrame(at, draw) {
      frameDraw = draw;
      call('display', 'requestFrame', at);
    },
  };

  const hal: Hal = {
    board,
    flash,
    crypto,
    clock,
    display,
    keys: {
      onKey(handler) {
        keyHandler = handler;
        call('keys', 'subscribe');
      },
      heldAtPowerOn: () => call('keys', 'heldAtPowerOn'),
    },
    leds: { set: (led: LedName, state: LedState) => { call('leds', 'set', led, state); } },
    line: {
      onEvent(handler) {
        lineHandler = handler;
        call('line', 'subscribe');
      },
      register: (account) => callAsync('line', 'register', account),
      unregister: (lineNumber) => callAsync('line', 'unregister', lineNumber),
      dial: (target) => callAsync('line', 'dial', target),
      answer: (id) => callAsync('line', 'answer', id),
      reject: (id, code) => callAsync('line', 'reject', id, code),
      hangup: (id) => callAsync('line', 'hangup', id),
      hold: (id, on) => callAsync('line', 'hold', id, on),
      transfer: (id, target) => callAsync('line', 'transfer', id, target),
      attendedTransfer: (id, other) => callAsync('line', 'attendedTransfer', id, other),
      forward: (id, target) => callAsync('line', 'forward', id, target),
    },
    net: {
      request(req: NetRequest): Promise<NetResponse> {
        if (!req.onBodyChunk) return callAsync('net', 'request', req);
        // A function cannot cross the bridge: the host streams the body on channel netBody under the request's ticket.
        const { onBodyChunk, ...rest } = req;
        const ticket = nextTicket;
        bodySinks.set(ticket, onBodyChunk);
        const done = () => { bodySinks.delete(ticket); };
        return callAsync('net', 'request', { ...rest, streamBody: true }).then((r) => { done(); return r; }, (e) => { done(); throw e; });
      },
      linkUp: () => call('net', 'linkUp'),
      onLink(handler) {
        linkHandler = handler;
        call('net', 'subscribe');
      },
    },
    usb: {
      present: () => call('usb', 'present'),
      writeFile: (name, bytes) => { call('usb', 'writeFile', name, bytes); },
      freeBytes: () => call('usb', 'freeBytes'),
    },
    power: {
      reboot: (reason) => { call('power', 'reboot', reason); },
      bootCount: () => call('power', 'bootCount'),
      lastBootReason: (): BootReason => call('power', 'lastBootReason'),
      lastRebootMessage: () => call('power', 'lastRebootMessage'),
    },
    serial: { write: (line) => { call('serial', 'write', line); } },
    runtime: { memoryUsage: () => call('engine', 'memoryUsage') },
    text: { encode: (text) => call('text', 'encode', text), decode: (bytes) => call('text', 'decode', bytes) },
    ldap: { search: (req: LdapSearchRequest): Promise<LdapEntry[]> => callAsync('ldap', 'search', req) },
    socket: { connect: (options) => callAsync('socket', 'connect', options).then((id: number) => guestConnection(id)) },
    udp: {
      send: (host: string, port: number, text: string): Promise<void> => callAsync('udp', 'send', host, port, text),
      exchange: (req: UdpExchange): Promise<Uint8Array> => callAsync('udp', 'exchange', req),
    },
    // Read from the image by the host: a glyph costs two small calls, the font never enters the VM's heap.
    resources: {
      size: (name: string): number => call('resources', 'size', name),
      read: (name: string, offset: number, length: number): Uint8Array => call('resources', 'read', name, offset, length),
    },
    httpServer: {
      serve(options, handler) {
        httpHandler = handler;
        return callAsync('httpServer', 'serve', options);
      },
      stop() {
        httpHandler = null;
        call('httpServer', 'stop');
      },
    },
  };

  const dispatch: Dispatcher = (channel, json, ...buffers) => {
    const payload = decode(json, buffers);
    switch (channel) {
      case 'timer': {
        const cb = timers.get(payload.id);
        if (cb) {
          timers.delete(payload.id);
          cb();
        }
        return;
      }
      case 'frame': {
        const draw = frameDraw;
        frameDraw = null;
        if (draw) draw();
        return;
      }
      case 'key':
        if (keyHandler) keyHandler(payload);
        return;
      case 'line':
        if (lineHandler) lineHandler(payload);
        return;
      case 'link':
        if (linkHandler) linkHandler(payload.up);
        return;
      case 'socket': {
        const s = socketState(payload.id);
        if (payload.event === 'data') {
          if (s.data) s.data(payload.bytes);
          else s.early.push(payload.bytes);
        } else {
          const reason: string = payload.reason ?? '';
          s.closed = reason;
          if (s.close) { sockets.delete(payload.id); s.close(reason); }
        }
        return;
      }
      case 'netBody': {
        const sink = bodySinks.get(payload.ticket);
        if (sink) sink(payload.bytes);
        return;
      }
      case 'http': {
        const id: number = payload.id;
        let answered = false;
        const respond = (response: HttpServerResponse): void => {
          if (answered) return;
          answered = true;
          call('httpServer', 'respond', id, response);
        };
        if (httpHandler) httpHandler(payload.request, respond);
        else respond({ status: 503, headers: {}, body: new Uint8Array(0) });
        return;
      }
      case 'settle': {
        const p = pending.get(payload.ticket);
        if (!p) return;
        pending.delete(payload.ticket);
        if (payload.ok) p.resolve(payload.value);
        else p.reject(new Error(payload.error));
        return;
      }
    }
  };

  return { hal, dispatch };
}
