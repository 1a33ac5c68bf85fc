/** An AuthService over the simulator's crypto engine, a map for nvram and a map for configuration; log lines collected. */
import { AttemptThrottle, type AttemptRecordStore, type PromptKind } from '../../firmware/auth/attempt-throttle';
import { AuthService, type PromptResult } from '../../firmware/auth/auth-service';
import { inEnglish, type Message } from '../../firmware/ui/i18n/messages';
import { PasswordVault } from '../../firmware/auth/password-vault';
import { SecurityAudit } from '../../firmware/auth/security-audit';
import { Logger } from '../../firmware/kernel/logger';
import { NodeCryptoEngine } from '../../sim/devices/crypto';

export class MapStore {
  readonly values = new Map<string, string>();
  get(n: string): string | undefined { return this.values.get(n); }
  set(n: string, v: string): void { this.values.set(n, v); }
  remove(n: string): void { this.values.delete(n); }
  /** The attempt records (AttemptRecordStore), kept beside the settings. */
  readonly attempts: AttemptRecordStore = {
    read: (p: PromptKind) => this.values.get(`attempts.${p}`),
    write: (p: PromptKind, r: string) => { this.values.set(`attempts.${p}`, r); },
  };
}

export interface AuthRig {
  auth: AuthService;
  nvram: MapStore;
  config: Map<string, string>;
  lines: string[];
  clock: { now: number };
  crypto: NodeCryptoEngine;
  /** A new service over the same nvram (a reboot: the monotonic clock starts again). */
  reboot(): AuthRig;
}

const DEFAULTS: Record<string, string> = { 'sec.pwd.length.admin': '1', 'sec.pwd.length.user': '2', 'up.echoPasswordDigits': '1' };

export function authRig(config: Record<string, string> = {}, nvram = new MapStore(), lines: string[] = []): AuthRig {
  const clock = { now: 0 };
  const values = new Map(Object.entries({ ...DEFAULTS, ...config }));
  const logger = new Logger(() => Date.UTC(2026, 0, 1) + clock.now, 0);
  logger.addSink((l) => lines.push(l));
  const crypto = new NodeCryptoEngine();
  const auth = new AuthService(new PasswordVault(crypto, nvram), new AttemptThrottle(nvram.attempts, () => clock.now), new SecurityAudit(logger.component('auth')), { get: (n) => values.get(n) });
  return { auth, nvram, config: values, lines, clock, crypto, reboot: () => authRig(Object.fromEntries(values), nvram, lines) };
}

/** What the service tells the person at the phone, in English (the catalog messages it returns, as text): for comparisons. */
export function said<T extends PromptResult | Message | null>(r: T): T extends Message ? string : T extends null ? null : T extends PromptResult ? PromptResult | { kind: 'refused'; message: string } : never;
export function said(r: PromptResult | Message | null): unknown {
  if (r === null) return null;
  if ('key' in r) return inEnglish(r);
  return r.kind === 'refused' ? { kind: 'refused', message: inEnglish(r.message) } : r;
}
