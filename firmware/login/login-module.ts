/**
 * The login module at boot: user profiles (LoginService), admin and user
 * passwords (AuthService), their menu entries and the idle screen's
 * Login / Logout soft key. Registered before the config service starts (its
 * declaration feeds the parameter registry); the services are bound once
 * the config service and the provisioning client exist.
 */
import { AttemptThrottle } from '../auth/attempt-throttle';
import { AuthService, CONFIGURED_ADMIN, CONFIGURED_USER } from '../auth/auth-service';
import { changePasswordScreen } from '../auth/change-password-screens';
import { NvramAttemptRecords, type LegacySettings } from '../auth/nvram-attempt-records';
import type { PasswordVault } from '../auth/password-vault';
import { SecurityAudit } from '../auth/security-audit';
import type { ConfigService } from '../config/config-service';
import type { ProvisioningService } from '../provisioning/provisioning-module';
import { syncDeviceParameters, type FingerprintStore } from '../settings/device-parameter-sync';
import type { FileStore } from '../storage/file-store';
import { describeError } from '../kernel/guard';
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import { MessageScreen } from '../ui/message-screen';
import { PasswordScreen, type EntrySchedule } from '../ui/password-screen';
import { entrySchedule } from '../ui/entry-schedule';
import type { Screen } from '../ui/screen';
import type { PhoneUi } from '../ui/ui-module';
import { loginDeclaration } from './declaration';
import { LoginScreen } from './login-screen';
import { LoginService } from './login-service';
import { party } from '../kernel/party';
import { shown, t, tLabel } from '../ui/i18n/messages';

export interface LoginServices {
  auth: AuthService;
  login: LoginService | null;
}

export function loginModule(services: () => LoginServices): FirmwareModule {
  const schedule = (k: Kernel) => entrySchedule(k);
  return {
    declaration: loginDeclaration,
    screens: {
      changeAdminPassword: (k) => changePasswordScreen({ role: 'admin', auth: services().auth, schedule: schedule(k) }),
      changeUserPassword: (k) => {
        const { auth, login } = services();
        // A logged-in profile user changes their login password (kept in <user>-phone.cfg); otherwise the phone's user password.
        if (login?.currentUser() && !login.isDefaultUser()) return loginPasswordScreen(login, auth, schedule(k));
        return changePasswordScreen({ role: 'user', auth, schedule: schedule(k) });
      },
    },
  };
}

function loginPasswordScreen(login: LoginService, auth: AuthService, schedule: EntrySchedule): Screen {
  const title = tLabel('menu.', 'Change User Password');
  return new PasswordScreen(t('password.currentLogin'), (current, nav) => {
    nav.replace(new PasswordScreen(t('password.new'), (next, n1) => {
      n1.replace(new PasswordScreen(t('password.confirm'), (confirm, n2) => {
        const error = login.changeLoginPassword(current, next, confirm);
        n2.replace(new MessageScreen(title, [error ?? t('password.changed')]));
        return null;
      }, auth.echoDigits(), schedule, '', title));
      return null;
    }, auth.echoDigits(), schedule, '', title));
    return null;
  }, auth.echoDigits(), schedule, '', title);
}

/** Hook the login service into the idle screen. */
export function attachLoginToUi(kernel: Kernel, ui: PhoneUi, login: LoginService, auth: AuthService): void {
  ui.setLogin({
    softKey: () => login.softKey(),
    notice: () => {
      if (!login.enabled()) return '';
      const user = login.currentUser();
      if (user) return t('login.user', { user });
      return login.isPhoneLocked() ? t('login.required') : '';
    },
    blocksMenus: () => login.isPhoneLocked(),
    pressed: (nav) => {
      if (login.currentUser() && !login.isDefaultUser()) {
        login.logout('logged out at the phone');
        nav.home();
        return;
      }
      nav.push(new LoginScreen({
        login: (u, p) => login.login(u, p).catch((e: unknown) => {
          kernel.log.component('login').error(`login of ${party(u, 'user')} failed: ${describeError(e)}`);
          throw e;
        }),
        throttled: () => { const wait = auth.throttled('login'); return wait ? shown(wait) : null; },
        echo: auth.echoDigits(),
        after: entrySchedule(kernel),
        required: login.isPhoneLocked(),
      }));
    },
  });
}

/**
 * Passwords: once configuration is loaded (`device.auth.localAdminPassword`,
 * `device.auth.localUserPassword` apply now and on each new value). Attempts a restart interrupted count as
 * failures first.
 */
export function startAuth(kernel: Kernel, vault: PasswordVault, store: { nvram: FileStore; settings: LegacySettings & FingerprintStore }, config: ConfigService): AuthService {
  const records = new NvramAttemptRecords(store.nvram, store.settings);
  const auth = new AuthService(vault, new AttemptThrottle(records, () => kernel.hal.clock.monotonic()), new SecurityAudit(kernel.log.component('auth')), config);
  kernel.guard('interrupted password attempts', () => auth.recoverInterruptedAttempts())();
  // Admin and user passwords from configuration: once per new value (a later change at the phone stands until the next one).
  kernel.guard('passwords from configuration', () => syncDeviceParameters(
    { config, settings: store.settings, crypto: kernel.hal.crypto, log: kernel.log.component('auth') },
    [
      { parameter: CONFIGURED_ADMIN, apply: (value) => auth.applyConfiguredPassword('admin', value) },
      { parameter: CONFIGURED_USER, apply: (value) => auth.applyConfiguredPassword('user', value) },
    ],
  ))();
  return auth;
}

/** User profiles: after the provisioning client exists (logins fetch the user's files through it). */
export function startLogin(kernel: Kernel, w: { fs: FileStore; config: ConfigService; provisioning: ProvisioningService; auth: AuthService; ui: PhoneUi }): LoginService {
  const login = new LoginService({
    kernel, fs: w.fs, config: w.config, provisioning: w.provisioning, auth: w.auth,
    changed: () => {
      w.ui.endSession();
      w.ui.manager.redraw();
    },
  });
  attachLoginToUi(kernel, w.ui, login, w.auth);
  promptForDefaultAdminPassword(w.ui, w.config, w.auth);
  kernel.guard('login start', () => login.start())();
  return login;
}

/** Spec: with the Skype for Business Base Profile the phone asks, on screen, for the default admin password to be changed. */
function promptForDefaultAdminPassword(ui: PhoneUi, config: ConfigService, auth: AuthService): void {
  let shown = false;
  const check = () => {
    if (shown || config.baseProfile() !== 'skype' || !auth.vault.isDefault('admin')) return;
    shown = true;
    ui.manager.push(new MessageScreen(tLabel('wizard.step.', 'Admin Password'), [t('password.changeDefaultAdmin'), t('password.changeDefaultAdminWhere')]));
  };
  check();
  config.onChange((changes) => {
    if (changes.some((c) => c.name === 'device.baseProfile')) check();
  });
}
