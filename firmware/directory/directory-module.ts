/**
 * The directory module at boot: the local directory service wired to the
 * configuration, the provisioning client (downloads in, uploads out), the
 * login module (`user:changed`), the screens, and the calls module (through
 * `incomingCallPolicy` / `partyName`).
 */
import type { ConfigService } from '../config/config-service';
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { FileStore } from '../storage/file-store';
import { MessageScreen } from '../ui/message-screen';
import { PasswordScreen } from '../ui/password-screen';
import type { Screen } from '../ui/screen';
import { CorporateDirectory, type CorporateAttributeType, type CorporateSettings } from './corporate-directory';
import { CorporateDirectoryScreen } from './corporate-directory-screen';
import { directoryDeclaration } from './declaration';
import { DirectoryService, GLOBAL_ENTRIES_PER_LOCAL_CONTACT } from './directory-service';
import type { DirectoryUiContext } from './directory-ui-context';
import { LocalDirectoryScreen } from './local-directory-screen';
import { SpeedDialScreen } from './speed-dial-screen';
import { t, tLabel } from '../ui/i18n/messages';

/** Edits in quick succession are uploaded once. */
const UPLOAD_DEBOUNCE_MS = 2000;

export interface DirectoryWiring {
  fs: FileStore;
  config: ConfigService;
  /** Last good downloaded directory files (the provisioning service). */
  provisioning: { directoryFile(name: string): string | null; directoryVersion?(name: string): string | undefined };
  /** `dir.local.passwordProtected`: null when the password opens the directory, else the message to show. */
  checkPassword: (password: string) => string | null;
  echoPasswordDigits: () => boolean;
  /** CA certificate trusted for `ldaps://` (device setting device.sec.TLS.customCaCert1). */
  trustedCaPem?: () => string | undefined;
  /** Place a call: the calls module's dial, which applies its dial gate (a locked phone dials emergency numbers only). */
  dial: (number: string) => void;
  /** The phone's screens: the Directory key opens the local directory from the idle screen. */
  ui?: { manager: { topView(): { id: string } | null; push(screen: Screen): void } };
}

export interface DirectoryRuntime {
  service: DirectoryService;
  corporate: CorporateDirectory;
  openLocal(): Screen;
  openCorporate(): Screen;
  openSpeedDials(): Screen;
}

export type DirectoryModule = FirmwareModule & { runtime: DirectoryRuntime | null };

export function directoryModule(): DirectoryModule {
  const m: DirectoryModule = {
    declaration: directoryDeclaration,
    runtime: null,
    screens: {
      localDirectory: () => m.runtime?.openLocal() ?? new MessageScreen(tLabel('menu.', 'Contacts'), [t('directory.notStarted')]),
      speedDial: () => m.runtime?.openSpeedDials() ?? new MessageScreen(tLabel('menu.', 'Contacts'), [t('directory.notStarted')]),
      corporateDirectory: () => m.runtime?.openCorporate() ?? new MessageScreen(tLabel('menu.', 'Contacts'), [t('directory.notStarted')]),
    },
  };
  return m;
}

