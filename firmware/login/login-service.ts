/**
 * User profiles (spec: "User Profiles", "Remotely Logging Out Users"): who
 * is logged in, how they got there, and what follows them.
 *
 * - Login: phone-based (`prov.login.localPassword[.hash]` of the user's
 *   `<user>-phone.cfg`, else `<user>.cfg`, else the phone's configuration)
 *   or server-based (`prov.login.useProvAuth=1`: the provisioning server
 *   accepts the user's credentials, which then replace the generic ones).
 * - The user's `<user>.cfg` and `<user>-phone.cfg` go to the config service
 *   (`setUser`, highest precedence); `user:changed` tells the calls and
 *   directory modules; `<user>-directory.xml` / `<user>-calls.xml` are
 *   handed over as `prov:directory` / `prov:callList` events.
 * - Logout (soft key, `prov.login.automaticLogout`, check-sync NOTIFY with
 *   `profileLogout=remote`, a reboot with `prov.login.persistent=0`): every
 *   per-user data class whose declaration lists `userLogout` is erased from
 *   flash for that user (key destroyed, blocks erased); then the default
 *   user, if any, logs in again. Crash-consistent (logout-journal.ts): the
 *   session goes in the same transaction that marks the logout pending, and
 *   boot finishes a pending logout before anything reads per-user data; it
 *   also erases logout-class data of anyone who is not the session's user.
 * - An unexpected reboot (power cut, crash, watchdog) never logs a user out.
 */
import { inEnglish, message, shown, t, type Message } from '../ui/i18n/messages';
import type { Hal } from '../../hal/contract';
import type { AuthService } from '../auth/auth-service';
import type { ConfigService } from '../config/config-service';
import { parseCfg } from '../config/cfg-xml';
import type { Kernel } from '../kernel/kernel';
import type { ComponentLogger } from '../kernel/logger';
import type { ProvisioningService } from '../provisioning/provisioning-module';
import type { FileStore } from '../storage/file-store';
import { boardLineCount, isEmergencyNumber } from './emergency-numbers';
import { localPasswordMatches, storedForm, type LocalPassword } from './local-password';
import { readSession, SESSION_PATH, writeSession, type LoginSession } from './login-session';
import { commitLogout, pendingLogouts } from './logout-journal';
import { UserDataEraser } from './user-data-eraser';
import { fetchUserFile, type UserFileOutcome, type UserFileSource } from './user-files';
import { userIdProblem } from './user-id';
import { party } from '../kernel/party';

/** Where the audit says a login password was typed (English, as every audit record). */
const AUDIT_LOGIN_MENU = 'Login';
const AUDIT_PASSWORD_MENU = 'Change User Password';

export type LoginResult = { ok: true } | { ok: false; message: string };
export type LoginSource = 'screen' | 'default';

const UNEXPECTED_BOOTS = ['power-cut', 'crash', 'watchdog'];

export interface LoginDeps {
  kernel: Kernel;
  fs: FileStore;
  config: ConfigService;
  provisioning: ProvisioningService;
  auth: AuthService;
  /** Called after every login/logout (the UI redraws, ends password sessions). */
  changed?: (user: string | null) => void;
}

export class LoginService {
  private session: LoginSession | null = null;
  private autoLogoutTimer: number | null = null;
  /** Monotonic time the session began (this boot's measure): the automatic logout counts from it, so a wall-clock step moves no deadline. */
  private sessionStartMono = 0;
  private busy = false;
  private readonly log: ComponentLogger;
  private readonly hal: Hal;
  private readonly eraser: UserDataEraser;

  constructor(private readonly d: LoginDeps) {
    this.log = d.kernel.log.component('login');
    this.hal = d.kernel.hal;
    this.eraser = new UserDataEraser({ fs: d.fs, crypto: this.hal.crypto, config: d.config, modules: d.kernel.modules, log: this.log });
  }

  // ── state the other modules read ──

