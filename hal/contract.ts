/**
 * The hardware abstraction layer: the firmware's only door to hardware.
 *
 * Interfaces only. The same firmware image runs against two implementations:
 * the simulator's virtual devices (inside QuickJS, or directly under Node) and
 * the Linux single-board-computer desk phone (`hal/linux`).
 *
 * Shape (ECMA-419 IO class pattern, as in the Moddable SDK): a device is
 * configured once, reports through callbacks, and does not emulate what the
 * hardware cannot do. Synchronous where the hardware is (flash, display, keys,
 * crypto engine); Promise or callback where it is not (network, SIP line).
 *
 * This file must stay free of Node and DOM types: it is compiled into the
 * firmware bundle as well as into the hosts.
 */
// ───────────────────────────── board ─────────────────────────────

/** Pixel layout of the framebuffer. */
export type PixelFormat =
  /** 1 bit per pixel, rows packed MSB-first, row stride ceil(width/8) bytes; 1 = ink (dark). */
  | 'mono1'
  /** 16 bits per pixel, little-endian RGB565, row stride width*2 bytes. */
  | 'rgb565';

/** Every key a desk phone of this family may have. A board lists the subset it has. */
export type KeyName =
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#'
  | 'soft1' | 'soft2' | 'soft3' | 'soft4'
  | 'up' | 'down' | 'left' | 'right' | 'select' | 'back' | 'home'
  | 'hook' | 'speaker' | 'headset' | 'mute' | 'volumeUp' | 'volumeDown'
  | 'line1' | 'line2' | 'line3' | 'line4'
  | 'directory' | 'messages' | 'transfer' | 'hold' | 'redial' | 'conference';

export interface PartitionLayout {
  /** `nvram` (device settings), `fs` (files), `updater` (boot record, A/B slots). */
  name: string;
  /** Size in bytes; a multiple of blockSize. */
  size: number;
}

/** What the board is. Fixed for the life of a boot. */
export interface BoardInfo {
  /** Board profile id, e.g. `desk-500`. */
  profile: string;
  /** Model id as used in provisioning (`[PHONE_MODEL]`), e.g. `DESK500`. */
  model: string;
  /** 12 lower-case hex digits, no separators (`[PHONE_MAC_ADDRESS]`). */
  mac: string;
  serial: string;
  hardwareRevision: string;
  display: { width: number; height: number; format: PixelFormat };
  /** The keys this board has. */
  keys: KeyName[];
  /** Held together at power-on, these run the updater's factory reset (README "Board profiles"). */
  recoveryKeys?: KeyName[];
  /** Model maximum for `dir.local.contacts.maxNum` (99 or 500). */
  contactLimit: number;
  /** SIP lines the board has (line keys `line1`..`lineN`, LEDs likewise): `reg.1`..`reg.N`. */
  lineCount: number;
  /** Memory the application may use, bytes (the simulator enforces it as the QuickJS memory limit). */
  memoryBudgetBytes: number;
  /** Stack the application may use, bytes. */
  stackBudgetBytes: number;
  /** NOR geometry shared by all partitions. */
  flash: { blockSize: number; progSize: number; partitions: PartitionLayout[] };
}

// ───────────────────────────── flash ─────────────────────────────

/**
 * One raw NOR flash partition. Offsets are relative to the partition start.
 *
 * NOR semantics: `program` can only clear bits (1→0): the stored byte becomes
 * `old & new`. `erase` sets a whole block to 0xFF. `program` offsets and
 * lengths must be multiples of `progSize`; violations throw RangeError.
 * A power cut may leave the page being programmed partly written (torn) and
 * the block being erased partly erased.
 */
export interface FlashPartition {
  readonly name: string;
  readonly size: number;
  readonly blockSize: number;
  readonly progSize: number;
  read(offset: number, length: number): Uint8Array;
  /**
   * The first `length` bytes (1..blockSize) of every whole block of the
   * partition, block after block: `length * floor(size / blockSize)` bytes.
   * What a mount reads of each block header in one call instead of reading
   * the whole partition. Optional: without it the firmware reads whole blocks.
   */
  readBlockStarts?(length: number): Uint8Array;
  /**
   * A NOR blank check of every whole block: one byte per block, 1 where
   * bytes `from`..blockSize of the block all read 0xFF, else 0. The store
   * checks erased blocks for what a torn erase left without moving their
   * bytes. Optional: without it the firmware reads the blocks.
   */
  blankBlocks?(from: number): Uint8Array;
  program(offset: number, bytes: Uint8Array): void;
  /** Erase block number `block` (offset block*blockSize). */
  erase(block: number): void;
}

