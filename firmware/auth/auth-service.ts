/**
 * Admin and user passwords at the phone: the menu password prompts (with
 * brute-force throttling and an audit line per attempt; every checked
 * attempt is recorded on flash before the check, attempt-throttle.ts), password changes
 * under the length rules, the forced change of the default admin password
 * before any admin access (SB-327), and `device.auth.localAdminPassword`,
 * `device.auth.localUserPassword` from configuration (the config service
 * holds them back unless their `.set` companion is 1).
 *
 * What the person at the phone is told comes back as a catalog Message
 * (shown in the phone's language by the screen); the audit records the same
 * message in English, so the trail reads the same in every language.
 */
import type { ConfigReader } from '../login/config-reader';
import { inEnglish, message, type Message } from '../ui/i18n/messages';
import type { AttemptThrottle, PromptKind } from './attempt-throttle';
import { newPasswordProblem } from './password-policy';
import type { PasswordVault, Role } from './password-vault';
import type { SecurityAudit } from './security-audit';

export type PromptResult =
  | { kind: 'granted'; role: Role }
  /** The default admin password was given: it must be replaced before admin access. */
  | { kind: 'mustChangeAdmin' }
  | { kind: 'refused'; message: Message };

export const CONFIGURED_ADMIN = 'device.auth.localAdminPassword';
/** The change-password menus as the audit names them (English, stable: not the screen's title). */
const AUDIT_CHANGE_MENU: Record<Role, string> = { admin: 'Change Admin Password', user: 'Change User Password' };
export const CONFIGURED_USER = 'device.auth.localUserPassword';

export class AuthService {
  constructor(
    readonly vault: PasswordVault,
    readonly throttle: AttemptThrottle,
    readonly audit: SecurityAudit,
    private readonly config: ConfigReader,
  ) {}

  echoDigits(): boolean {
    return this.config.get('up.echoPasswordDigits') !== '0';
  }

  minLength(role: Role): number {
    return Number(this.config.get(role === 'admin' ? 'sec.pwd.length.admin' : 'sec.pwd.length.user') ?? '0');
  }

  /** The refusal while a prompt is throttled, else null. */
  throttled(prompt: PromptKind): Message | null {
    const a = this.throttle.admit(prompt);
    if (a.allowed) return null;
    const s = Math.ceil(a.waitMs / 1000);
    if (!a.locked) return message('auth.wait', { seconds: s });
    return s >= 60 ? message('auth.lockedMinutes', { minutes: Math.ceil(s / 60) }) : message('auth.lockedSeconds', { seconds: s });
  }

  /**
   * Record a checked attempt on flash before the check (attempt-throttle.ts).
   * Null when recorded; else the refusal: an attempt that cannot be
   * recorded is not checked.
   */
  beginAttempt(prompt: PromptKind, what: string, menu: string, who: string): Message | null {
    try {
      this.throttle.begin(prompt);
      return null;
    } catch (e) {
      this.audit.attempt({ prompt: what, menu, who, result: 'refused', detail: `attempt not recorded on flash (${(e as Error).message}): password not checked` });
      return message('auth.cannotCheck');
    }
  }

  /** Boot: attempts a restart cut short before their outcome was recorded are failures (and audited as such). */
  recoverInterruptedAttempts(): void {
    for (const a of this.throttle.recover()) {
      const where = a.prompt === 'login' ? 'login screen' : 'password prompt';
      this.audit.attempt({ prompt: a.prompt === 'login' ? 'phone login' : 'menu password', menu: where, who: 'unknown', result: 'failure', detail: `interrupted by a restart before its outcome was recorded: counted as failed, ${a.failures} in a row` });
      if (a.locked) this.audit.critical(`${where} locked after ${a.failures} failed attempts in a row (the last one interrupted by a restart)`);
    }
  }

  /** A password typed at a menu prompt (`required`: the access the entry needs). */
  tryMenuPassword(menu: string, required: Role, password: string): PromptResult {
    const wait = this.throttled('menu');
    if (wait) {
      this.audit.attempt({ prompt: 'menu password', menu, who: `${required} prompt`, result: 'refused', detail: inEnglish(wait).toLowerCase() });
      return { kind: 'refused', message: wait };
    }
    const unrecorded = this.beginAttempt('menu', 'menu password', menu, `${required} prompt`);
    if (unrecorded) return { kind: 'refused', message: unrecorded };
    const role = this.vault.check(password);
    if (!role) return { kind: 'refused', message: this.failure('menu', 'menu password', menu, `${required} prompt`) };
    this.throttle.succeeded('menu');
    if (role === 'admin' && this.vault.isDefault('admin')) {
      this.audit.attempt({ prompt: 'menu password', menu, who: 'admin', result: 'success', detail: 'default admin password: change required before access' });
      return { kind: 'mustChangeAdmin' };
    }
    this.audit.attempt({ prompt: 'menu password', menu, who: role, result: 'success', detail: role !== required ? `${role} password at a ${required} prompt` : undefined });
    return { kind: 'granted', role };
  }