  enabled(): boolean {
    return this.d.config.get('prov.login.enabled') === '1';
  }

  currentUser(): string | null {
    return this.session?.user ?? null;
  }

  isDefaultUser(): boolean {
    return !!this.session?.isDefault;
  }

  /** `prov.login.required=1` and nobody logged in: only emergency and authorized numbers may be dialled. */
  isPhoneLocked(): boolean {
    return this.enabled() && this.d.config.get('prov.login.required') === '1' && !this.session;
  }

  /** Whether `number` may be dialled while the phone is locked (dialplan.routing.emergency.*, dialplan.<line>.routing.emergency.*). */
  isDialAllowedWhileLoggedOut(number: string): boolean {
    return isEmergencyNumber(this.d.config, number, boardLineCount(this.d.kernel.hal.board));
  }

  /** Soft-key label on idle: Login, Logout (not for the default user) or none. */
  softKey(): string {
    if (!this.enabled()) return '';
    // prov.login.defaultOnly does not apply with server authentication (spec).
    if (!this.session || this.session.isDefault) return this.defaultOnly() && this.d.config.get('prov.login.useProvAuth') !== '1' ? '' : t('softkey.login');
    return t('softkey.logout');
  }

  // ── boot ──

  /** Boot: restore the session or log it out, then the default user; follow config changes and NOTIFYs. */
  start(): void {
    // Before anything reads per-user data: a logout a power cut interrupted is finished first.
    for (const user of this.pending()) {
      this.log.notice(`${party(user, 'user')}: finishing the logout interrupted by a power cut or a failed erase`);
      this.eraser.erase(user, 'interrupted logout finished at boot');
    }
    const stored = readSession(this.d.fs, (m) => this.log.error(m));
    const reason = this.hal.power.lastBootReason();
    if (stored && !this.enabled()) {
      this.log.notice(`user profiles are off (prov.login.enabled=0): logging out ${party(stored.user, 'user')}`);
      this.logoutStored(stored.user, 'profiles disabled');
    } else if (stored) {
      const persistent = this.d.config.get('prov.login.persistent') === '1';
      if (persistent || UNEXPECTED_BOOTS.includes(reason)) {
        this.restore(stored, persistent ? 'persistent' : `unexpected reboot (${reason})`);
      } else {
        this.log.notice(`${party(stored.user, 'user')} logged out by the reboot (prov.login.persistent=0, boot reason ${reason})`);
        this.logoutStored(stored.user, 'reboot');
      }
    }
    // Belt and braces: logout-class data of anyone but the session's user has no owner on this phone.
    for (const user of this.safely('listing users with data', () => this.eraser.usersWithData(this.currentUser()), [])) {
      this.log.notice(`${party(user, 'user')} is not logged in but has data on the phone: erasing it`);
      this.eraser.erase(user, 'not logged in');
    }
    this.d.kernel.bus.on('line', (e) => {
      if (e.type === 'notify' && e.event.toLowerCase() === 'check-sync' && (e.params.profileLogout ?? '').toLowerCase() === 'remote') {
        if (!this.session) {
          this.log.notice('check-sync NOTIFY profileLogout=remote: nobody is logged in');
          return;
        }
        this.d.auth.audit.critical(`remote logout of ${party(this.session.user, 'user')} (check-sync NOTIFY profileLogout=remote)`);
        this.logout('remote');
      }
    });
    this.d.config.onChange((changes) => {
      const names = changes.map((c) => c.name);
      if (names.includes('prov.login.enabled') && !this.enabled() && this.session) {
        this.log.notice('user profiles turned off (prov.login.enabled=0)');
        this.logout('profiles disabled', false);
      }
      if (names.includes('prov.login.automaticLogout')) this.armAutoLogout();
      // Configuration that arrives after boot (first provisioning) may bring the default user.
      if (!this.session && this.enabled() && names.some((n) => n === 'prov.login.enabled' || n === 'prov.login.defaultUser')) this.loginDefaultUser();
      if (names.some((n) => n.startsWith('prov.login.'))) this.d.changed?.(this.currentUser());
    });
    if (!this.session) this.loginDefaultUser();
  }

