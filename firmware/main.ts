/**
 * The boot sequence of the phone. `boot(hal)` runs once per power-on or
 * reboot: it mounts the flash stores, registers the modules, builds the
 * menus from their declarations, wires the HAL's inputs and shows the idle
 * screen. Everything after that happens in response to HAL callbacks (keys,
 * timers, line events, network answers).
 */
import type { Hal } from '../hal/contract';
import { analyticsModule, startAnalytics } from './analytics/analytics-module';
import { PasswordVault } from './auth/password-vault';
import { callListFetcher } from './calls/call-list-download';
import { callsModule, startCalls, type CallsService } from './calls/calls-module';
import { configModule, startConfigService } from './config/config-module';
import type { ConfigService } from './config/config-service';
import { directoryModule, startDirectory, type DirectoryRuntime } from './directory/directory-module';
import { describeError } from './kernel/guard';
import { Kernel } from './kernel/kernel';
import { linesModule, startLines, type LinesService } from './lines/lines-module';
import { loginModule, startAuth, startLogin } from './login/login-module';
import type { LoginService } from './login/login-service';
import type { AuthService } from './auth/auth-service';
import { logsModule, startLogRedaction, startLogs, type LogService } from './logs/logs-module';
import { provisioningModule, startProvisioning, type ProvisioningService } from './provisioning/provisioning-module';
import { resetAtBoot } from './reset/reset-at-boot';
import { personalUploadRestricted, resetModule, startReset } from './reset/reset-module';
import type { ResetService } from './reset/reset-service';
import { settingsDeclaration } from './settings/declaration';
import { DeviceSettings } from './settings/device-settings';
import { FileStore } from './storage/file-store';
import { startTime, timeModule, type TimeService } from './time/time-module';
import { PhoneUi, uiModule } from './ui/ui-module';
import { startUpdater, updaterModule } from './updater/updater-module';
import { shown, t } from './ui/i18n/messages';
import { startWeb, webModule } from './web/web-module';

export const version: string = __FIRMWARE_VERSION__;

/** What one boot holds: handed to modules through the kernel. */
export interface BootedPhone {
  directory: DirectoryRuntime;
  kernel: Kernel;
  nvram: FileStore;
  fs: FileStore;
  settings: DeviceSettings;
  config: ConfigService;
  ui: PhoneUi;
  provisioning: ProvisioningService;
  /** User profiles: currentUser(), isPhoneLocked(), isDialAllowedWhileLoggedOut(number). */
  login: LoginService;
  auth: AuthService;
  logs: LogService;
  calls: CallsService;
  /** The one reset entry point (keypad menus, web interface). */
  resets: ResetService;
  time: TimeService;
  lines: LinesService;
}

