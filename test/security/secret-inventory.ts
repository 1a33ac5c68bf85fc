/**
 * Every secret the phone keeps, derived from the module declarations (never
 * kept by hand): parameters declared `secret` and device settings declared
 * `secret`. The forensic test and the docs check iterate this list.
 */
import type { ParameterDeclaration } from '../../firmware/kernel/declaration';
import { bootInProcess } from '../../sim/host/in-process-firmware';

export interface SecretInventory {
  parameters: (ParameterDeclaration & { module: string })[];
  deviceSettings: { name: string; module: string; description: string }[];
  /** Every parameter and device setting, to check that a secret-sounding one is declared secret. */
  allParameters: (ParameterDeclaration & { module: string })[];
  allDeviceSettings: { name: string; secret?: boolean }[];
}

let cached: SecretInventory | null = null;

export function secretInventory(): SecretInventory {
  if (cached) return cached;
  const modules = bootInProcess({ board: 'desk-500' }).booted.kernel.modules;
  const allParameters = modules.parameters();
  const allDeviceSettings = modules.deviceSettings();
  cached = {
    parameters: allParameters.filter((p) => p.secret),
    deviceSettings: allDeviceSettings.filter((d) => d.secret),
    allParameters,
    allDeviceSettings,
  };
  return cached;
}

/** A name that sounds like a credential: a new one must be declared `secret` (or be listed here as not one). */
export function soundsSecret(name: string): boolean {
  return /password|passwd|secret|credential|\.key$|accountcode|token|privatekey/i.test(name);
}
