/**
 * The security audit trail (spec: "How Administrators are Informed of Any
 * Security Anomalies"): every login attempt — phone login, admin and user
 * password prompts, successful or not, who, which menu — and every critical
 * security event goes to the device log, component `auth`. The log line's
 * timestamp says when. Passwords never appear, not even wrong ones.
 */
import type { ComponentLogger } from '../kernel/logger';
import { party } from '../kernel/party';

export interface AttemptRecord {
  /** `menu password` (admin/user prompt), `phone login`, `change password`. */
  prompt: string;
  /** The menu or purpose the prompt guards. */
  menu: string;
  /** Who: the role claimed or granted, or the user id typed at the login screen. */
  who: string;
  result: 'success' | 'failure' | 'refused';
  detail?: string;
}

export class SecurityAudit {
  constructor(private readonly log: ComponentLogger) {}

  attempt(r: AttemptRecord): void {
    // At a login prompt `who` is the user ID typed (party data); elsewhere it is a role.
    const who = /login/.test(r.prompt) ? party(clean(r.who), 'user') : clean(r.who);
    const text = `login attempt: ${r.prompt} for "${clean(r.menu)}" by ${who}: ${r.result}${r.detail ? ` (${r.detail})` : ''}`;
    if (r.result === 'success') this.log.notice(text);
    else this.log.warning(text);
  }

  /** Lockouts, password changes, remote logouts: what an administrator must see. */
  critical(text: string): void {
    this.log.critical(`security: ${text}`);
  }
}

/** What a user typed may carry control characters or be long: keep log lines one readable line. */
export function clean(text: string): string {
  const s = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}
