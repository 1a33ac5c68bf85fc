/**
 * The updater module at boot: the running slot is marked good once the
 * firmware reaches idle (the first timer tick after the boot sequence, when
 * the idle screen is up and the main loop runs), and after every provisioning
 * cycle the image named by `APP_FILE_PATH` is checked (firmware-updater.ts).
 */
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { ProvisioningService } from '../provisioning/provisioning-module';
import { describeError } from '../kernel/guard';
import { ALLOW_DOWNGRADE, updaterDeclaration } from './declaration';
import { FirmwareUpdater } from './firmware-updater';

export function updaterModule(): FirmwareModule {
  return { declaration: updaterDeclaration };
}

export interface UpdaterWiring {
  provisioning: ProvisioningService;
  config: { getBoolean(name: string): boolean; masterConfig(): { fields: Record<string, string> } | null };
}

export function startUpdater(kernel: Kernel, w: UpdaterWiring): FirmwareUpdater | null {
  const { hal } = kernel;
  const log = kernel.log.component('updt');
  if (!hal.flash.partitions().includes('updater')) {
    log.warning('no updater partition: application updates are off');
    return null;
  }
  const updater = new FirmwareUpdater({
    net: hal.net,
    crypto: hal.crypto,
    updater: hal.flash.open('updater'),
    board: hal.board.profile,
    runningVersion: kernel.version,
    log,
    server: () => w.provisioning.client.server(),
    appFilePath: () => w.config.masterConfig()?.fields['APP_FILE_PATH'] ?? '',
    allowDowngrade: () => w.config.getBoolean(ALLOW_DOWNGRADE),
    reboot: (reason) => kernel.reboot(reason),
    monotonic: () => hal.clock.monotonic(),
  });
  log.info(`running ${kernel.version} from the ${updater.runningSlot()}`);
  kernel.timers.after(0, 'updater: idle reached', () => {
    try {
      updater.markRunningGood();
    } catch (e) {
      log.error(`cannot mark the running slot good: ${describeError(e)}`);
    }
  });
  kernel.bus.on('prov:cycle', (report) => {
    const r = report as { outcome: string; master: string | null; rebooting: boolean };
    if (r.rebooting || r.outcome === 'no-server') return;
    updater.check().catch((e) => log.error(`application image check failed: ${describeError(e)}`));
  });
  return updater;
}
