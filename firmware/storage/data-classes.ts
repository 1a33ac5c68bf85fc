/**
 * Data classes of the store. Every record belongs to one; personal classes
 * are encrypted under a key per class (and per user where a user is given)
 * held in the HAL crypto device, and erased by class.
 */
export type DataClassId =
  | 'deviceSettings' | 'config' | 'callLists' | 'cdr' | 'directory' | 'userProfile' | 'logs' | 'analytics' | 'certificates'
  | 'localOverrides' | 'webOverrides' | 'cloudOverrides' | 'resetJournal';

interface DataClassInfo { code: number; personal: boolean }

export const DATA_CLASSES: Record<DataClassId, DataClassInfo> = {
  deviceSettings: { code: 1, personal: false },
  config: { code: 2, personal: false },
  callLists: { code: 3, personal: true },
  cdr: { code: 4, personal: true },
  directory: { code: 5, personal: true },
  userProfile: { code: 6, personal: true },
  logs: { code: 7, personal: true },
  analytics: { code: 8, personal: true },
  certificates: { code: 9, personal: false },
  localOverrides: { code: 10, personal: false },
  webOverrides: { code: 11, personal: false },
  cloudOverrides: { code: 12, personal: false },
  resetJournal: { code: 13, personal: false },
};

const BY_CODE = new Map<number, DataClassId>(Object.entries(DATA_CLASSES).map(([id, info]) => [info.code, id as DataClassId]));

export function classByCode(code: number): DataClassId | undefined {
  return BY_CODE.get(code);
}

/** Name of the keystore key that seals a class's records. */
export function classKeyName(cls: DataClassId, user?: string): string {
  return user ? `store.${cls}.u.${user}` : `store.${cls}`;
}
