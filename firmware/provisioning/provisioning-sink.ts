/**
 * What the provisioning client needs from the configuration service
 * (firmware/config/config-service.ts implements it): it hands over file
 * TEXTS — already downloaded and decrypted — and reads parameter values.
 * Kept as an interface so the client is tested without the whole registry.
 */
import type { MasterConfig } from '../config/master-file';

export interface SinkApplyResult {
  ok: boolean;
  /** Why the whole file was refused (its last good copy stays in force). */
  error?: string;
}

export type OverrideLayerName = 'user' | 'local' | 'web' | 'cloud';

export interface ProvisioningSink {
  applyMaster(text: string, name?: string): SinkApplyResult & { master?: MasterConfig };
  applyConfigFile(name: string, text: string): SinkApplyResult;
  applyOverrideFile(layer: OverrideLayerName, text: string): SinkApplyResult;
  /** The master file in force (last good), or null before the first one. */
  masterConfig(): MasterConfig | null;
  /** Effective value of a declared parameter, undefined when not declared. */
  get(name: string): string | undefined;
  /** `<PHONE_CONFIG><OVERRIDES .../></PHONE_CONFIG>` text of a layer, for upload. */
  overrideText(layer: OverrideLayerName): string;
  onChange(listener: (changes: { name: string; from: string; to: string }[]) => void): () => void;
  /** A change made on the phone or the web altered a layer's override file (not a downloaded replacement). */
  onOverridesChanged(listener: (layer: OverrideLayerName) => void): () => void;
  /** The logged-in user, whose override file is `<user>-phone.cfg`. */
  currentUser(): string | null;
  /** End of a cycle: reboots once when a reboot-flagged parameter changed. */
  finishCycle(): { changed: string[]; rebooting: boolean };
}
