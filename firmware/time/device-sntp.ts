/**
 * `device.sntp.serverName` / `device.sntp.gmtOffset`: the device-setting
 * copies of the SNTP server and offset. Applied from configuration only with
 * their `.set` companion and `device.set` (the config service's rule for every
 * `device.*`); a value the device-settings store keeps in nvram is used when
 * configuration does not apply one. The `tcpIpApp.sntp.*` parameter wins
 * whenever a layer sets it.
 */
import type { DeviceSettings } from '../settings/device-settings';

export interface SntpConfigReader {
  get(name: string): string | undefined;
  explain(name: string): { layer?: string };
}

function setByConfiguration(config: SntpConfigReader, name: string): boolean {
  const layer = config.explain(name).layer;
  return layer !== undefined && layer !== 'default';
}

/** The value in force: the parameter when set, else the device setting (configuration, then nvram), else the parameter's default. */
export function sntpValue(config: SntpConfigReader, settings: Pick<DeviceSettings, 'get'> | null, parameter: string, deviceSetting: string): string {
  if (setByConfiguration(config, parameter)) return config.get(parameter) ?? '';
  if (setByConfiguration(config, deviceSetting)) return config.get(deviceSetting) ?? '';
  const kept = settings?.get(deviceSetting);
  if (kept !== undefined && kept !== '') return kept;
  return config.get(parameter) ?? '';
}