export function boot(hal: Hal): BootedPhone {
  const kernel = new Kernel(hal, version);
  const sys = kernel.sys;
  sys.notice(`boot: firmware ${version} on ${hal.board.model} (${hal.board.profile}) mac ${hal.board.mac}, reason ${hal.power.lastBootReason()}${hal.power.lastRebootMessage() ? ` (${hal.power.lastRebootMessage()})` : ''}, boot #${hal.power.bootCount()}`);

  const storeLog = kernel.log.component('store');
  const mount = (partition: string): FileStore => {
    const started = hal.clock.monotonic();
    const store = FileStore.mount(hal.flash.open(partition), hal.crypto, (m) => storeLog.notice(`${partition}: ${m}`));
    try {
      // Flash written by firmware that kept settings and cached configuration in clear: sealed now.
      store.sealClearRecords();
    } catch (e) {
      storeLog.error(`${partition}: cannot seal records left in clear (${describeError(e)}); retried at the next boot`);
    }
    try {
      // Many blocks past the newest mount checkpoint (older firmware, or its block collected): one now spares the next boots.
      if (store.checkpointIfDue()) storeLog.info(`${partition}: mount checkpoint written`);
    } catch (e) {
      storeLog.error(`${partition}: cannot write a mount checkpoint (${describeError(e)}); the next boots check every record`);
    }
    const s = store.stats();
    storeLog.info(`${partition}: mounted, ${s.files} files, ${s.freeBlocks}/${s.blocks} blocks free (${hal.clock.monotonic() - started} ms)`);
    return store;
  };
  // Passwords and user profiles are bound once configuration and provisioning exist (below).
  let auth: AuthService | null = null;
  let login: LoginService | null = null;
  const ui = new PhoneUi(kernel, () => auth!);
  // Registered before the flash is mounted: the reset stage of the boot reads their data-class declarations.
  kernel.modules.register(uiModule(() => ui.statusLines(), () => ui));
  kernel.modules.register(configModule());
  const provisioningScreens = provisioningModule();
  kernel.modules.register(provisioningScreens);
  kernel.modules.register(logsModule());
  kernel.modules.register(callsModule());
  kernel.modules.register(linesModule());
  kernel.modules.register(loginModule(() => ({ auth: auth!, login })));
  const directory = directoryModule();
  kernel.modules.register(directory);
  const reset = resetModule();
  kernel.modules.register(reset);
  kernel.modules.register(timeModule());
  // Declaration-only until their behaviour lands: their parameters and data classes are in the registry already.
  for (const declaration of [settingsDeclaration]) {
    kernel.modules.register({ declaration });
  }
  kernel.modules.register(analyticsModule());
  kernel.modules.register(updaterModule());
  kernel.modules.register(webModule());

  let nvram: FileStore;
  let fs: FileStore;
  try {
    // The updater's part of the boot: recovery key combination, and any committed reset finished before fs is used.
    ({ nvram, fs } = resetAtBoot({
      flash: hal.flash, crypto: hal.crypto, classes: kernel.modules.dataClasses(),
      heldKeys: hal.keys.heldAtPowerOn?.() ?? [], recoveryKeys: hal.board.recoveryKeys ?? [],
      mount: (p) => mount(p), monotonic: () => hal.clock.monotonic(), now: () => hal.clock.now(), log: kernel.log.component('reset'),
    }));
  } catch (e) {
    // A store that cannot mount is a hardware fault: say so on the serial console and stop here.
    sys.fatal(`boot: flash store mount failed: ${describeError(e)}`);
    throw e;
  }

  const settings = new DeviceSettings(nvram, (m) => sys.error(m));
  const vault = new PasswordVault(hal.crypto, settings);
  // What starting each module means at boot; they run in the order their declarations' `dependsOn` gives.
  let redaction!: ReturnType<typeof startLogRedaction>;
  let config!: ConfigService;
  let logs!: LogService;
  let resets!: ResetService;
  let provisioning!: ProvisioningService;
  let calls!: CallsService;
  let contacts!: DirectoryRuntime;
  let time!: TimeService;
  let lines!: LinesService;
  const starters: Record<string, () => void> = {
    config: () => {
      // Party data is redacted from here on, configuration lines included (keyed tokens; docs/logging.md).
      redaction = startLogRedaction(kernel, fs);
      config = startConfigService(kernel, fs);
    },
    // Right after configuration: log levels, the clear-party window and the flash log apply to everything after.
    logs: () => { logs = startLogs(kernel, { fs, config, redaction, trustedCaPem: () => settings.get('device.sec.TLS.customCaCert1') }); },
    ui: () => {
      auth = startAuth(kernel, vault, { nvram, settings }, config);
      ui.setParameterLookup((n) => config.get(n));
      // The screens' language (lcl.ml.lang): chosen on the phone as a local override, switched at each change.
      ui.bindLanguageStore((l) => { config.setOverride('local', 'lcl.ml.lang', l.polycom); });
      config.onChange((changes) => { if (changes.some((c) => c.name === 'lcl.ml.lang')) ui.applyLanguage(); });
      ui.addStatusLine(() => t('status.personalUpload', { state: t(personalUploadRestricted(settings) ? 'status.uploadRestricted' : 'status.uploadAllowed') }));
      ui.buildMenus();
      // The lines module starts here, before the line's events are wired: the host's own line 1 state comes with them.
      lines = startLines(kernel, { config, ui });
      kernel.attachInputs();
      kernel.startModules();
      ui.start();
    },
    // Local time and formats before the first screen is drawn again; the first SNTP query goes out on the first timer tick.
    time: () => { time = startTime(kernel, { config, settings, ui }); },
    // Downloads start once boot returns (first timer tick), on the cached configuration meanwhile; polling times in local time.
    provisioning: () => {
      provisioning = startProvisioning(kernel, { fs, settings, config, ui, module: provisioningScreens, localOffsetMs: (utc) => time.local(utc) - utc });
    },
    // Before login: a restored session's user:changed selects that user's call lists.
    calls: () => {
      calls = startCalls(kernel, {
        fs, config, ui,
        fetchCallList: callListFetcher({
          net: hal.net, server: () => provisioning.client.server(), directory: () => config.masterConfig()?.fields['CALL_LISTS_DIRECTORY'] ?? '',
          log: (m) => kernel.log.component('calls').warning(m),
          info: (m) => kernel.log.component('calls').info(m),
        }),
      });
    },
    login: () => {
      login = startLogin(kernel, { fs, config, provisioning, auth: auth!, ui });
      calls.setDialGate((n) => (login!.isPhoneLocked() && !login!.isDialAllowedWhileLoggedOut(n) ? 'phone locked: only emergency numbers until a user logs in' : null));
    },
    // The directory decides incoming calls (auto-reject/divert, ring tone, name) and follows user:changed from login.
    directory: () => {
      contacts = startDirectory(kernel, directory, {
        fs, config, provisioning, ui,
        trustedCaPem: () => settings.get('device.sec.TLS.customCaCert1'),
        checkPassword: (pw) => { const r = auth!.tryMenuPassword('Local Directory', 'user', pw); return r.kind === 'refused' ? shown(r.message) : null; },
        echoPasswordDigits: () => auth!.echoDigits(),
        dial: (n) => calls.dial(n),
      });
      calls.setIncomingPolicy(contacts.service.incomingCallPolicy);
      calls.setNameLookup(contacts.service.partyName);
    },
    // After calls (its CDRs) and logs (its redaction filter); off unless enabled.
    analytics: () => { startAnalytics(kernel, { fs, config, settings }); },
    // After provisioning: checks APP_FILE_PATH after each cycle; marks the running slot good at idle.
    updater: () => { startUpdater(kernel, { provisioning, config }); },
    // After the idle screen is up: the out-of-box wizard shows over it.
    reset: () => { resets = startReset(kernel, reset, { nvram, fs, settings, config, show: (s) => ui.manager.push(s) }); },
    // Last: the web interface uses the keypad's services (one implementation for both).
    web: () => { startWeb(kernel, { nvram, context: { kernel, config, settings, auth: auth!, login: login!, logs, calls, directory: contacts, resets, provisioning, time, lines } }); },
  };
  for (const m of kernel.modules.startOrder()) starters[m.declaration.name]?.();
  sys.info(`boot: done in ${hal.clock.monotonic() - kernel.bootStartedAt} ms, ${kernel.modules.all().length} modules`);
  return { kernel, nvram, fs, settings, ui, config, provisioning, logs, login: login!, auth: auth!, calls, lines, directory: contacts, resets, time };
}
