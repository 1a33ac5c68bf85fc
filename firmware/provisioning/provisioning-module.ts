/**
 * The provisioning module at boot: the client that downloads configuration
 * and the uploader, wired to the phone.
 *
 * - boot: one cycle as soon as the network link is up;
 * - `prov.polling.enabled=1`: cycles on the `prov.polling.mode` schedule
 *   (abs / rel / random: polling-schedule.ts), in local time when a time zone
 *   offset is wired in (`localOffsetMs`), else UTC;
 * - a SIP NOTIFY `check-sync`: a cycle now, or a reboot (whose boot cycle
 *   downloads everything) when `voIpProt.SIP.specialEvent.checkSync.alwaysReboot=1`;
 * - a new `device.sec.configEncryption.key` from a config file is validated
 *   and stored in device settings (nvram: survives Format File System, goes
 *   with Reset Device Settings); it is reboot-flagged, so the config service
 *   reboots the phone once at the end of the cycle and the next boot
 *   decrypts with it (spec key-change procedure);
 * - `device.prov.serverName`, `.serverType`, `.user`, `.password` from
 *   configuration become the device settings of the server
 *   (server-from-configuration.ts); a new server reboots the phone once;
 * - override layers changed on the phone or the web are uploaded;
 * - its menu entries: Settings > Basic > Clear Uploaded Calls/Directory and
 *   Settings > Advanced > Provisioning Server (server address and credentials).
 *
 * Other modules use the bus: `prov:upload` ({ kind, text, user?, name?, append? }) and
 * `prov:clearUploaded` ({ user?, done?(results) }) in; `prov:cycle` (CycleReport) and
 * `prov:directory` ({ name, text }) out.
 */
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { FileStore } from '../storage/file-store';
import { MessageScreen } from '../ui/message-screen';
import type { Navigator, Screen } from '../ui/screen';
import type { PhoneUi } from '../ui/ui-module';
import { ClearUploadedScreen } from './clear-uploaded-screen';
import { parseEncryptionKey } from './config-encryption';
import { provisioningDeclaration } from './declaration';
import { DownloadCache } from './download-cache';
import { KEY_SETTING, ProvisioningClient, type CycleReport, type DeviceSettingsStore } from './provisioning-client';
import type { ProvisioningSink } from './provisioning-sink';
import { serverAddressError } from './server-address';
import { PASSWORD_SETTING, SERVER_SETTING, USER_SETTING, provisioningServer, redactedUrl } from './server-settings';
import { ProvisioningServerScreen, provisioningServerTitle, type ServerFields } from './provisioning-server-screen';
import { ServerUploader, type UploadKind, type UploadResult } from './server-upload';
import { RESTRICT_UPLOAD_SETTING } from '../reset/reset-variants';
import { provisioningServerBindings } from './server-from-configuration';
import { syncDeviceParameters, type DeviceParameterConfig } from '../settings/device-parameter-sync';
import { t } from '../ui/i18n/messages';

/** The module as registered; its screens work once startProvisioning has bound `runtime`. */
export interface ProvisioningModule extends FirmwareModule {
  runtime: { openClearUploaded(): Screen; openServerSettings(): Screen } | null;
}

export function provisioningModule(): ProvisioningModule {
  const notStarted = () => new MessageScreen(t('provisioning.title'), [t('provisioning.notStarted')]);
  const m: ProvisioningModule = {
    declaration: provisioningDeclaration,
    runtime: null,
    screens: {
      clearUploaded: () => m.runtime?.openClearUploaded() ?? notStarted(),
      provisioningServer: () => m.runtime?.openServerSettings() ?? notStarted(),
    },
  };
  return m;
}

export interface ProvisioningService {
  client: ProvisioningClient;
  uploader: ServerUploader;
  /** Store a new provisioning server (address checked; `where` for the log: "at the phone", "from the web interface") and provision from it now; the reason when refused, else null. */
  setServer(fields: ServerFields, where: string): string | null;
  /** Last good copy of a downloaded directory file (`000000000000-directory.xml`, `<MAC>-directory.xml`), for the directory module at boot. */
  directoryFile(name: string): string | null;
  /** Digest of that copy, known without reading it (undefined when none is recorded). */
  directoryVersion(name: string): string | undefined;
}

export interface ProvisioningWiring {
  fs: FileStore;
  settings: DeviceSettingsStore;
  config: ProvisioningSink & DeviceParameterConfig;
  ui?: PhoneUi;
  /** The registered module, to bind its screens. */
  module?: ProvisioningModule;
  /** Local time minus UTC at an instant, for polling times (default: UTC; the time-zone service plugs in here). */
  localOffsetMs?: (utcMs: number) => number;
}

