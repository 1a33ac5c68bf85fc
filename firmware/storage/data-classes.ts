/**
 * Data classes of the store. Every record belongs to one; sealed classes are
 * encrypted under a key per class (and per user where a user is given) held
 * in the HAL crypto device, and every class is erased by class. Personal
 * classes are sealed; so are the classes that hold secrets (device settings:
 * provisioning credentials, the config-encryption key, password hashes; the
 * configuration cache: passwords and keys given by configuration files).
 */
export type DataClassId =
  | 'deviceSettings' | 'config' | 'callLists' | 'cdr' | 'directory' | 'userProfile' | 'logs' | 'analytics' | 'certificates';

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
};

const BY_CODE = new Map<number, DataClassId>(Object.entries(DATA_CLASSES).map(([id, info]) => [info.code, id as DataClassId]));

export function classByCode(code: number): DataClassId | undefined {
  return BY_CODE.get(code);
}

/** Name of the keystore key that seals a class's records. */
export function classKeyName(cls: DataClassId, user?: string): string {
  return user ? `store.${cls}.u.${user}` : `store.${cls}`;
}
