/**
 * What a reset variant erases, derived from the modules' data-class
 * declarations (`removedBy`, `partition`, `perUser`), never kept by hand.
 * The firmware's reset, the generated docs/reset.md, `phone reset-matrix`
 * and the data export all read this one function.
 */
import type { DataClassDeclaration, DataPartition } from '../kernel/declaration';
import type { ResetVariantId } from './reset-variants';

export interface ClassErase {
  cls: string;
  partition: DataPartition;
  /** Only this user's records (a per-user class under a per-user variant); absent: every user's and the phone's. */
  user?: string;
  deviceKeys: string[];
}

export interface ResetPlan {
  variant: ResetVariantId;
  /** Partitions every declared class of which the variant removes: formatted whole (raw block erase), before they are mounted. */
  formats: DataPartition[];
  /** Classes erased one by one (crypto-erase + block erase) in partitions that are not formatted. */
  erases: ClassErase[];
  /** Every class the variant removes (formatted or erased), for reports. */
  removed: string[];
}

/** The partition order of a reset: nvram (device settings, journal) last. */
const PARTITIONS: DataPartition[] = ['fs', 'nvram'];

/** One entry per storage class (two modules may declare the same class; their `removedBy` lists are merged). */
export function mergeClasses(classes: readonly DataClassDeclaration[]): DataClassDeclaration[] {
  const out = new Map<string, DataClassDeclaration>();
  for (const c of classes) {
    const seen = out.get(c.storageClass);
    if (!seen) {
      out.set(c.storageClass, { ...c, removedBy: [...c.removedBy], deviceKeys: [...(c.deviceKeys ?? [])] });
      continue;
    }
    if (seen.partition !== c.partition) throw new Error(`data class ${c.storageClass} declared in partitions ${seen.partition} and ${c.partition}`);
    for (const r of c.removedBy) if (!seen.removedBy.includes(r)) seen.removedBy.push(r);
    for (const k of c.deviceKeys ?? []) if (!seen.deviceKeys!.includes(k)) seen.deviceKeys!.push(k);
    seen.perUser = seen.perUser || c.perUser;
    seen.personal = seen.personal || c.personal;
  }
  return [...out.values()];
}

/**
 * The plan of `variant` over the declared classes. `user`: for a per-user
 * variant, whose data ('' = the phone's own, i.e. nobody logged in).
 */
export function planReset(variant: ResetVariantId, declared: readonly DataClassDeclaration[], user?: string): ResetPlan {
  const classes = mergeClasses(declared);
  const removes = (c: DataClassDeclaration) => c.removedBy.includes(variant);
  const scoped = user !== undefined;
  const formats = scoped ? [] : PARTITIONS.filter((p) => {
    const inside = classes.filter((c) => c.partition === p);
    return inside.length > 0 && inside.every(removes);
  });
  const erases: ClassErase[] = [];
  for (const p of PARTITIONS) {
    if (formats.includes(p)) continue;
    for (const c of classes) {
      if (c.partition !== p || !removes(c)) continue;
      erases.push({ cls: c.storageClass, partition: p, ...(scoped && c.perUser ? { user } : {}), deviceKeys: c.deviceKeys ?? [] });
    }
  }
  return { variant, formats, erases, removed: classes.filter(removes).map((c) => c.storageClass) };
}
