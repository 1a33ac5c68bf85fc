/**
 * The reset stage of the boot, run before any application module touches
 * the flash: it is the updater's part of the boot (spec: "MKC updater
 * boot-up"). It
 * 1. mounts nvram; when the board's recovery key combination is held at
 *    power-on, commits a factory reset there (Reset to Factory, or Reset to
 *    Factory Partial when `device.system.recoveryType` is PreserveAdmin);
 * 2. finishes a committed reset intent: formats the partitions whose every
 *    class the variant removes (raw block erase, before mounting them, so a
 *    corrupt fs is no obstacle), mounts fs, erases the other classes one by
 *    one, writes back the kept settings, resets the wizard, leaves the notice
 *    of the finished reset (finished-reset.ts), and clears the intent last
 *    (reset-journal.ts).
 * Every step is idempotent: a power cut anywhere makes the next boot run
 * them again from the start.
 */
import type { Crypto, Flash, KeyName } from '../../hal/contract';
import type { DataClassDeclaration, DataPartition } from '../kernel/declaration';
import { DeviceSettings } from '../settings/device-settings';
import { classKeysOf, type DataClassId } from '../storage/data-classes';
import { isClean } from '../storage/record-format';
import { party } from '../kernel/party';
import type { FileStore } from '../storage/file-store';
import { commitResetIntent, pendingResetIntent, RESET_INTENT_PATH, type ResetIntent } from './reset-journal';
import { planReset, type ResetPlan } from './reset-plan';
import { recordFinishedReset } from './finished-reset';
import { ADMIN_PASSWORD_SETTING, RECOVERY_TYPE_SETTING, resetVariant, WIZARD_PENDING, WIZARD_STATE_SETTING } from './reset-variants';

export interface BootResetLog {
  info(m: string): void;
  notice(m: string): void;
  error(m: string): void;
}

export interface BootResetDeps {
  flash: Pick<Flash, 'open'>;
  crypto: Crypto;
  /** Keys held down at power-on (HAL `keys.heldAtPowerOn`). */
  heldKeys: readonly KeyName[];
  /** The board's recovery key combination (board profile `recoveryKeys`); empty: none. */
  recoveryKeys: readonly KeyName[];
  classes: readonly DataClassDeclaration[];
  mount: (partition: DataPartition) => FileStore;
  monotonic: () => number;
  now: () => number;
  log: BootResetLog;
}

/** What a finished reset cost (the audit line, `phone reset-matrix`, the bench). */
export interface ResetReport {
  variant: string;
  by: string;
  formatted: DataPartition[];
  erased: string[];
  programOps: number;
  eraseOps: number;
  ms: number;
}

export interface BootResetResult {
  nvram: FileStore;
  fs: FileStore;
  /** The reset this boot finished, if any. */
  completed: ResetReport | null;
}

export function resetAtBoot(d: BootResetDeps): BootResetResult {
  const combo = d.recoveryKeys.length > 0 && d.recoveryKeys.every((k) => d.heldKeys.includes(k));
  let nvram: FileStore;
  try {
    nvram = d.mount('nvram');
  } catch (e) {
    if (!combo) throw e;
    // The recovery path must work on a damaged phone: an nvram that cannot mount is formatted.
    d.log.error(`reset: nvram cannot mount (${(e as Error).message}): formatting it for the factory reset`);
    formatPartition(d.flash, 'nvram');
    nvram = d.mount('nvram');
  }
  if (combo) {
    const settings = new DeviceSettings(nvram, (m) => d.log.error(m));
    const preserveAdmin = settings.get(RECOVERY_TYPE_SETTING) === 'PreserveAdmin';
    const admin = settings.get(ADMIN_PASSWORD_SETTING);
    d.log.notice(`reset: recovery keys ${d.recoveryKeys.join('+')} held at power-on: factory reset (device.system.recoveryType ${preserveAdmin ? 'PreserveAdmin' : 'FullRecovery'})`);
    commitResetIntent(nvram, {
      variant: preserveAdmin ? 'resetToFactoryPartial' : 'resetToFactory', by: 'updater key combination', at: d.now(),
      keep: preserveAdmin && admin !== undefined ? { [ADMIN_PASSWORD_SETTING]: admin } : {},
    });
  }
  const intent = pendingResetIntent(nvram, (m) => d.log.error(m));
  if (!intent) {
    if (nvram.exists(RESET_INTENT_PATH)) nvram.eraseClass('resetJournal');
    return { nvram, fs: d.mount('fs'), completed: null };
  }
  return finishReset(d, nvram, intent);
}

