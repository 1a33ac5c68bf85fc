/**
 * The reset variants of the spec ("Resetting a Phone to Factory Defaults")
 * plus Clear Personal Information: how each is named on the phone and what
 * it does besides erasing data classes (which classes it erases is not here:
 * that comes from the modules' declarations, see reset-plan.ts).
 */
import type { ResetVariant } from '../kernel/declaration';

/** Variants the reset module runs (a logout is the login module's own). */
export type ResetVariantId = Exclude<ResetVariant, 'userLogout'>;

export interface ResetVariantInfo {
  id: ResetVariantId;
  /** Menu label (spec wording). */
  label: string;
  /** Device settings kept across the reset although their class is erased. */
  keepsSettings: readonly string[];
  /** Also deletes the uploaded call lists and directory on the provisioning server. */
  clearsServer: boolean;
  /** Resets the out-of-box wizard: it runs again at the next boot. */
  resetsWizard: boolean;
  /** Applies to one user (the logged-in one, or the phone's own data). */
  perUser: boolean;
}

/** Device setting of the admin password hash (firmware/auth/password-vault.ts). */
export const ADMIN_PASSWORD_SETTING = 'auth.admin';
/** Device setting holding the out-of-box wizard's state: 'done' once finished, 'pending' after a reset that asks for it again. */
export const WIZARD_STATE_SETTING = 'oob.state';
export const WIZARD_PENDING = 'pending';
/** Device setting mirroring `device.system.recoveryType`, so the updater can read it without the fs partition. */
export const RECOVERY_TYPE_SETTING = 'reset.recoveryType';
/** Device setting of Restrict Personal Data Upload ('1': on). */
export const RESTRICT_UPLOAD_SETTING = 'reset.restrictPersonalDataUpload';

const v = (id: ResetVariantId, label: string, o: Partial<ResetVariantInfo> = {}): ResetVariantInfo =>
  ({ id, label, keepsSettings: [], clearsServer: false, resetsWizard: false, perUser: false, ...o });

/** In the order of the Reset to Defaults menu, then Clear Personal Information. */
export const RESET_VARIANTS: readonly ResetVariantInfo[] = [
  v('resetLocalConfig', 'Reset Local Configuration'),
  v('resetWebConfig', 'Reset Web Configuration'),
  v('resetCloudConfig', 'Reset Cloud Configuration'),
  v('resetDeviceSettings', 'Reset Device Settings', { resetsWizard: true }),
  v('formatFileSystem', 'Format File System'),
  v('resetToFactory', 'Reset to Factory', { resetsWizard: true }),
  v('resetToFactoryPartial', 'Reset to Factory Partial', { keepsSettings: [ADMIN_PASSWORD_SETTING], resetsWizard: true }),
  v('resetUserData', 'Reset User Data', { clearsServer: true }),
  v('outOfBoxWizard', 'Out-of-Box Wizard', { resetsWizard: true }),
  v('clearPersonalInfo', 'Clear Personal Information', { clearsServer: true, perUser: true }),
];

/** The entries of Settings > Advanced > Administration Settings > Reset to Defaults. */
export const RESET_TO_DEFAULTS_MENU: readonly ResetVariantId[] = RESET_VARIANTS.filter((x) => x.id !== 'clearPersonalInfo').map((x) => x.id);

export function resetVariant(id: string): ResetVariantInfo | undefined {
  return RESET_VARIANTS.find((x) => x.id === id);
}
