/**
 * The provisioning server from configuration: `device.prov.serverName`,
 * `.serverType`, `.user`, `.password` (Polycom device parameters, each
 * applied with `device.set` not 0 and its own `.set=1`) become the device
 * settings server-settings.ts reads. A new server name or type reboots the
 * phone once (Polycom: device parameter changes reboot); after the reboot the
 * first cycle talks to the new server. Credentials apply from the next request.
 */
import type { DeviceApplyOutcome, DeviceParameterBinding } from '../settings/device-parameter-sync';
import { serverAddressError } from './server-address';
import { PASSWORD_SETTING, SERVER_SETTING, SERVER_TYPE_SETTING, SUPPORTED_SERVER_TYPES, USER_SETTING, redactedUrl } from './server-settings';

export interface ServerSettingsStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export function provisioningServerBindings(settings: ServerSettingsStore): DeviceParameterBinding[] {
  const store = (name: string, value: string): DeviceApplyOutcome => {
    if (settings.get(name) === value) return { ok: true, changed: false };
    settings.set(name, value);
    return { ok: true, changed: true };
  };
  return [
    // The type first: a server name and type arriving together take effect with the one reboot.
    {
      parameter: SERVER_TYPE_SETTING,
      reboot: true,
      apply: (value) => {
        const type = value.toUpperCase();
        if (!SUPPORTED_SERVER_TYPES.includes(type)) return { ok: false, reason: `${type} is not supported: this phone provisions over ${SUPPORTED_SERVER_TYPES.join(' or ')} only` };
        return store(SERVER_TYPE_SETTING, type);
      },
    },
    {
      parameter: SERVER_SETTING,
      reboot: true,
      shown: redactedUrl,
      apply: (value) => {
        const error = serverAddressError(value);
        return error ? { ok: false, reason: error } : store(SERVER_SETTING, value.trim());
      },
    },
    { parameter: USER_SETTING, apply: (value) => store(USER_SETTING, value) },
    { parameter: PASSWORD_SETTING, apply: (value) => store(PASSWORD_SETTING, value) },
  ];
}