function finishReset(d: BootResetDeps, nvram: FileStore, intent: ResetIntent): BootResetResult {
  const started = d.monotonic();
  const plan = planReset(intent.variant, d.classes, resetVariant(intent.variant)!.perUser ? intent.user ?? '' : undefined);
  const cost = { programOps: 0, eraseOps: 0 };
  d.log.notice(`reset: finishing ${resetVariant(intent.variant)!.label}${intent.user ? ` of user ${party(intent.user, 'user')}` : ''} requested by ${intent.by}`);
  for (const p of plan.formats) {
    cost.eraseOps += formatPartition(d.flash, p);
    for (const c of d.classes) if (c.partition === p) destroyClassKeys(d.crypto, c.storageClass, undefined, c.deviceKeys ?? []);
  }
  const fs = d.mount('fs');
  const stores: Record<DataPartition, FileStore> = { nvram, fs };
  for (const e of plan.erases) {
    const r = stores[e.partition].eraseClass(e.cls as DataClassId, e.user);
    destroyClassKeys(d.crypto, e.cls, e.user, e.deviceKeys);
    cost.programOps += r.programOps;
    cost.eraseOps += r.eraseOps;
  }
  finishSettings(nvram, intent, d.log);
  const r = nvram.eraseClass('resetJournal');
  cost.programOps += r.programOps;
  cost.eraseOps += r.eraseOps;
  const report = summary(intent, plan, cost, d.monotonic() - started);
  d.log.notice(`reset: ${resetVariant(intent.variant)!.label} done (requested by ${intent.by}): formatted ${report.formatted.join(', ') || 'nothing'}, erased ${report.erased.join(', ') || 'nothing'}; ${report.programOps} program + ${report.eraseOps} erase operations, ${report.ms} ms`);
  return { nvram, fs, completed: report };
}

/** Kept settings back in, wizard state out: after the class erases, so a repeat after a power cut gives the same result. */
function finishSettings(nvram: FileStore, intent: ResetIntent, log: BootResetLog): void {
  const settings = new DeviceSettings(nvram, (m) => log.error(m));
  for (const [name, value] of Object.entries(intent.keep)) if (settings.get(name) !== value) settings.set(name, value);
  if (resetVariant(intent.variant)!.resetsWizard && settings.get(WIZARD_STATE_SETTING) !== WIZARD_PENDING) settings.set(WIZARD_STATE_SETTING, WIZARD_PENDING);
  // For analytics' resettofactory event, possibly some boots later (./finished-reset.ts).
  recordFinishedReset(settings, intent);
}

/**
 * Erase every block of a partition that is not blank (format); returns the
 * erase operations. A block that already reads all 0xFF is left alone: most
 * of a partition usually is, and erasing it again only costs time and wear.
 * A block whose erase a power cut tore still holds bytes that are not 0xFF
 * (the erase had not finished), so the format that runs again at the next
 * boot erases it again.
 */
export function formatPartition(flash: Pick<Flash, 'open'>, name: DataPartition): number {
  const part = flash.open(name);
  const blocks = Math.floor(part.size / part.blockSize);
  let erased = 0;
  for (let b = 0; b < blocks; b++) {
    if (isClean(part.read(b * part.blockSize, part.blockSize), 0, part.blockSize)) continue;
    part.erase(b);
    erased++;
  }
  return erased;
}

/** A class's keys in the crypto device: its store keys of every key generation (all users, or one) and any it declares. */
function destroyClassKeys(crypto: Crypto, cls: string, user: string | undefined, deviceKeys: readonly string[]): void {
  const names = classKeysOf(crypto, cls as DataClassId).filter((k) => user === undefined || k.user === user).map((k) => k.name);
  if (user === undefined) for (const prefix of deviceKeys) names.push(...crypto.listKeys(prefix));
  for (const n of names) crypto.destroyKey(n);
}

function summary(intent: ResetIntent, plan: ResetPlan, cost: { programOps: number; eraseOps: number }, ms: number): ResetReport {
  return {
    variant: intent.variant, by: intent.by, formatted: plan.formats,
    erased: plan.erases.map((e) => (e.user !== undefined ? `${e.cls} (${e.user || 'phone'})` : e.cls)),
    ...cost, ms,
  };
}