  // ── login ──

  async login(user: string, password: string, source: LoginSource = 'screen'): Promise<LoginResult> {
    const who = user;
    const audit = this.d.auth.audit;
    // Shown in the phone's language; the audit records English.
    const refuse = (why: Message, detail = inEnglish(why)): LoginResult => {
      audit.attempt({ prompt: source === 'default' ? 'default user login' : 'phone login', menu: 'Login', who, result: 'refused', detail: detail.toLowerCase() });
      return { ok: false, message: shown(why) };
    };
    if (!this.enabled()) return refuse(message('login.profilesOff'));
    const problem = userIdProblem(user);
    if (problem) return refuse(problem);
    if (this.busy) return refuse(message('login.inProgress'));
    const wait = source === 'screen' ? this.d.auth.throttled('login') : null;
    if (wait) return refuse(wait);
    const defaultUser = this.d.config.get('prov.login.defaultUser') ?? '';
    const serverAuth = this.d.config.get('prov.login.useProvAuth') === '1';
    if (!serverAuth && this.defaultOnly() && user !== defaultUser) return refuse(message('login.defaultOnly'), 'prov.login.defaultOnly=1');
    const src = this.fileSource(serverAuth ? { user, password } : null);
    if (!src) return refuse(message('login.noServer'), 'no provisioning server configured');
    // From here the password is checked (by the server, or below): the attempt is on flash first.
    const checked = source === 'screen';
    if (checked) {
      const unrecorded = this.d.auth.beginAttempt('login', 'phone login', AUDIT_LOGIN_MENU, who);
      if (unrecorded) return { ok: false, message: shown(unrecorded) };
    }
    // Ends an attempt that could not be checked (the profile could not be had): it does not count.
    const unchecked = (why: Message, detail: string): LoginResult => {
      if (checked) this.d.auth.throttle.abandoned('login');
      return refuse(why, detail);
    };
    this.busy = true;
    try {
      const dirs: Partial<Record<string, string>> = this.d.config.masterConfig()?.fields ?? {};
      const userCfg = await fetchUserFile(src, dirs.USER_PROFILES_DIRECTORY ?? '', `${user}.cfg`);
      if (userCfg.kind === 'failed') {
        this.log.error(`login of ${party(user, 'user')}: ${userCfg.reason}`);
        return unchecked(message('login.cannotGetProfile'), userCfg.reason);
      }
      if (serverAuth) {
        if (userCfg.kind === 'denied') return this.failed(user, source, `server refused the credentials (HTTP ${userCfg.status})`);
      } else if (userCfg.kind === 'denied') {
        this.log.error(`login of ${party(user, 'user')}: the server refused the phone's credentials for ${party(user, 'user')}.cfg (HTTP ${userCfg.status})`);
        return unchecked(message('login.cannotReadProfile'), `HTTP ${userCfg.status}`);
      }
      const phoneCfg = await fetchUserFile(src, dirs.OVERRIDES_DIRECTORY ?? '', `${user}-phone.cfg`);
      if (phoneCfg.kind === 'failed' || phoneCfg.kind === 'denied') {
        // Its password may be the current one: never fall back to an older one from <user>.cfg.
        const reason = phoneCfg.kind === 'failed' ? phoneCfg.reason : `${user}-phone.cfg: HTTP ${phoneCfg.status}`;
        this.log.error(`login of ${party(user, 'user')}: ${reason}`);
        return unchecked(message('login.cannotGetProfile'), reason);
      }
      const texts = { userCfg: userCfg.kind === 'found' ? userCfg.text : null, phoneCfg: phoneCfg.kind === 'found' ? phoneCfg.text : null };
      for (const [name, text] of [[`${user}.cfg`, texts.userCfg], [`${user}-phone.cfg`, texts.phoneCfg]] as const) {
        const parsed = text === null ? null : parseCfg(text);
        if (parsed && !parsed.ok) {
          this.log.error(`login of ${party(user, 'user')}: ${name} refused, ${parsed.error}`);
          return unchecked(message('login.profileUnreadable'), `${name}: ${parsed.error}`);
        }
      }
      if (!serverAuth) {
        const stored = this.localPassword(texts.phoneCfg, texts.userCfg);
        // Hashed even for an unknown user: the time does not tell which IDs exist.
        const matches = localPasswordMatches(this.hal.crypto, stored, password);
        if (!texts.userCfg && source === 'screen') return this.failed(user, source, `no ${user}.cfg on the server`);
        // The default user without a <user>.cfg runs on the phone's own configuration (its default profile).
        if ((texts.userCfg || source === 'screen') && !matches) {
          return this.failed(user, source, 'wrong password');
        }
      }
      if (checked) this.d.auth.throttle.succeeded('login');
      audit.attempt({ prompt: source === 'default' ? 'default user login' : 'phone login', menu: 'Login', who, result: 'success', detail: serverAuth ? 'server authentication' : 'phone authentication' });
      this.establish({ user, method: serverAuth ? 'server' : 'phone', since: this.hal.clock.now(), isDefault: user === defaultUser && defaultUser !== '', ...(serverAuth ? { password } : {}) }, texts, 'login');
      void this.fetchDataFiles(src, user);
      return { ok: true };
    } finally {
      this.busy = false;
      // Anything that threw before an outcome: the attempt stands as a failure (never a free guess).
      if (checked && this.d.auth.throttle.unresolved('login')) this.d.auth.failure('login', 'phone login', AUDIT_LOGIN_MENU, who, 'login ended by an error');
    }
  }

