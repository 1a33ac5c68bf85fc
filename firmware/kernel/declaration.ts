/**
 * What a firmware module declares, in one place: its configuration
 * parameters, its personal-data classes and its screens. The parameter
 * registry, the reset matrix, the erasure checks and the data-subject export
 * are generated from these declarations, never kept by hand.
 */

export type ParameterType = 'boolean' | 'integer' | 'string' | 'enum';

/** A default that depends on the Base Profile (spec: Generic vs Skype for Business). */
export interface ProfileDefault {
  generic: string | number | boolean;
  skype: string | number | boolean;
}

export interface ParameterDeclaration {
  /** Exact spec name, e.g. `callLists.collapseDuplicates`. */
  name: string;
  type: ParameterType;
  default: string | number | boolean | ProfileDefault;
  /** integer: inclusive range. */
  min?: number;
  max?: number;
  /** string: maximum length in characters. */
  maxLength?: number;
  /** enum: allowed values. */
  values?: string[];
  /** string: a comma-separated list whose items must each be one of these (e.g. `da.supported.services`). */
  items?: string[];
  /** integer: default and maximum are this board fact instead (e.g. `dir.local.contacts.maxNum` = contactLimit). */
  boardLimit?: 'contactLimit';
  /** A change takes effect only after a restart or reboot of the phone. */
  reboot?: boolean;
  /** A password, key or credential: never logged or shown, kept only sealed (docs/security.md). */
  secret?: boolean;
  /** One line from the spec: what it does. */
  description: string;
}

/** Reset variants of the spec that a data class can be removed by. */
export type ResetVariant =
  | 'resetLocalConfig' | 'resetWebConfig' | 'resetCloudConfig' | 'resetDeviceSettings'
  | 'formatFileSystem' | 'resetToFactory' | 'resetToFactoryPartial' | 'resetUserData'
  | 'outOfBoxWizard' | 'clearPersonalInfo' | 'userLogout';

/** Flash partition a data class lives in (board profile partitions; `updater` is never reset). */
export type DataPartition = 'nvram' | 'fs';

export interface DataClassDeclaration {
  /** Storage data class id (firmware/storage data classes). */
  storageClass: string;
  /** What it is, for the data-subject export and docs. */
  description: string;
  /** Contains personal data (encrypted at rest, erased by class). */
  personal: boolean;
  /** Partition its records live in: a reset that removes every class of a partition formats it. */
  partition: DataPartition;
  /** Kept per logged-in user. */
  perUser: boolean;
  /** Reset variants that remove it. */
  removedBy: ResetVariant[];
  /** Whether, and under which parameter, it is uploaded to the provisioning server. */
  uploaded?: { governedBy: string };
  /** Crypto-device keys (name prefixes) that belong to this class beyond its store keys: destroyed with it. */
  deviceKeys?: string[];
}

export interface ScreenDeclaration {
  /** Menu path where the entry appears, e.g. ['Settings', 'Basic']. */
  menu: string[];
  /** Label of the entry. */
  label: string;
  /** Screen id it opens; absent for a submenu (its entries are declared with this path + label). */
  screen?: string;
  /** Who may open it. */
  access: 'anyone' | 'user' | 'admin';
  /** Shown only while this boolean parameter is 1 (e.g. `feature.clearPerInfoMenu.enabled`). */
  shownWhen?: string;
}

/** A device setting (nvram, kept across configuration resets; firmware/settings/device-settings.ts). */
export interface DeviceSettingDeclaration {
  name: string;
  /** A password, key or credential (docs/security.md). */
  secret?: boolean;
  description: string;
}

export interface ModuleDeclaration {
  /** Module name = folder under firmware/. */
  name: string;
  /** Modules that must start before this one (main.ts starts them in this declared order). */
  dependsOn?: string[];
  parameters: ParameterDeclaration[];
  dataClasses: DataClassDeclaration[];
  screens: ScreenDeclaration[];
  /** Device settings the module keeps in nvram. */
  deviceSettings?: DeviceSettingDeclaration[];
}