export interface Flash {
  /** Names of the partitions the board has. */
  partitions(): string[];
  /** Throws if the board has no such partition. */
  open(name: string): FlashPartition;
}

// ───────────────────────────── crypto ─────────────────────────────

/**
 * The SoC's crypto engine and secure element. Pure-JS crypto inside QuickJS is
 * ~200x slower than native, so firmware never hashes or ciphers in JS.
 *
 * Named keys live in the keystore and never leave it: the firmware refers to
 * them by name only. Destroying a key makes everything encrypted under it
 * unreadable (cryptographic erase).
 */
export interface Crypto {
  sha1(data: Uint8Array): Uint8Array;
  sha256(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array;
  randomBytes(length: number): Uint8Array;
  /** AES-CBC with PKCS#7 padding under a raw key (16 bytes → AES-128, 32 → AES-256). For keys given by configuration. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Throws on bad padding. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array;

  /** Create a fresh random AES-256 key under `name`; replaces an existing one. */
  generateKey(name: string): void;
  hasKey(name: string): boolean;
  /** Destroy the key; a no-op if absent. */
  destroyKey(name: string): void;
  /** Names of keys starting with `prefix` (all if omitted). */
  listKeys(prefix?: string): string[];
  /**
   * AES-256-GCM under a named key. Output: 12-byte IV, ciphertext, 16-byte tag.
   * `aad` is authenticated but not encrypted.
   */
  encrypt(keyName: string, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** Throws if the key is missing or the data was tampered with. */
  decrypt(keyName: string, sealed: Uint8Array, aad?: Uint8Array): Uint8Array;
  /**
   * `decrypt` of each item, in one call: the plaintext, or the message
   * `decrypt` would have thrown. In QuickJS every host call costs about
   * 0.15 ms, and a file of the store is several sealed records. Absent: the
   * firmware decrypts one by one.
   */
  decryptEach?(items: SealedItem[]): (Uint8Array | string)[];
  /**
   * Check a signature over `data` with a public key (DER SubjectPublicKeyInfo):
   * `ed25519` (64-byte signature) or `ecdsa-p256` (SHA-256, DER signature).
   * False for a wrong or malformed signature; throws only for a key that is
   * not of `algorithm`. Firmware update files are checked this way.
   */
  verify(algorithm: SignatureAlgorithm, publicKeyDer: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean;
  /**
   * Signing keys (the web server's TLS certificate): ECDSA P-256, kept under
   * `name` in the same keystore as the AES keys (`hasKey`, `destroyKey` and
   * `listKeys` see them too); the private key never leaves the crypto device.
   */
  /** Create a fresh P-256 signing key under `name`; replaces an existing one. */
  generateSigningKey(name: string): void;
  /** Keep a provisioned private key (PKCS#8 DER, P-256) under `name`. Throws for another key type or bad DER. */
  importSigningKey(name: string, pkcs8Der: Uint8Array): void;
  /** Public key of a signing key, DER SubjectPublicKeyInfo. Throws if absent or not a signing key. */
  signingPublicKey(name: string): Uint8Array;
  /** ECDSA P-256 with SHA-256 over `data`: DER signature. Throws if absent or not a signing key. */
  sign(name: string, data: Uint8Array): Uint8Array;
}

/** Signature schemes of `Crypto.verify`. */
export type SignatureAlgorithm = 'ed25519' | 'ecdsa-p256';

// ───────────────────────────── clock ─────────────────────────────

export type TimerId = number;

export interface Clock {
  /** UTC wall time, ms since the epoch. May jump (NTP, manual set). */
  now(): number;
  /** Set the wall clock (NTP result or manual entry). */
  setWallTime(ms: number): void;
  /** Monotonic ms since boot; never jumps. */
  monotonic(): number;
  /** One-shot timer on the monotonic clock. */
  setTimer(delayMs: number, callback: () => void): TimerId;
  clearTimer(id: TimerId): void;
}

// ───────────────────────────── display ─────────────────────────────

/** The text model of what is on screen: what tests and QA read instead of pixels. */
export interface ScreenText {
  /** Stable id of the screen, e.g. `idle`, `settings`, `password`. */
  id: string;
  title: string;
  /**
   * Body lines top to bottom, as shown (after scrolling). A screen may give a
   * line as `left\tright`: `right` (e.g. a number) is drawn whole at the right
   * edge and `left` cut first; described as `left  right` (two spaces).
   */
  lines: string[];
  /** Soft key labels left to right; '' for an unlabelled key. */
  softKeys: string[];
  /** Index into `lines` of the highlighted line, or -1. */
  focus: number;
  /** Status bar text (time, line state), if any. */
  status?: string;
  /**
   * Parts drawn shortened, as described: each ends in '…' exactly as drawn.
   * 'title', 'status', 'line N' (index into `lines`), 'key N' (soft key).
   * Absent when nothing is cut, so tests can catch every cut.
   */
  cut?: string[];
  /** Body lines hidden by scrolling, drawn as ▲ / ▼ at the right edge: above, below or both. */
  more?: 'up' | 'down' | 'both';
}

export interface Display {
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  /** Copy a w×h rectangle of pixels in the display's format (row stride as for `format` with width w). */
  blit(x: number, y: number, w: number, h: number, pixels: Uint8Array): void;
  /** 0 (off) … 100. */
  setBacklight(level: number): void;
  /** Publish the text model of the screen just drawn. */
  describe(screen: ScreenText): void;
  /**
   * Ask for a frame: `draw` runs as an entry of its own once the panel needs
   * pixels at or after monotonic time `at` (ms; `clock.monotonic()` for as soon
   * as possible, after the current entry). One request is outstanding: a new
   * one replaces it. A panel someone looks at gets the frame at `at`; a host
   * whose panel nobody is reading (a simulated phone run unseen in virtual
   * time) holds it until the panel is read, as a browser holds the animation
   * frames of a hidden tab. So the firmware draws here, never from a timer.
   */
  requestFrame(at: number, draw: () => void): void;
}

// ───────────────────────────── keys and LEDs ─────────────────────────────

export interface KeyEvent {
  key: KeyName;
  /** true on press, false on release. */
  down: boolean;
}

export interface Keys {
  /** One handler per boot; a later call replaces it. */
  onKey(handler: (event: KeyEvent) => void): void;
  /** Keys held down at power-on (the updater's recovery key combination); absent on a host that cannot tell. */
  heldAtPowerOn?(): KeyName[];
}

export type LedName = 'messageWaiting' | 'line1' | 'line2' | 'line3' | 'line4' | 'mute' | 'speaker' | 'headset';
export type LedState = 'off' | 'on' | 'blink';

export interface Leds {
  set(led: LedName, state: LedState): void;
}

// ───────────────────────────── SIP line ─────────────────────────────

export interface Party {
  /** Number or SIP URI, at most PARTY_ADDRESS_MAX characters. */
  address: string;
  /** Display name from signalling, '' when absent; at most PARTY_NAME_MAX characters. */
  name: string;
}

/**
 * What a line may deliver, in characters: what a SIP phone accepts
 * (display names of desk phones are shorter still; SIP URIs in the wild
 * stay well under 256). Every host cuts longer values at its entry and the
 * firmware cuts again (firmware/calls/party-bounds.ts).
 */
export const PARTY_NAME_MAX = 128;
export const PARTY_ADDRESS_MAX = 256;

export type CallEndCause =
  | 'local-hangup' | 'remote-hangup' | 'busy' | 'rejected' | 'no-answer'
  | 'cancelled' | 'transferred' | 'forwarded' | 'preempted' | 'answered-elsewhere' | 'error';

export type SipTransport = 'UDP' | 'TCP' | 'TLS';

/** A registrar (or outbound proxy) to register a line with. */
export interface SipServer {
  /** Host name or IP address; '' means the host part of the line's address. */
  address: string;
  /** 0 means the transport's default port (5060, 5061 for TLS). */
  port: number;
  transport: SipTransport;
  /** Requested registration lifetime, seconds. */
  expires: number;
}

/** One line's SIP account, as configuration gives it (`reg.x.*`, `voIpProt.server.x.*`). */
export interface SipAccount {
  /** Line number from 1 (its line key and LED). */
  line: number;
  /** User part (`1001`) or user@host of the address of record. */
  address: string;
  displayName: string;
  /** Digest authentication user id; '' means the user part of `address`. */
  authUserId: string;
  password: string;
  server: SipServer;
}

export type RegistrationState = 'registering' | 'registered' | 'unregistered' | 'failed';

/** Events a line reports. `callId` is assigned by the line (the SIP stack). */
export type LineEvent =
  /** `line` absent: line 1 as the host set it up (an account the firmware did not register). */
  | { type: 'registration'; line?: number; state: RegistrationState; reason?: string }
  | { type: 'incoming'; callId: string; remote: Party; local: string }
  | { type: 'ringing'; callId: string }
  | { type: 'connected'; callId: string; remote?: Party }
  | { type: 'held'; callId: string; byRemote: boolean }
  | { type: 'resumed'; callId: string; byRemote: boolean }
  | { type: 'transferred'; callId: string; target: string }
  | { type: 'forwarded'; callId: string; target: string }
  | { type: 'ended'; callId: string; cause: CallEndCause; sipCode?: number }
  /** SIP NOTIFY; `check-sync` carries params such as `profileLogout=remote`. */
  | { type: 'notify'; event: string; params: Record<string, string> };

export interface Line {
  onEvent(handler: (event: LineEvent) => void): void;
  /**
   * Register `account` on its line (replacing what that line had). Resolves once
   * the request is under way; the outcome comes as `registration` events
   * (registering, then registered or failed with a reason). The firmware
   * retries a failure itself: a host does not keep retrying a refused account.
   */
  register(account: SipAccount): Promise<void>;
  /** Unregister the line and forget its account (an `unregistered` event follows). */
  unregister(line: number): Promise<void>;
  /** Start an outgoing call; resolves with the line's call id once the INVITE is sent. */
  dial(target: string): Promise<string>;
  answer(callId: string): Promise<void>;
  /** Decline an incoming call (486 Busy Here by default). */
  reject(callId: string, sipCode?: number): Promise<void>;
  hangup(callId: string): Promise<void>;
  hold(callId: string, on: boolean): Promise<void>;
  /** Blind transfer (REFER) of `callId` to `target`. */
  transfer(callId: string, target: string): Promise<void>;
  /** Consultation (attended) transfer: connect `callId`'s party to `consultCallId`'s party. */
  attendedTransfer(callId: string, consultCallId: string): Promise<void>;
  /** Redirect an incoming call before answering (302). */
  forward(callId: string, target: string): Promise<void>;
}

// ───────────────────────────── network ─────────────────────────────

export interface NetRequest {
  method: 'GET' | 'PUT' | 'DELETE' | 'POST' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Credentials for HTTP basic or digest authentication (the host answers the challenge). */
  auth?: { user: string; password: string };
  timeoutMs?: number;
  /** Abort with `too-large` past this many body bytes. */
  maxBodyBytes?: number;
  /** PEM CA certificates trusted for this request, in addition to none: HTTPS without one fails `tls`. */
  trustedCaPem?: string;
  /**
   * Streaming: the body of a 2xx answer is handed over in pieces of at most
   * 64 KiB, in order, each as its own event before the request settles, and
   * the response's `body` is then empty — so a large download (a global
   * directory) never sits whole in RAM. Other statuses' bodies (a 401
   * challenge, an error page) still arrive whole in `body`. `maxBodyBytes`
   * counts the streamed bytes too. The callback must not throw.
   */
  onBodyChunk?: (chunk: Uint8Array) => void;
}

export interface NetResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Rejection reason of `request`: an Error whose message starts with one of these codes. */
export type NetErrorCode = 'timeout' | 'refused' | 'dns' | 'tls' | 'too-large' | 'link-down' | 'io';

export interface Net {
  request(request: NetRequest): Promise<NetResponse>;
  linkUp(): boolean;
  onLink(handler: (up: boolean) => void): void;
}

// ───────────────────────────── socket ─────────────────────────────

/** TLS of a socket: without `caPem` the host refuses to connect (no system trust store on a phone). */
export interface SocketTls {
  /** PEM CA certificates the server's chain must lead to. */
  caPem: string;
  /** Client certificate and key (PEM) when the server asks for one. */
  certPem?: string;
  keyPem?: string;
  /** Name checked against the server certificate (default: `host`). */
  servername?: string;
}

export interface SocketConnectOptions {
  host: string;
  port: number;
  /** Absent: plain TCP. */
  tls?: SocketTls;
  timeoutMs?: number;
  /** The firmware never reads (remote syslog): what the peer sends is dropped, no reply is awaited. */
  writeOnly?: boolean;
}

/** One open TCP (or TLS) connection. Bytes arrive through `onData` in order; `onClose` is called once. */
export interface SocketConnection {
  /** Resolves once the bytes are handed to the network stack; rejects `closed` after the connection ended. */
  write(bytes: Uint8Array): Promise<void>;
  onData(handler: (bytes: Uint8Array) => void): void;
  /** `reason` is '' for an orderly close by the peer, else an error code and text (`io: ...`). */
  onClose(handler: (reason: string) => void): void;
  close(): void;
}

/** TCP client with TLS (the analytics broker, remote syslog over TCP / TLS). `connect` rejects with an Error whose message starts with `timeout`, `refused`, `dns`, `tls`, `link-down` or `io`. */
export interface Socket {
  connect(options: SocketConnectOptions): Promise<SocketConnection>;
}

// ───────────────────────────── UDP ─────────────────────────────

/** One datagram out and the first datagram back (an SNTP query, RFC 4330). */
export interface UdpExchange {
  /** Host name or IPv4 address. */
  host: string;
  port: number;
  payload: Uint8Array;
  /** Give up when no answer came within this time. */
  timeoutMs: number;
}

/** Datagrams (UDP). Rejections: an Error whose message starts with `timeout`, `dns`, `too-big`, `link-down` or `io`. */
export interface Udp {
  /**
   * Fire and forget (remote syslog): one datagram, `text` as UTF-8, to
   * host:port. Resolving means the datagram left the phone, not that anyone
   * received it.
   */
  send(host: string, port: number, text: string): Promise<void>;
  /** Send `payload` from a fresh local port and resolve with the first datagram answered from host:port (SNTP). */
  exchange(request: UdpExchange): Promise<Uint8Array>;
}

// ───────────────────────────── LDAP ─────────────────────────────

/** One LDAP search (the corporate directory). The host binds, searches and unbinds; the firmware never sees the socket. */
export interface LdapSearchRequest {
  /** `ldap://host:port` or `ldaps://host:port`. */
  url: string;
  /** Bind DN (or user name); empty for an anonymous bind. */
  bindDn: string;
  password: string;
  baseDn: string;
  scope: 'base' | 'one' | 'sub';
  /** RFC 4515 filter, already escaped by the caller. */
  filter: string;
  /** Attributes to return. */
  attributes: string[];
  /** At most this many entries (the server's size limit answer is not an error). */
  sizeLimit: number;
  timeoutMs: number;
  /** PEM CA certificates trusted for `ldaps://`; without one a TLS search fails `tls`. */
  trustedCaPem?: string;
}

/** One entry found: its DN and the first value of each attribute asked for that it has. */
export interface LdapEntry {
  dn: string;
  attributes: Record<string, string>;
}

/** Rejection reason of `search`: an Error whose message starts with `timeout`, `refused`, `tls`, `auth`, `link-down` or `io`. */
export interface Ldap {
  search(request: LdapSearchRequest): Promise<LdapEntry[]>;
}

// ───────────────────────────── HTTP server ─────────────────────────────

/** One request to the phone's own web server (Web Configuration Utility), parsed by the host. */
export interface HttpServerRequest {
  method: string;
  /** Path and query exactly as sent (`/status?x=1`), not decoded. */
  target: string;
  /** Header names lower-cased; a repeated header joined with ', ' (`cookie` with '; '). */
  headers: Record<string, string>;
  /** The body; a longer one than `maxBodyBytes` is answered 413 by the host without calling the firmware. */
  body: Uint8Array;
  /** Came over TLS. */
  secure: boolean;
  /** Peer IP address (audit lines, throttling). */
  remoteAddress: string;
}

export interface HttpServerResponse {
  status: number;
  /** Header names as sent; `set-cookie` may carry several cookies separated by '\n'. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface HttpListening {
  httpPort: number;
  httpsPort: number;
}

export interface HttpServeOptions {
  /** Plain HTTP port as configured (`httpd.cfg.port`); 0: no plain listener. A host may map it (the simulator takes a free 127.0.0.1 port). */
  httpPort: number;
  /** HTTPS port as configured (`httpd.cfg.secureTunnelPort`); 0: none. Mapped likewise. */
  httpsPort: number;
  /** Certificate chain (PEM, leaf first) and the crypto device's signing key of the leaf. Required when `httpsPort` is not 0. */
  tls?: { certificatePem: string; keyName: string };
  /** Request bodies beyond this many bytes are refused by the host (413). */
  maxBodyBytes: number;
}

/**
 * The phone's own HTTP/HTTPS server. The host owns sockets, TLS and HTTP
 * parsing; the firmware renders every answer. `serve` replaces what was served
 * (new ports, new certificate); it resolves once listening and rejects with an
 * Error whose message starts with `in-use`, `tls` or `io`.
 */
export interface HttpServer {
  /**
   * `respond` exactly once per request, possibly later (after a flash write or a download).
   * Resolves with the ports actually listened on (0: none): a host may map ports (the simulator), and a redirect to HTTPS must name the real one.
   */
  serve(options: HttpServeOptions, handler: (request: HttpServerRequest, respond: (response: HttpServerResponse) => void) => void): Promise<HttpListening>;
  /** Stop listening and drop open connections (`httpd.enabled` turned 0). */
  stop(): void;
}

// ───────────────────────────── USB ─────────────────────────────

export interface Usb {
  /** A mass-storage device is plugged in and mounted. */
  present(): boolean;
  /** Throws an Error whose message starts with `absent` or `full`. */
  writeFile(name: string, bytes: Uint8Array): void;
  freeBytes(): number;
}

// ───────────────────────────── power ─────────────────────────────

export type BootReason = 'power-on' | 'reboot' | 'power-cut' | 'crash' | 'watchdog';

export interface Power {
  /** Restart the application after the current event returns. */
  reboot(reason: string): void;
  /** Boots since the flash was first written (the restart counter). */
  bootCount(): number;
  /** Why this boot happened. */
  lastBootReason(): BootReason;
  /** The `reason` given to the `reboot` call that caused this boot, if any. */
  lastRebootMessage(): string;
}

// ───────────────────────────── runtime ─────────────────────────────

/** The JavaScript engine running the firmware (device analytics reports its heap). */
export interface Runtime {
  /** Heap the engine holds now and the limit it enforces (0: none), bytes. */
  memoryUsage(): { heapBytes: number; limitBytes: number };
}

// ───────────────────────────── image resources ─────────────────────────────

/**
 * Read-only data shipped in the firmware image beside the code (the glyphs of
 * the Unicode font): kept in the image, read a few bytes at a time on demand,
 * so it never sits in the engine's heap. Names are fixed at build time
 * (`unifont`: docs/display.md).
 */
export interface Resources {
  /** Length in bytes of the resource `name`; 0 when the image has none of that name. */
  size(name: string): number;
  /** `length` bytes from `offset`; throws RangeError outside the resource. */
  read(name: string, offset: number, length: number): Uint8Array;
}

// ───────────────────────────── serial console ─────────────────────────────

/** The board's UART debug console: the log of last resort, always present. */
export interface Serial {
  write(line: string): void;
}

// ───────────────────────────── the HAL ─────────────────────────────

/**
 * UTF-8 as the firmware's own codec defines it (firmware/kernel/text-codec.ts):
 * a lone surrogate encodes as U+FFFD; each malformed sequence decodes as
 * U+FFFD; a byte-order mark is kept. In QuickJS a loop per byte costs about
 * 0.3 µs a byte, so texts of more than a few hundred bytes come here.
 */
export interface TextCodec {
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

/** One sealed record for `Crypto.decryptEach`. */
export interface SealedItem {
  keyName: string;
  sealed: Uint8Array;
  aad?: Uint8Array;
}

export interface Hal {
  board: BoardInfo;
  flash: Flash;
  crypto: Crypto;
  clock: Clock;
  display: Display;
  keys: Keys;
  leds: Leds;
  line: Line;
  net: Net;
  usb: Usb;
  power: Power;
  serial: Serial;
  /** LDAP client of the network stack (corporate directory); absent on a board without one. */
  ldap?: Ldap;
  /** TCP/TLS client (MQTT to the analytics broker, remote syslog over TCP / TLS); absent on a board without one. */
  socket?: Socket;
  /** The engine's heap figures; absent on a host that cannot tell. */
  runtime?: Runtime;
  /** Datagram client of the network stack (SNTP, remote syslog over UDP); absent on a board without one. */
  udp?: Udp;
  /** The phone's own web server; absent on a board without one. */
  httpServer?: HttpServer;
  /** Read-only data of the image (font glyphs); absent on a host that loaded none. */
  resources?: Resources;
  /** UTF-8 in the host's native code; absent: the firmware's own (a loop per byte, slow in QuickJS). */
  text?: TextCodec;
}

/** What the firmware image exposes: `boot(hal)` starts the phone and returns once the boot sequence has been scheduled. */
export interface FirmwareImage {
  boot(hal: Hal): void;
  /** Image version string (from package.json at build time). */
  version: string;
}
