/**
 * The simulator's virtual SIP registrar: what the virtual line registers
 * with. By default it accepts every account; tests and scenarios script it:
 * accept only known users (digest password check), refuse everything, go
 * away (no answer: bindings are lost at their next refresh) and come back.
 */
import type { SipAccount } from '../../hal/contract';

export interface RegistrarBinding {
  line: number;
  /** Address of record as the line gave it. */
  address: string;
  /** The authentication user id used. */
  user: string;
  expires: number;
}

/** What tests, scenarios and the browser UI drive (`phone.farEnd.registrar`). */
export interface RegistrarControl {
  /** Accept only these users (auth user id → password); null: accept every account (the default). */
  setUsers(users: Record<string, string> | null): void;
  /** Refuse every REGISTER with this status until `accept()`. */
  reject(status?: string): void;
  /** Stop refusing (back to the user check). */
  accept(): void;
  /** The registrar stops answering: new registrations and refreshes time out. */
  goAway(): void;
  comeBack(): void;
  /** Current bindings, by line. */
  bindings(): RegistrarBinding[];
  /** REGISTER requests received (refreshes included), for counting retries. */
  requests(): number;
}

export class VirtualRegistrar implements RegistrarControl {
  private users: Map<string, string> | null = null;
  private refusal: string | null = null;
  private away = false;
  private readonly bound = new Map<number, RegistrarBinding>();
  private received = 0;

  setUsers(users: Record<string, string> | null): void {
    this.users = users ? new Map(Object.entries(users)) : null;
  }

  reject(status = '403 Forbidden'): void {
    this.refusal = status;
  }

  accept(): void {
    this.refusal = null;
  }

  goAway(): void {
    this.away = true;
  }

  comeBack(): void {
    this.away = false;
  }

  bindings(): RegistrarBinding[] {
    return [...this.bound.values()].sort((a, b) => a.line - b.line);
  }

  requests(): number {
    return this.received;
  }

  /** One REGISTER from `account`: null when bound, else the failure the line reports. */
  register(account: SipAccount): string | null {
    if (this.away) {
      this.bound.delete(account.line);
      return '408 Request Timeout';
    }
    this.received++;
    const user = account.authUserId || account.address.replace(/^sips?:/i, '').split('@')[0];
    let failure = this.refusal;
    if (!failure && this.users && this.users.get(user) !== account.password) failure = '403 Forbidden';
    if (failure) {
      this.bound.delete(account.line);
      return failure;
    }
    this.bound.set(account.line, { line: account.line, address: account.address, user, expires: account.server.expires });
    return null;
  }

  unregister(line: number): void {
    this.bound.delete(line);
  }
}