  // ── logout ──

  /** Log the current user out and clear their data from the phone; the default user (if any) logs in again. */
  logout(reason: string, thenDefault = true): void {
    const s = this.session;
    if (!s) return;
    this.cancelAutoLogout();
    this.session = null;
    // First flash operation of the logout: from its commit on, a power cut cannot log the user back in.
    this.commitLogout(s.user, reason);
    // The calls and directory modules drop the user's lists (the calls module erases them), then their flash goes.
    this.d.kernel.bus.emit('user:changed', { user: null, reason });
    this.d.config.setUser(null);
    if (s.method === 'server') {
      this.d.provisioning.client.setUserCredentials(null);
      void this.d.provisioning.client.request('request');
    }
    this.eraser.erase(s.user, reason);
    this.log.notice(`${party(s.user, 'user')} logged out (${reason})`);
    this.d.changed?.(null);
    if (thenDefault) this.loginDefaultUser();
  }

  /** A logged-in user's new login password, stored in `<user>-phone.cfg` (uploaded by the provisioning module). */
  changeLoginPassword(current: string, next: string, confirm: string): string | null {
    const s = this.session;
    if (!s) return t('login.nobody');
    if (s.method === 'server') return t('login.changeOnServer');
    const audit = this.d.auth.audit;
    const wait = this.d.auth.throttled('login');
    if (wait) return shown(wait);
    const unrecorded = this.d.auth.beginAttempt('login', 'current login password', AUDIT_PASSWORD_MENU, s.user);
    if (unrecorded) return shown(unrecorded);
    const stored = { value: this.d.config.get('prov.login.localPassword') ?? '', hashed: this.d.config.get('prov.login.localPassword.hash') === '1' };
    if (!localPasswordMatches(this.hal.crypto, stored, current)) return shown(this.d.auth.failure('login', 'current login password', AUDIT_PASSWORD_MENU, s.user));
    this.d.auth.throttle.succeeded('login');
    if (next !== confirm) return shown(message('auth.mismatch'));
    const min = Number(this.d.config.get('sec.pwd.length.user') ?? '0');
    if (next.length < min) return shown(message('password.tooShort', { min }));
    const r = this.d.config.setOverride('user', 'prov.login.localPassword', storedForm(this.hal.crypto, next, stored.hashed));
    if (!r.ok || r.rejected.length) return t('login.passwordNotAccepted');
    audit.critical(`login password of ${party(s.user, 'user')} changed on the phone (stored in ${party(s.user, 'user')}-phone.cfg)`);
    return null;
  }

