/**
 * `device.*` parameters that configure the device itself (Polycom "device
 * parameters": provisioning server, local passwords, SNTP, syslog) are kept
 * in device settings (nvram), not only in the configuration: they survive a
 * lost configuration cache and the phone's own later changes (menu) stand
 * until configuration brings a NEW value.
 *
 * The config service already holds a `device.*` value back unless
 * `device.set` is not 0 and the parameter's `.set` is 1; this module takes
 * the value in force from files/cloud and hands it to the owning module's
 * `apply` ONCE PER VALUE: a salted SHA-256 fingerprint of the value last
 * applied is kept in device settings (`applied.<name>`, in the sealed class:
 * never the value itself for a secret), so a reboot with the same files does
 * not apply it again and does not undo a change made at the phone meanwhile.
 * A refused value is not remembered: it is refused (and logged) again at the
 * next boot or change, until the files bring a good one.
 *
 * Logs name the parameter and the file, never a secret's value.
 *
 * Owners bind their parameters with `syncDeviceParameters` (see
 * provisioning-module.ts, login-module.ts); a parameter needing a reboot
 * sets `reboot` and the config service reboots once at the end of the cycle.
 */
import type { Crypto } from '../../hal/contract';
import { bytesToHex, hexToBytes } from '../kernel/hex';
import { utf8Encode } from '../kernel/text-codec';

export type DeviceApplyOutcome =
  /** `changed`: the device state differs from before (false when it already held this value). */
  | { ok: true; changed: boolean }
  | { ok: false; reason: string };

export interface DeviceParameterBinding {
  /** The configuration parameter, e.g. `device.prov.serverName`. */
  parameter: string;
  /** Check the value and store it in the device; never throws for bad input (returns the reason). */
  apply(value: string): DeviceApplyOutcome;
  /** A changed value takes effect after a reboot (the config service reboots at the end of the cycle). */
  reboot?: boolean;
  /** The value as logged (e.g. a URL without its inline credentials); secrets are never logged. */
  shown?(value: string): string;
}

export interface DeviceParameterConfig {
  get(name: string): string | undefined;
  explain(name: string): { layer?: string; source?: string; secret?: boolean };
  onChange(listener: (changes: { name: string }[]) => void): void;
  requestReboot(reason: string): void;
}

export interface FingerprintStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export interface DeviceParameterLog {
  notice(text: string): void;
  warning(text: string): void;
  error(text: string): void;
}

export interface DeviceParameterSyncDeps {
  config: DeviceParameterConfig;
  settings: FingerprintStore;
  crypto: Pick<Crypto, 'sha256' | 'randomBytes'>;
  log: DeviceParameterLog;
}

/** Device-settings key of the fingerprint of the value last applied from configuration. */
export function appliedKey(parameter: string): string {
  return `applied.${parameter}`;
}

export class DeviceParameterSync {
  constructor(private readonly d: DeviceParameterSyncDeps, private readonly bindings: DeviceParameterBinding[]) {}

  /** Apply every bound value configuration brought that has not been applied yet. */
  applyPending(): void {
    for (const b of this.bindings) {
      try {
        this.applyOne(b);
      } catch (e) {
        // A failing write (nvram full) must not stop the other parameters; the value is retried next time.
        this.d.log.error(`${b.parameter} from configuration not applied: ${(e as Error).message}`);
      }
    }
  }

  /** Re-check when a bound parameter, its `.set` or `device.set` changed. */
  watch(): void {
    const names = new Set<string>(['device.set']);
    for (const b of this.bindings) names.add(b.parameter).add(`${b.parameter}.set`);
    this.d.config.onChange((changes) => {
      if (changes.some((c) => names.has(c.name))) this.applyPending();
    });
  }

  private applyOne(b: DeviceParameterBinding): void {
    const e = this.d.config.explain(b.parameter);
    // Only values from files or the cloud: defaults are no instruction, and the phone's own changes are in settings already.
    if (e.layer !== 'files' && e.layer !== 'cloud') return;
    const value = this.d.config.get(b.parameter) ?? '';
    const key = appliedKey(b.parameter);
    if (this.matches(this.d.settings.get(key), b.parameter, value)) return;
    const from = e.source ?? e.layer;
    const shown = e.secret ? `<${[...value].length} characters hidden>` : `"${b.shown ? b.shown(value) : value}"`;
    const outcome = b.apply(value);
    if (!outcome.ok) {
      this.d.log.warning(`${b.parameter}=${shown} from ${from} refused: ${outcome.reason}; device setting unchanged`);
      return;
    }
    this.d.settings.set(key, this.fingerprint(b.parameter, value));
    this.d.log.notice(`${b.parameter}=${shown} from ${from} applied to the device${outcome.changed ? '' : ' (already in force)'}${outcome.changed && b.reboot ? ', needs reboot' : ''}`);
    if (outcome.changed && b.reboot) this.d.config.requestReboot(`${b.parameter} changed`);
  }

  private fingerprint(parameter: string, value: string, salt = this.d.crypto.randomBytes(16)): string {
    return `sha256$${bytesToHex(salt)}$${bytesToHex(this.d.crypto.sha256(utf8Encode(`${bytesToHex(salt)}\u0000${parameter}\u0000${value}`)))}`;
  }

  private matches(stored: string | undefined, parameter: string, value: string): boolean {
    const [scheme, saltHex] = (stored ?? '').split('$');
    if (scheme !== 'sha256' || !/^([0-9a-f]{2})+$/.test(saltHex ?? '')) return false;
    return this.fingerprint(parameter, value, hexToBytes(saltHex)) === stored;
  }
}

/** Bind `bindings`, apply what is pending now (boot, on the cached configuration) and on each relevant change. */
export function syncDeviceParameters(deps: DeviceParameterSyncDeps, bindings: DeviceParameterBinding[]): DeviceParameterSync {
  const sync = new DeviceParameterSync(deps, bindings);
  sync.applyPending();
  sync.watch();
  return sync;
}