  /**
   * The web interface's login page (Admin or User): the keypad's password
   * prompts' throttle (one lockout: failures at the web lock the keypad's
   * prompts and the other way round) and audit trail. The admin password
   * also opens a User login, as at the keypad.
   */
  tryWebLogin(role: Role, password: string): PromptResult {
    // The audit names the web login page as the menu the password was typed at.
    const auditMenu = 'Web Configuration Utility';
    const wait = this.throttled('menu');
    if (wait) {
      this.audit.attempt({ prompt: 'web password', menu: auditMenu, who: role, result: 'refused', detail: inEnglish(wait).toLowerCase() });
      return { kind: 'refused', message: wait };
    }
    const unrecorded = this.beginAttempt('menu', 'web password', auditMenu, role);
    if (unrecorded) return { kind: 'refused', message: unrecorded };
    const got = this.vault.check(password);
    if (got !== role && !(role === 'user' && got === 'admin')) return { kind: 'refused', message: this.failure('menu', 'web password', auditMenu, role) };
    this.throttle.succeeded('menu');
    if (role === 'admin' && this.vault.isDefault('admin')) {
      this.audit.attempt({ prompt: 'web password', menu: auditMenu, who: 'admin', result: 'success', detail: 'default admin password: change required before access' });
      return { kind: 'mustChangeAdmin' };
    }
    this.audit.attempt({ prompt: 'web password', menu: auditMenu, who: role, result: 'success' });
    return { kind: 'granted', role };
  }

  /** Check the current password of `role` in a change-password flow (admin's also opens the user's). */
  verifyCurrent(role: Role, password: string): Message | null {
    const auditMenu = AUDIT_CHANGE_MENU[role];
    const wait = this.throttled('menu');
    if (wait) {
      this.audit.attempt({ prompt: 'current password', menu: auditMenu, who: role, result: 'refused', detail: inEnglish(wait).toLowerCase() });
      return wait;
    }
    const unrecorded = this.beginAttempt('menu', 'current password', auditMenu, role);
    if (unrecorded) return unrecorded;
    const got = this.vault.check(password);
    if (got === 'admin' || got === role) {
      this.throttle.succeeded('menu');
      this.audit.attempt({ prompt: 'current password', menu: auditMenu, who: got, result: 'success' });
      return null;
    }
    return this.failure('menu', 'current password', auditMenu, role);
  }

  /** Set a new password typed on the phone; what went wrong, or null. */
  change(role: Role, next: string, confirm: string): Message | null {
    if (next !== confirm) return message('auth.mismatch');
    const problem = newPasswordProblem(role, next, this.minLength(role));
    if (problem) {
      this.audit.attempt({ prompt: 'new password', menu: `Change ${role} password`, who: role, result: 'refused', detail: inEnglish(problem).toLowerCase() });
      return problem;
    }
    try {
      this.vault.set(role, next);
    } catch (e) {
      this.audit.critical(`${role} password could not be stored (${(e as Error).message}); unchanged`);
      return message('auth.cannotStore');
    }
    this.audit.critical(`${role} password changed on the phone`);
    return null;
  }

  /**
   * `device.auth.localAdminPassword` / `device.auth.localUserPassword` in
   * force (the config service applies them only with `.set=1` and
   * `device.set` not 0): called once per new value
   * (settings/device-parameter-sync.ts), so a password changed at the phone
   * later stands until the files bring a new one. The password rules in
   * force apply (`sec.pwd.length.*`, never the default): a file raising
   * `sec.pwd.length.user` can also replace the default user password.
   */
  applyConfiguredPassword(role: Role, value: string): { ok: true; changed: boolean } | { ok: false; reason: string } {
    const parameter = role === 'admin' ? CONFIGURED_ADMIN : CONFIGURED_USER;
    const problem = newPasswordProblem(role, value, this.minLength(role));
    if (problem) {
      const reason = inEnglish(problem).toLowerCase();
      this.audit.critical(`${parameter} from configuration refused: ${reason}; ${role} password unchanged`);
      return { ok: false, reason };
    }
    if (!this.vault.isDefault(role) && this.vault.check(value) === role) return { ok: true, changed: false };
    this.vault.set(role, value); // a failed write throws: the sync logs it and tries again at the next change or boot
    this.audit.critical(`${role} password set from configuration (${parameter})`);
    return { ok: true, changed: true };
  }

  /** Resolve the attempt begun with beginAttempt as failed, log it (and a lockout), and say what the person at the phone sees. */
  failure(prompt: PromptKind, what: string, menu: string, who: string, detail = 'wrong password'): Message {
    const f = this.throttle.failed(prompt);
    this.audit.attempt({ prompt: what, menu, who, result: 'failure', detail: `${detail}, ${f.failures} in a row` });
    if (f.locked) {
      this.audit.critical(`${prompt === 'login' ? 'login screen' : 'password prompt'} locked for ${Math.round(f.waitMs / 60000)} min after ${f.failures} failed attempts in a row`);
      return message('auth.lockedFor', { minutes: Math.round(f.waitMs / 60000) });
    }
    return f.waitMs > 0 ? message('auth.incorrectWait', { seconds: Math.ceil(f.waitMs / 1000) }) : message('auth.incorrect');
  }
}