export function startDirectory(kernel: Kernel, module: DirectoryModule, w: DirectoryWiring): DirectoryRuntime {
  const { hal, bus, timers } = kernel;
  const log = kernel.log.component('dir');
  const schedule = (ms: number, fn: () => void) => {
    const id = timers.after(ms, 'directory entry', fn);
    return () => timers.cancel(id);
  };
  let uploadTimer: number | null = null;
  let pendingUpload: { text: string; user: string | null } | null = null;
  const flushUpload = () => {
    if (uploadTimer !== null) timers.cancel(uploadTimer);
    uploadTimer = null;
    if (!pendingUpload) return;
    const { text, user } = pendingUpload;
    pendingUpload = null;
    bus.emit('prov:upload', user === null ? { kind: 'directory', text } : { kind: 'directory', text, user });
  };

  const service = new DirectoryService({
    fs: w.fs,
    log,
    mac: hal.board.mac.toLowerCase(),
    maxLocal: () => Math.min(w.config.getInteger('dir.local.contacts.maxNum'), hal.board.contactLimit),
    maxGlobal: hal.board.contactLimit * GLOBAL_ENTRIES_PER_LOCAL_CONTACT,
    byFirstName: () => w.config.get('dir.search.field') === '1',
    enabled: () => w.config.getBoolean('feature.directory.enabled'),
    sourceText: (name) => w.provisioning.directoryFile(name),
    sourceVersion: (name) => w.provisioning.directoryVersion?.(name),
    inEvents: (step) => { timers.after(0, 'directory merge', step); },
    upload: (text, user) => {
      pendingUpload = { text, user };
      if (uploadTimer !== null) timers.cancel(uploadTimer);
      uploadTimer = timers.after(UPLOAD_DEBOUNCE_MS, 'directory upload', flushUpload);
    },
  });
  service.start(w.config.currentUser());

  bus.on('prov:directory', (p) => {
    const f = p as { name?: unknown; text?: unknown };
    if (typeof f?.name !== 'string' || typeof f.text !== 'string') {
      log.error('directory: prov:directory without name and text ignored');
      return;
    }
    // Merged in an event of its own: a big file costs the directory's CPU budget, not the provisioning cycle's.
    const { name, text } = f as { name: string; text: string };
    timers.after(0, 'directory file', () => service.fileArrived(name, text));
  });
  bus.on('user:changed', (e) => {
    // The previous owner's pending upload goes out under its own name first: at a logout the
    // login module erases that user's directory class right after this event (the upload carries the text).
    flushUpload();
    service.switchUser(e.user);
  });
  w.config.onChange((changes) => {
    if (changes.some((c) => c.name === 'dir.search.field')) service.start(service.currentUser());
  });
  service.onChange(() => bus.emit('redraw', undefined));

  const ctx: DirectoryUiContext = {
    service,
    readonly: () => w.config.getBoolean('dir.local.readonly'),
    schedule,
    dial: (n) => w.dial(n),
  };

  const corporate = new CorporateDirectory(hal.ldap, () => corporateSettings(w.config, w.trustedCaPem?.()), (m) => log.error(m));

  const available = () => w.config.getBoolean('feature.directory.enabled') && w.config.getBoolean('dir.local.UIenabled');
  const runtime: DirectoryRuntime = {
    service,
    corporate,
    openLocal() {
      if (!available()) return new MessageScreen(tLabel('menu.', 'Contacts'), [t('directory.localUnavailable')]);
      if (!w.config.getBoolean('dir.local.passwordProtected')) return new LocalDirectoryScreen(ctx);
      return new PasswordScreen(tLabel('menu.', 'Local Directory'), (password, nav) => {
        const refusal = w.checkPassword(password);
        if (refusal !== null) return refusal;
        nav.replace(new LocalDirectoryScreen(ctx));
        return null;
      }, w.echoPasswordDigits(), schedule);
    },
    // Favorites / Speed Dial follows dir.local.UIenabled like the directory (spec), without the password.
    openSpeedDials: () => (available() ? new SpeedDialScreen(ctx) : new MessageScreen(tLabel('menu.', 'Contacts'), [t('directory.speedDialUnavailable')])),
    openCorporate: () => new CorporateDirectoryScreen(corporate, schedule, (n) => w.dial(n), () => bus.emit('redraw', undefined)),
  };
  bus.on('key', (e) => {
    if (e.down && e.key === 'directory' && w.ui && w.ui.manager.topView()?.id === 'idle') w.ui.manager.push(runtime.openLocal());
  });
  module.runtime = runtime;
  return runtime;
}

function corporateSettings(config: ConfigService, trustedCaPem: string | undefined): CorporateSettings {
  const attributes: CorporateSettings['attributes'] = [];
  for (let n = 1; n <= 4; n++) {
    const name = (config.get(`dir.corp.attribute.${n}.name`) ?? '').trim();
    if (name) attributes.push({ name, type: (config.get(`dir.corp.attribute.${n}.type`) ?? 'other') as CorporateAttributeType });
  }
  return {
    address: config.get('dir.corp.address') ?? '',
    port: config.getInteger('dir.corp.port'),
    transport: config.get('dir.corp.transport') === 'TLS' ? 'TLS' : 'TCP',
    baseDn: config.get('dir.corp.baseDN') ?? '',
    user: config.get('dir.corp.user') ?? '',
    password: config.get('dir.corp.password') ?? '',
    filterPrefix: config.get('dir.corp.filterPrefix') ?? '',
    scope: (config.get('dir.corp.scope') ?? 'sub') as CorporateSettings['scope'],
    pageSize: config.getInteger('dir.corp.pageSize'),
    attributes,
    ...(trustedCaPem ? { trustedCaPem } : {}),
  };
}
