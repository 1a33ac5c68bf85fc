/**
 * The reset module at run time: its screens (Reset to Defaults entries, the
 * Basic entries) bound to the one ResetService, Restrict Personal Data
 * Upload, and the mirror of `device.system.recoveryType` into nvram that the
 * updater's recovery path reads (it runs before fs is mounted).
 */
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { DeviceSettings } from '../settings/device-settings';
import type { FileStore } from '../storage/file-store';
import { MessageScreen } from '../ui/message-screen';
import type { Screen } from '../ui/screen';
import { resetDeclaration } from './declaration';
import { exportPersonalData } from './data-export';
import { MyDataScreen, ResetConfirmScreen, RestrictUploadScreen, variantDetail } from './reset-screens';
import { t } from '../ui/i18n/messages';
import { utf8Encode } from '../kernel/text-codec';
import { ResetService, type ServerClearResult } from './reset-service';
import { OutOfBoxWizard } from './out-of-box-wizard';
import { RECOVERY_TYPE_SETTING, RESET_VARIANTS, RESTRICT_UPLOAD_SETTING, WIZARD_PENDING, WIZARD_STATE_SETTING } from './reset-variants';
import { SERVER_SETTING } from '../provisioning/server-settings';

export interface ResetModule extends FirmwareModule {
  runtime: { service: ResetService; settings: DeviceSettings; myData(): Screen } | null;
}

export function resetModule(): ResetModule {
  const notStarted = (): Screen => new MessageScreen(t('reset.title'), [t('reset.notAvailable')]);
  const screens: Record<string, (k: Kernel) => Screen> = {};
  const m: ResetModule = { declaration: resetDeclaration, runtime: null, screens };
  for (const v of RESET_VARIANTS) {
    screens[`reset.${v.id}`] = () => {
      const rt = m.runtime;
      return rt ? new ResetConfirmScreen(v, variantDetail(v.id), () => rt.service.request(v.id, 'keypad')) : notStarted();
    };
  }
  screens['reset.myData'] = () => m.runtime?.myData() ?? notStarted();
  screens['reset.restrictUpload'] = () => {
    const rt = m.runtime;
    if (!rt) return notStarted();
    return new RestrictUploadScreen({
      get: () => rt.settings.get(RESTRICT_UPLOAD_SETTING) === '1',
      set: (on) => {
        rt.settings.set(RESTRICT_UPLOAD_SETTING, on ? '1' : '0');
        k().log.component('reset').notice(`Restrict Personal Data Upload turned ${on ? 'on' : 'off'} at the phone`);
      },
    });
  };
  let kernel: Kernel | null = null;
  const k = () => kernel!;
  m.start = (kn) => { kernel = kn; };
  return m;
}

export interface ResetWiring {
  nvram: FileStore;
  fs: FileStore;
  settings: DeviceSettings;
  /** Show a screen over the idle screen (the out-of-box wizard). */
  show: (screen: Screen) => void;
  config: { get(name: string): string | undefined; currentUser(): string | null; onChange(l: (c: { name: string }[]) => void): unknown };
}

/** Bind the module's screens and keep the recovery type where the updater finds it. */
export function startReset(kernel: Kernel, m: ResetModule, w: ResetWiring): ResetService {
  const log = kernel.log.component('reset');
  const service = new ResetService({
    nvram: w.nvram,
    setting: (n) => w.settings.get(n),
    now: () => kernel.hal.clock.now(),
    log,
    currentUser: () => w.config.currentUser(),
    clearServer: (user, done) => kernel.bus.emit('prov:clearUploaded', { ...(user ? { user } : {}), done: (r: ServerClearResult[]) => done(r) }),
    reboot: (reason) => kernel.reboot(reason),
  });
  const mirror = () => {
    const v = w.config.get('device.system.recoveryType') ?? 'FullRecovery';
    if (w.settings.get(RECOVERY_TYPE_SETTING) !== v) kernel.guard('recovery type', () => w.settings.set(RECOVERY_TYPE_SETTING, v))();
  };
  mirror();
  w.config.onChange((changes) => { if (changes.some((c) => c.name === 'device.system.recoveryType')) mirror(); });
  const myData = () => {
    const user = w.config.currentUser();
    return new MyDataScreen(user ?? t('myData.thisPhone'), (target) => exportMyData(kernel, w.fs, user, target));
  };
  m.runtime = { service, settings: w.settings, myData };
  // Pending after a reset; absent on a new phone (a phone updated from a firmware without the wizard has a server already: not asked).
  const wizard = w.settings.get(WIZARD_STATE_SETTING);
  if (wizard === WIZARD_PENDING || (wizard === undefined && !w.settings.get(SERVER_SETTING))) {
    log.notice('out-of-box wizard: first setup');
    const screen = (id: string) => kernel.modules.screenFactory(id)?.(kernel) ?? null;
    w.show(new OutOfBoxWizard({
      open: (step) => screen(step === 'Language' ? 'language' : step === 'Provisioning Server' ? 'provisioningServer' : 'changeAdminPassword'),
      finish: () => {
        kernel.guard('wizard state', () => w.settings.set(WIZARD_STATE_SETTING, 'done'))();
        log.notice('out-of-box wizard: finished');
      },
    }));
  }
  return service;
}

/** Restrict Personal Data Upload is on (uploads of call lists, directory and logs stop). */
export function personalUploadRestricted(settings: Pick<DeviceSettings, 'get'>): boolean {
  return settings.get(RESTRICT_UPLOAD_SETTING) === '1';
}

/** My Data to a USB stick (written now) or the provisioning server (uploaded in the background); the lines to show. */
function exportMyData(kernel: Kernel, fs: FileStore, user: string | null, target: 'usb' | 'server'): string[] {
  const log = kernel.log.component('reset');
  const { hal } = kernel;
  const data = exportPersonalData(fs, kernel.modules.dataClasses(), { user, mac: hal.board.mac, at: new Date(hal.clock.now()).toISOString() }, (m) => log.warning(m));
  log.notice(`My Data of ${user ?? 'the phone'} exported to ${target === 'usb' ? 'USB' : 'the provisioning server'}: ${data.files.length} files, classes ${data.classes.join(', ')}`);
  if (target === 'server') {
    for (const f of data.files) kernel.bus.emit('prov:upload', { kind: 'config', name: f.name, text: f.text });
    return [t('myData.uploading'), ...data.files.map((f) => f.name)];
  }
  if (!hal.usb.present()) return [t('myData.noUsb')];
  try {
    for (const f of data.files) hal.usb.writeFile(f.name, utf8Encode(f.text));
  } catch (e) {
    log.error(`My Data to USB failed: ${(e as Error).message}`);
    return [t('myData.usbFailed'), (e as Error).message];
  }
  return [t('myData.written'), ...data.files.map((f) => f.name)];
}
