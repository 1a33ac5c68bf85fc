/**
 * Steps about resets and data-subject rights (issue 13): run a reset variant
 * (through the keypad menus, or directly: power off, commit the intent the
 * way the firmware's entry point does, power on), hold the updater's
 * recovery keys at the next boot, export "My Data", and check data classes
 * erased or kept against the snapshot taken when the reset was started.
 */
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import type { KeyName } from '../../../hal/contract';
import { exportPersonalData } from '../../../firmware/reset/data-export';
import { ResetService } from '../../../firmware/reset/reset-service';
import { RESET_VARIANTS, resetVariant, type ResetVariantId } from '../../../firmware/reset/reset-variants';
import { DeviceSettings } from '../../../firmware/settings/device-settings';
import { FileStore } from '../../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../devices/crypto';
import { VirtualFlash } from '../../devices/flash';
import type { Phone } from '../../phone';
import { resetByMenu, toIdle } from '../../reset/menu-driver';
import { declaredClasses } from '../../reset/reset-matrix';
import { asString, asStringList, fields, optionalString } from '../argument';
import type { StepKind } from '../scenario';
import { requireRunning } from './phone';

/** What each data class held when a reset started: readable files (content hash) and key material. */
interface Snapshot { files: { cls: string; user: string; path: string; hash: string }[]; keys: Map<string, string> }

const snapshots = new WeakMap<Phone, Snapshot>();

function copyKeystore(from: Keystore): Keystore {
  const ks = new Keystore();
  for (const n of from.names()) ks.set(n, Buffer.from(from.get(n)!));
  return ks;
}

const sha = (b: Uint8Array) => nodeCrypto.createHash('sha256').update(b).digest('hex');

function snapshot(phone: Phone): Snapshot {
  const flash = VirtualFlash.fromImage(phone.profile.flash, phone.dumpFlash());
  const keystore = copyKeystore(phone.devices.crypto.keystore);
  const crypto = new NodeCryptoEngine(keystore);
  const files: Snapshot['files'] = [];
  for (const p of ['nvram', 'fs']) {
    const store = FileStore.mount(flash.open(p), crypto);
    for (const f of store.list()) {
      try {
        files.push({ cls: f.cls, user: f.user ?? '', path: `${p}:${f.path}`, hash: sha(store.read(f.path) ?? new Uint8Array(0)) });
      } catch {
        // Unreadable already (key gone): nothing a reset could leave behind.
      }
    }
  }
  return { files, keys: new Map(keystore.names().map((n) => [n, sha(keystore.get(n)!)])) };
}

export interface ResetArgs { variant: ResetVariantId; via: 'menu' | 'direct'; adminPassword: string }

export const reset: StepKind<ResetArgs> = {
  name: 'reset',
  help: `run a reset variant (${RESET_VARIANTS.map((v) => v.id).join(', ')}) via the keypad menus (default; admin password, default 4567, set on first use) or directly (power off, commit the intent, power on); waits for it to complete`,
  example: { variant: 'resetUserData', via: 'menu' },
  parse: (a) => {
    const o = fields(a, ['variant', 'via', 'adminPassword'], 'reset');
    const variant = asString(o.variant, 'reset.variant');
    if (!resetVariant(variant)) throw new Error(`reset.variant: "${variant}" is not one of ${RESET_VARIANTS.map((v) => v.id).join(', ')}`);
    const via = optionalString(o.via, 'reset.via') ?? 'menu';
    if (via !== 'menu' && via !== 'direct') throw new Error(`reset.via: "${via}" is not menu or direct`);
    return { variant: variant as ResetVariantId, via, adminPassword: optionalString(o.adminPassword, 'reset.adminPassword') ?? '4567' };
  },
  label: (a) => `reset ${a.variant} via ${a.via}`,
  run: async (ctx, a) => {
    const { phone } = ctx;
    requireRunning(phone, 'reset');
    const info = resetVariant(a.variant)!;
    snapshots.set(phone, snapshot(phone));
    const done = () => phone.log().filter((l) => l.includes(`reset: ${info.label} done`)).length;
    const before = done();
    if (a.via === 'menu') {
      if (info.perUser) await toIdle(phone);
      if (a.variant === 'clearPersonalInfo') throw new Error('reset: clearPersonalInfo is under Settings > Basic; use via "direct" or press its menu keys');
      await resetByMenu(phone, info.label, a.adminPassword);
    } else {
      phone.cutPower();
      const flash = phone.devices.flash;
      flash.restorePower();
      const nvram = FileStore.mount(flash.open('nvram'), phone.devices.crypto);
      const settings = new DeviceSettings(nvram, () => {});
      new ResetService({
        nvram, setting: (n) => settings.get(n), now: () => Date.now(), log: { notice() {}, error() {} } as never,
        currentUser: () => null, clearServer: (_u, cb) => cb([]), reboot: () => {},
      }).request(a.variant, 'scenario (direct)');
      await phone.powerOn();
    }
    for (let i = 0; i < 200 && done() === before; i++) await phone.advance(100);
    if (done() === before) throw new Error(`${info.label} did not complete; log tail: ${phone.log().slice(-5).join(' / ')}`);
    ctx.note(phone.log().filter((l) => l.includes(`reset: ${info.label} done`)).pop()!.replace(/^.*reset: /, ''));
  },
};

