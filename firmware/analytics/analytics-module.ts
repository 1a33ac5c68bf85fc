/**
 * Device analytics switched on and off: off unless enabled (then nothing is opened,
 * written or queued), and once on, the sources of each service feed the
 * flash queue and the uploader drains it to the customer's broker.
 *
 * Reboot semantics as the spec flags them: switched on by a reboot-flagged
 * parameter, analytics starts after that reboot (by feature.lens.enabled,
 * which is not reboot-flagged, at once); switching it off takes
 * effect at once (connection closed, queue erased with its class), and the
 * reboot that follows finds nothing to send.
 */
import type { ConfigService } from '../config/config-service';
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { FileStore } from '../storage/file-store';
import type { DeviceSettings } from '../settings/device-settings';
import { analyticsDeclaration } from './declaration';
import { analyticsEnabled } from './analytics-enablement';
import type { UploaderStatus } from './analytics-uploader';
import { activate, purge, type ActiveAnalytics } from './analytics-runtime';
import { AnalyticsStatusScreen } from './analytics-status-screen';

const SWITCHES = ['feature.da.enabled', 'feature.lens.enabled', 'device.da.enabled.set', 'device.da.enabled'];

export interface AnalyticsStatus {
  enabled: boolean;
  services: string;
  queueLength: number;
  pendingDrops: number;
  uploader: UploaderStatus | null;
}

export interface AnalyticsService {
  status(): AnalyticsStatus;
}

let current: AnalyticsService | null = null;

export function analyticsModule(): FirmwareModule {
  return {
    declaration: analyticsDeclaration,
    screens: { 'analytics-status': (k) => new AnalyticsStatusScreen(() => current?.status() ?? null, k) },
  };
}

export interface AnalyticsWiring {
  fs: FileStore;
  config: ConfigService;
  /** Device settings: the reset module's notice of a finished factory reset (firmware/reset/finished-reset.ts). */
  settings: DeviceSettings;
}

export function startAnalytics(kernel: Kernel, w: AnalyticsWiring): AnalyticsService {
  const log = kernel.log.component('da');
  const get = (n: string) => w.config.get(n);
  const idleStatus = (): AnalyticsStatus => ({ enabled: false, services: get('da.supported.services') ?? '', queueLength: 0, pendingDrops: 0, uploader: null });
  let active: ActiveAnalytics | null = null;
  if (analyticsEnabled(get)) active = activate(kernel, w, 'boot');
  // Switched off while the phone was off (or an erase cut by a power loss): nothing of it may stay.
  else if (w.fs.list('analytics/').length > 0) purge(w.fs, log);
  w.config.onChange((changes) => {
    const on = analyticsEnabled(get);
    // Switched on by a reboot-flagged parameter (feature.da.enabled, device.da.enabled): it starts after that reboot.
    const rebootFollows = changes.some((c) => c.reboot && SWITCHES.includes(c.name));
    if (on && !active && !rebootFollows) active = activate(kernel, w, 'enabled');
    else if (!on && active) {
      active.deactivate();
      active = null;
    }
  });
  const service: AnalyticsService = { status: () => active?.status() ?? idleStatus() };
  current = service;
  return service;
}

