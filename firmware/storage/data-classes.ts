/**
 * Data classes of the store. Every record belongs to one; sealed classes are
 * encrypted under a key per class (and per user where a user is given) held
 * in the HAL crypto device, and every class is erased by class. Personal
 * classes are sealed; so are the classes that hold secrets (device settings:
 * provisioning credentials, the config-encryption key, password hashes; the
 * configuration cache: passwords and keys given by configuration files).
 */
export type DataClassId =
  | 'deviceSettings' | 'config' | 'callLists' | 'cdr' | 'directory' | 'userProfile' | 'logs' | 'analytics' | 'certificates'
  | 'localOverrides' | 'webOverrides' | 'cloudOverrides' | 'resetJournal';

interface DataClassInfo {
  code: number;
  /** Holds personal data (a party's or user's). */
  personal: boolean;
  /** Records are sealed (AES-256-GCM) under the class key: personal data and secrets. */
  sealed: boolean;
}

export const DATA_CLASSES: Record<DataClassId, DataClassInfo> = {
  deviceSettings: { code: 1, personal: false, sealed: true },
  config: { code: 2, personal: false, sealed: true },
  callLists: { code: 3, personal: true, sealed: true },
  cdr: { code: 4, personal: true, sealed: true },
  directory: { code: 5, personal: true, sealed: true },
  userProfile: { code: 6, personal: true, sealed: true },
  logs: { code: 7, personal: true, sealed: true },
  analytics: { code: 8, personal: true, sealed: true },
  // Public certificates only (a trusted CA); private keys belong in the crypto device.
  certificates: { code: 9, personal: false, sealed: false },
  // Override layers (may carry passwords set on the phone or the web): sealed like the config cache.
  localOverrides: { code: 10, personal: false, sealed: true },
  webOverrides: { code: 11, personal: false, sealed: true },
  cloudOverrides: { code: 12, personal: false, sealed: true },
  // Reset intents: no secret, and no reset may remove them (they finish the reset).
  resetJournal: { code: 13, personal: false, sealed: false },
};

const BY_CODE = new Map<number, DataClassId>(Object.entries(DATA_CLASSES).map(([id, info]) => [info.code, id as DataClassId]));

export function classByCode(code: number): DataClassId | undefined {
  return BY_CODE.get(code);
}

/**
 * Name of the keystore key that seals a class's records: `store.<class>`
 * (the phone's own) or `store.<class>.u.<user>`, and for key generations
 * after the first (a re-key: FileStore.rekeyClass) `#<generation>` appended.
 * `#` never occurs in a user id (firmware/login/user-id.ts), class ids or
 * the rest of the name.
 */
export function classKeyName(cls: DataClassId, user?: string, generation = 0): string {
  const base = user ? `store.${cls}.u.${user}` : `store.${cls}`;
  return generation > 0 ? `${base}#${generation}` : base;
}

export interface ClassKey { cls: DataClassId; user: string; generation: number }

/** The class, user ('' for the phone's own) and generation a key name stands for, or null when it is not a class key. */
export function parseClassKeyName(name: string): ClassKey | null {
  const m = /^store\.([A-Za-z]+)(?:\.u\.([^#]+))?(?:#([1-9][0-9]*))?$/.exec(name);
  if (!m || !Object.prototype.hasOwnProperty.call(DATA_CLASSES, m[1])) return null;
  return { cls: m[1] as DataClassId, user: m[2] ?? '', generation: m[3] ? Number(m[3]) : 0 };
}

/** The keystore keys that seal class `cls` (every user, every generation), read back from their names. */
export function classKeysOf(keystore: { listKeys(prefix?: string): string[] }, cls: DataClassId): (ClassKey & { name: string })[] {
  const out: (ClassKey & { name: string })[] = [];
  for (const name of keystore.listKeys(`store.${cls}`)) {
    const k = parseClassKeyName(name);
    if (k && k.cls === cls) out.push({ ...k, name });
  }
  return out;
}