/** Polling times without a time zone: UTC. */
export const UTC_OFFSET = (_utcMs: number): number => 0;

const OVERRIDE_DEBOUNCE_MS = 2000;

export function startProvisioning(kernel: Kernel, w: ProvisioningWiring): ProvisioningService {
  const { hal, bus, timers } = kernel;
  const log = kernel.log.component('prov');
  const mac = hal.board.mac.toLowerCase();
  const cache = new DownloadCache(w.fs, (m) => log.error(m));
  if (!w.config.masterConfig() && cache.keys().some((k) => !k.startsWith('directory:'))) {
    // The config service holds no configuration (first boot, or its cache was lost): validators
    // for files it no longer has would earn 304s for texts nobody keeps. Download everything whole.
    log.notice('no cached configuration: downloading every configuration file whole');
    cache.keepOnly(cache.keys().filter((k) => k.startsWith('directory:')));
  }

  const client = new ProvisioningClient({
    net: hal.net,
    crypto: hal.crypto,
    monotonic: () => hal.clock.monotonic(),
    nowUtc: () => hal.clock.now(),
    localOffsetMs: w.localOffsetMs ?? UTC_OFFSET,
    settings: w.settings,
    config: w.config,
    cache,
    timers,
    log,
    phone: { mac, model: hal.board.model },
    showError: (title, lines) => showMessage(w.ui, title, lines),
    onDirectoryFile: (name, text) => bus.emit('prov:directory', { name, text }),
    onCycle: (report) => afterCycle(report),
  });
  const uploader = new ServerUploader({
    net: hal.net,
    crypto: hal.crypto,
    timers,
    log,
    mac,
    server: () => client.server(),
    genericServer: () => provisioningServer(w.settings),
    param: (name) => w.config.get(name),
    masterField: (field) => w.config.masterConfig()?.fields[field] ?? '',
    encryptionKey: () => client.encryptionKey(),
    personalUploadsRestricted: () => w.settings.get(RESTRICT_UPLOAD_SETTING) === '1',
  });

  // ── the encryption key: from configuration into device settings ──
  const adoptKey = () => {
    const text = w.config.get(KEY_SETTING) ?? '';
    if (!text || text === w.settings.get(KEY_SETTING)) return;
    try {
      const key = parseEncryptionKey(text);
      w.settings.set(KEY_SETTING, text);
      log.notice(`new configuration encryption key "${key.description}" stored in device settings`);
      // Spec: download the key over HTTPS.
      if (/^http:/i.test(client.server()?.baseUrl ?? '')) log.warning(`encryption key "${key.description}" arrived over plain HTTP: serve key files over HTTPS`);
    } catch (e) {
      log.error(`${KEY_SETTING} from configuration refused: ${(e as Error).message}`);
    }
  };

  // A power cut between the config cache and the nvram write must not lose the key.
  adoptKey();

  // ── device.prov.* from configuration into device settings (once per new value; a new server reboots once) ──
  syncDeviceParameters({ config: w.config, settings: w.settings, crypto: hal.crypto, log }, provisioningServerBindings(w.settings));

  // ── override uploads: what the phone or web changed goes to OVERRIDES_DIRECTORY (debounced: a menu often sets several) ──
  const changedLayers = new Set<'local' | 'web' | 'user'>();
  let overrideTimer: number | null = null;
  w.config.onOverridesChanged((layer) => {
    if (layer === 'cloud') return;
    changedLayers.add(layer);
    if (overrideTimer === null) {
      overrideTimer = timers.after(OVERRIDE_DEBOUNCE_MS, 'override upload', () => {
        overrideTimer = null;
        for (const l of [...changedLayers]) {
          const user = w.config.currentUser() ?? undefined;
          if (l === 'user' && !user) continue;
          void uploader.uploadOverrides(l, w.config.overrideText(l), user);
        }
        changedLayers.clear();
      });
    }
  });

  w.config.onChange((changes) => {
    if (changes.some((c) => c.name === KEY_SETTING)) adoptKey();
    if (changes.some((c) => c.name.startsWith('prov.polling.'))) client.schedulePoll();
  });

  // The logs module uploads the boot log after the first cycle (it owns log uploads).
  const afterCycle = (report: CycleReport) => bus.emit('prov:cycle', report);

  // ── triggers ──
  bus.on('line', (e) => {
    if (e.type === 'notify' && e.event.toLowerCase() === 'check-sync') {
      const params = Object.keys(e.params).length ? ` (${Object.entries(e.params).map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
      if (w.config.get('voIpProt.SIP.specialEvent.checkSync.alwaysReboot') === '1') {
        // Polycom: always reboot; the boot cycle then downloads every file.
        log.notice(`check-sync NOTIFY${params}: rebooting (voIpProt.SIP.specialEvent.checkSync.alwaysReboot=1)`);
        kernel.reboot('check-sync');
        return;
      }
      log.notice(`check-sync NOTIFY${params}: provisioning again`);
      void client.request('check-sync');
    }
  });
  bus.on('prov:upload', (p) => {
    const req = p as { kind: UploadKind; text: string; user?: string; name?: string; append?: boolean };
    switch (req.kind) {
      case 'callList': void uploader.uploadCallList(req.text, req.user); break;
      case 'directory': void uploader.uploadDirectory(req.text, req.user); break;
      case 'log': void uploader.uploadLog(req.name === 'app' ? 'app' : 'boot', req.text, req.append === true); break;
      case 'config': void uploader.uploadConfig(req.name ?? `${mac}-config.cfg`, req.text); break;
      case 'overrides': void uploader.uploadOverrides(req.user ? 'user' : 'local', req.text, req.user); break;
      default: log.error(`prov:upload of unknown kind ${String(req.kind)}`);
    }
  });
  bus.on('prov:clearUploaded', (p) => {
    const req = (p ?? {}) as { user?: string; done?: (results: UploadResult[]) => void };
    void uploader.clearUploaded(req.user).then((results) => req.done?.(results));
  });

  if (w.module) {
    w.module.runtime = {
      // The logged-in user's files when a user is logged in, else the phone's.
      openClearUploaded: () => new ClearUploadedScreen((done) => {
        const user = w.config.currentUser() ?? undefined;
        bus.emit('prov:clearUploaded', user ? { user, done } : { done });
      }),
      openServerSettings: () => new ProvisioningServerScreen({
        current: () => ({ server: w.settings.get(SERVER_SETTING) ?? '', user: w.settings.get(USER_SETTING) ?? '', password: w.settings.get(PASSWORD_SETTING) ?? '' }),
        save: (fields, nav) => saveServer(fields, nav),
        schedule: (ms, fn) => {
          const id = timers.after(ms, 'multi-tap', fn);
          return () => timers.cancel(id);
        },
      }),
    };
  }

  /** Check, store, provision from the new server now; returns why the address was refused (the stored one stays), or null. */
  const setServer = (fields: ServerFields, where: string): string | null => {
    const error = serverAddressError(fields.server);
    if (error) {
      log.warning(`provisioning server address entered ${where} refused (${error}); the stored one stays`);
      return error;
    }
    const url = fields.server.trim();
    w.settings.set(SERVER_SETTING, url);
    w.settings.set(USER_SETTING, fields.user);
    w.settings.set(PASSWORD_SETTING, fields.password);
    log.notice(`provisioning server set ${where}: ${redactedUrl(url)}${fields.user ? ` (user "${fields.user}")` : ' (no user)'}; provisioning now`);
    void client.request('request');
    return null;
  };

  /** Settings > Advanced > Provisioning Server, Save. */
  const saveServer = (fields: ServerFields, nav: Navigator): string | null => {
    const error = setServer(fields, 'at the phone');
    if (error) return error;
    const url = fields.server.trim();
    nav.replace(new MessageScreen(provisioningServerTitle(), [t('provisioning.saved'), t('provisioning.from', { url: redactedUrl(url) })]));
    return null;
  };

  let started = false;
  const bootCycle = () => {
    if (started) return;
    started = true;
    void client.request('boot');
  };
  if (hal.net.linkUp()) timers.after(0, 'boot provisioning', bootCycle);
  else {
    log.info('network link down: provisioning when it comes up; running on the cached configuration');
    bus.on('link', (up) => { if (up) bootCycle(); });
  }
  return { client, uploader, setServer, directoryFile: (name) => cache.text(`directory:${name}`), directoryVersion: (name) => cache.digest(`directory:${name}`) };
}

/** A provisioning error on the screen; a newer one replaces an older one still shown. */
function showMessage(ui: PhoneUi | undefined, title: string, lines: string[]): void {
  if (!ui) return;
  const screen = new MessageScreen(title, lines);
  if (ui.manager.topView()?.id === 'message' && ui.manager.topView()?.title === title) ui.manager.replace(screen);
  else ui.manager.push(screen);
}
