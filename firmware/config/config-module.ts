/**
 * The config module at boot: builds the parameter registry from every
 * registered module's declaration and the service that holds the values,
 * loading the last good configuration from the `fs` store. Call it after
 * all modules are registered and before they start, so every module starts
 * with its configured values.
 */
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { FileStore } from '../storage/file-store';
import { ConfigService } from './config-service';
import { configDeclaration } from './declaration';
import { ParameterRegistry } from './parameter-registry';

export function configModule(): FirmwareModule {
  return { declaration: configDeclaration };
}

export function startConfigService(kernel: Kernel, fs: FileStore): ConfigService {
  const { hal } = kernel;
  const service = new ConfigService({
    registry: new ParameterRegistry(kernel.modules.all().map((m) => m.declaration), hal.board),
    store: fs,
    phone: { mac: hal.board.mac.toLowerCase(), model: hal.board.model },
    log: kernel.log.component('cfg'),
    reboot: (reason) => kernel.reboot(reason),
  });
  kernel.guard('config load', () => service.load())();
  return service;
}