  // ── internals ──

  private defaultOnly(): boolean {
    return this.d.config.get('prov.login.defaultOnly') === '1';
  }

  private failed(user: string, source: LoginSource, detail: string): LoginResult {
    if (source === 'default') {
      this.log.error(`default user ${party(user, 'user')} could not log in: ${detail}`);
      this.d.auth.audit.attempt({ prompt: 'default user login', menu: 'Login', who: user, result: 'failure', detail });
      return { ok: false, message: t('login.defaultFailed') };
    }
    // One message for an unknown user and a wrong password: the screen does not confirm which IDs exist.
    this.d.auth.failure('login', 'phone login', AUDIT_LOGIN_MENU, user, detail);
    const a = this.d.auth.throttled('login');
    return { ok: false, message: a ? shown(message('login.incorrectWait', { wait: a })) : t('login.incorrect') };
  }

  private localPassword(phoneCfg: string | null, userCfg: string | null): LocalPassword {
    const pick = (name: string): string | undefined => {
      for (const text of [phoneCfg, userCfg]) {
        if (!text) continue;
        const parsed = parseCfg(text);
        if (!parsed.ok) continue;
        const a = parsed.attributes.find((x) => x.name.toLowerCase() === name.toLowerCase());
        if (a) return a.value;
      }
      return this.d.config.get(name);
    };
    return { value: pick('prov.login.localPassword') ?? '', hashed: pick('prov.login.localPassword.hash') === '1' };
  }

  private fileSource(userAuth: { user: string; password: string } | null): UserFileSource | null {
    const base = this.d.provisioning.client.server();
    if (!base) return null;
    // Server authentication: this request IS the check of the user's credentials.
    const server = userAuth ? { ...base, auth: userAuth } : base;
    return { net: this.hal.net, crypto: this.hal.crypto, server, encryptionKey: this.d.provisioning.client.encryptionKey() };
  }

  private establish(s: LoginSession, texts: { userCfg: string | null; phoneCfg: string | null }, reason: string): void {
    if (this.session && this.session.user !== s.user) this.logout('another user logged in', false);
    else if (this.session) this.cancelAutoLogout();
    // A logout whose erase failed earlier is finished before anyone's data is written again.
    for (const user of this.pending()) this.eraser.erase(user, 'pending logout finished before a login');
    if (!this.d.config.setUser(s.user)) return;
    if (texts.userCfg) this.d.config.applyUserConfig(texts.userCfg);
    if (texts.phoneCfg) this.d.config.applyOverrideFile('user', texts.phoneCfg);
    this.session = s;
    this.sessionStartMono = this.hal.clock.monotonic();
    try {
      writeSession(this.d.fs, s);
    } catch (e) {
      this.log.error(`login of ${party(s.user, 'user')}: cannot keep the session in flash (${(e as Error).message}); logged in until the next boot`);
    }
    if (s.method === 'server') {
      this.d.provisioning.client.setUserCredentials({ user: s.user, password: s.password ?? '' });
      void this.d.provisioning.client.request('request');
    }
    this.armAutoLogout();
    this.log.notice(`${party(s.user, 'user')} logged in (${s.method} authentication${s.isDefault ? ', default user' : ''})`);
    this.d.kernel.bus.emit('user:changed', { user: s.user, reason });
    this.d.changed?.(s.user);
  }