export const holdKeysAtBoot: StepKind<{ keys: string[] | null }> = {
  name: 'holdKeysAtBoot',
  help: 'hold keys down through the next boot (default: the board\'s recovery keys, which run the updater\'s factory reset); snapshot the data for expectErased/expectKept',
  example: { keys: ['1', '3', '5'] },
  parse: (a) => {
    const o = fields(a, ['keys'], 'holdKeysAtBoot');
    return { keys: o.keys === undefined ? null : asStringList(o.keys, 'holdKeysAtBoot.keys') };
  },
  run: async ({ phone }, a) => {
    const keys = (a.keys ?? phone.profile.recoveryKeys ?? []) as KeyName[];
    if (keys.length === 0) throw new Error(`board ${phone.profile.profile} has no recovery keys`);
    if (phone.state === 'running') snapshots.set(phone, snapshot(phone));
    phone.holdKeysAtBoot(keys);
  },
};

export interface ExportArgs { user: string | null; present: string[]; absent: string[] }

export const exportData: StepKind<ExportArgs> = {
  name: 'exportData',
  help: '"My Data" of a user (or the phone\'s own) from the flash, as `phone data export` writes it, into the artifacts folder; `present` strings must be in it, `absent` ones must not',
  example: { present: ['+4930123456'], absent: [] },
  parse: (a) => {
    const o = fields(a, ['user', 'present', 'absent'], 'exportData');
    return {
      user: optionalString(o.user, 'exportData.user') ?? null,
      present: o.present === undefined ? [] : asStringList(o.present, 'exportData.present'),
      absent: o.absent === undefined ? [] : asStringList(o.absent, 'exportData.absent'),
    };
  },
  run: async (ctx, a) => {
    const { phone } = ctx;
    const flash = VirtualFlash.fromImage(phone.profile.flash, phone.dumpFlash());
    const store = FileStore.mount(flash.open('fs'), new NodeCryptoEngine(copyKeystore(phone.devices.crypto.keystore)));
    const out = exportPersonalData(store, declaredClasses(), { user: a.user, mac: phone.profile.mac, at: new Date().toISOString() }, (m) => ctx.note(m));
    for (const f of out.files) fs.writeFileSync(ctx.artifact(f.name), f.text);
    ctx.note(`exported ${out.files.map((f) => f.name).join(', ')}`);
    const text = out.files.map((f) => f.text).join('\n');
    const problems = [...a.present.filter((s) => !text.includes(s)).map((s) => `"${s}" not in the export`), ...a.absent.filter((s) => text.includes(s)).map((s) => `"${s}" is in the export`)];
    if (problems.length) throw new Error(problems.join('; '));
  },
};

export interface ClassCheck { classes: string[]; user: string | null }

function parseClassCheck(name: string) {
  return (a: unknown): ClassCheck => {
    const o = fields(a, ['classes', 'user'], name);
    const classes = asStringList(o.classes, `${name}.classes`);
    const known = new Set(declaredClasses().map((c) => c.storageClass));
    for (const c of classes) if (!known.has(c)) throw new Error(`${name}.classes: "${c}" is not a declared data class (${[...known].join(', ')})`);
    return { classes, user: optionalString(o.user, `${name}.user`) ?? null };
  };
}

function compare(phone: Phone, c: ClassCheck): { kept: string[]; gone: string[]; total: number } {
  const before = snapshots.get(phone);
  if (!before) throw new Error('no snapshot: run a reset or holdKeysAtBoot step first');
  const now = snapshot(phone);
  const nowFiles = new Set(now.files.map((f) => `${f.path}#${f.hash}`));
  const kept: string[] = [];
  const gone: string[] = [];
  for (const f of before.files) {
    if (!c.classes.includes(f.cls) || (c.user !== null && f.user !== c.user)) continue;
    (nowFiles.has(`${f.path}#${f.hash}`) ? kept : gone).push(`${f.cls} ${f.path}`);
  }
  for (const [name, hash] of before.keys) {
    const cls = /^store\.([^.]+)/.exec(name)?.[1];
    if (!cls || !c.classes.includes(cls) || (c.user !== null && !name.endsWith(`.u.${c.user}`))) continue;
    (now.keys.get(name) === hash ? kept : gone).push(`key ${name}`);
  }
  return { kept, gone, total: kept.length + gone.length };
}

export const expectErased: StepKind<ClassCheck> = {
  name: 'expectErased',
  help: 'every file and key of these data classes (of one user if given) that existed when the last reset started is gone: not readable, key destroyed',
  example: { classes: ['callLists', 'directory'] },
  parse: parseClassCheck('expectErased'),
  run: async (ctx, a) => {
    const r = compare(ctx.phone, a);
    if (r.kept.length) throw new Error(`still on the phone: ${r.kept.join(', ')}`);
    ctx.note(`${r.total} files/keys of ${a.classes.join(', ')} erased`);
  },
};

export const expectKept: StepKind<ClassCheck> = {
  name: 'expectKept',
  help: 'every file and key of these data classes that existed when the last reset started is still there, unchanged',
  example: { classes: ['deviceSettings'] },
  parse: parseClassCheck('expectKept'),
  run: async (ctx, a) => {
    const r = compare(ctx.phone, a);
    if (r.gone.length) throw new Error(`gone or changed: ${r.gone.join(', ')}`);
    if (r.total === 0) throw new Error(`nothing of ${a.classes.join(', ')} existed before the reset: the check proves nothing`);
    ctx.note(`${r.total} files/keys of ${a.classes.join(', ')} kept`);
  },
};

export const resetSteps: StepKind[] = [reset, holdKeysAtBoot, exportData, expectErased, expectKept];