  private restore(s: LoginSession, why: string): void {
    if (!this.d.config.setUser(s.user)) return;
    this.session = s;
    // Across a reboot only the wall clock measures the time logged in so far.
    this.sessionStartMono = this.hal.clock.monotonic() - Math.max(0, this.hal.clock.now() - s.since);
    if (s.method === 'server') this.d.provisioning.client.setUserCredentials({ user: s.user, password: s.password ?? '' });
    this.armAutoLogout();
    this.log.notice(`${party(s.user, 'user')} still logged in after the reboot (${why})`);
    this.d.kernel.bus.emit('user:changed', { user: s.user, reason: 'restored' });
  }

  private loginDefaultUser(): void {
    const user = this.d.config.get('prov.login.defaultUser') ?? '';
    if (!this.enabled() || !user || this.d.config.get('prov.login.useProvAuth') === '1') return;
    void this.login(user, this.d.config.get('prov.login.defaultPassword') ?? '', 'default');
  }

  private armAutoLogout(): void {
    this.cancelAutoLogout();
    const s = this.session;
    const minutes = Number(this.d.config.get('prov.login.automaticLogout') ?? '0');
    if (!s || s.isDefault || !(minutes > 0)) return;
    const remaining = Math.max(0, this.sessionStartMono + minutes * 60_000 - this.hal.clock.monotonic());
    this.autoLogoutTimer = this.d.kernel.timers.after(remaining, 'automatic logout', () => {
      this.autoLogoutTimer = null;
      if (this.session !== s) return;
      this.log.notice(`automatic logout of ${party(s.user, 'user')} after ${minutes} min (prov.login.automaticLogout)`);
      this.logout('automatic logout');
    });
  }

  private cancelAutoLogout(): void {
    if (this.autoLogoutTimer !== null) this.d.kernel.timers.cancel(this.autoLogoutTimer);
    this.autoLogoutTimer = null;
  }

  /** A stored session logged out at boot: the same crash-consistent steps as a logout at runtime. */
  private logoutStored(user: string, reason: string): void {
    this.commitLogout(user, reason);
    this.eraser.erase(user, reason);
  }

  /**
   * Delete the session and mark the logout pending, in one transaction. If the
   * store refuses the marker (full), the session alone goes (a delete always
   * fits): the next boot's sweep erases what is left of the user.
   */
  private commitLogout(user: string, reason: string): void {
    try {
      commitLogout(this.d.fs, user, reason, this.hal.clock.now());
      return;
    } catch (e) {
      this.log.error(`${party(user, 'user')}: logout not journaled (${(e as Error).message}): removing the session alone`);
    }
    try {
      if (this.d.fs.exists(SESSION_PATH)) this.d.fs.delete(SESSION_PATH);
    } catch (e) {
      this.log.error(`login session not removed (${(e as Error).message})`);
    }
  }

  private pending(): string[] {
    return this.safely('reading pending logouts', () => pendingLogouts(this.d.fs), []);
  }

  private safely<T>(what: string, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      this.log.error(`${what} failed (${(e as Error).message})`);
      return fallback;
    }
  }

  private async fetchDataFiles(src: UserFileSource, user: string): Promise<void> {
    const dirs: Partial<Record<string, string>> = this.d.config.masterConfig()?.fields ?? {};
    const files: [string, string, 'prov:directory' | 'prov:callList'][] = [
      [dirs.CONTACTS_DIRECTORY ?? '', `${user}-directory.xml`, 'prov:directory'],
      [dirs.CALL_LISTS_DIRECTORY ?? '', `${user}-calls.xml`, 'prov:callList'],
    ];
    for (const [dir, name, event] of files) {
      const r: UserFileOutcome = await fetchUserFile(src, dir, name);
      if (this.session?.user !== user) return;
      if (r.kind === 'found') this.d.kernel.bus.emit(event, { name, text: r.text, user });
      else if (r.kind === 'failed') this.log.warning(`${name}: ${r.reason}`);
    }
  }
}
