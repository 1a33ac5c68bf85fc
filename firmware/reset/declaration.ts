/**
 * Reset variants and their menu visibility (spec: "Resetting a Phone to
 * Factory Defaults", "Reset to Factory Configuration Parameters"). Which data
 * each variant removes is declared by the modules that own the data
 * (`removedBy`); see reset-plan.ts and docs/reset.md.
 */
import type { ModuleDeclaration, ScreenDeclaration } from '../kernel/declaration';
import { RESET_TO_DEFAULTS_MENU, resetVariant } from './reset-variants';

const RESET_TO_DEFAULTS = ['Settings', 'Advanced', 'Administration Settings', 'Reset to Defaults'];

const resetToDefaults: ScreenDeclaration[] = RESET_TO_DEFAULTS_MENU.map((id) => ({ menu: RESET_TO_DEFAULTS, label: resetVariant(id)!.label, screen: `reset.${id}`, access: 'admin' }));

export const resetDeclaration: ModuleDeclaration = {
  name: 'reset',
  // The wizard shows over the idle screen; the recovery type mirrors configuration.
  dependsOn: ['settings', 'config', 'ui'],
  parameters: [
    { name: 'up.basicSettings.factoryResetEnabled', type: 'boolean', default: false, description: 'Show Reset to Factory under Basic settings (by default only admins can reset).' },
    { name: 'feature.restrictPerDataUploadMenu.enabled', type: 'boolean', default: true, description: 'Show the Restrict Personal Data Upload menu under Basic settings.' },
    { name: 'feature.clearPerInfoMenu.enabled', type: 'boolean', default: true, description: 'Show the Clear Personal Information menu under Basic settings.' },
    { name: 'device.system.recoveryType', type: 'enum', default: 'FullRecovery', values: ['FullRecovery', 'PreserveAdmin'], description: 'What an updater factory reset restores: everything, or everything but the admin password.' },
    { name: 'device.system.recoveryType.set', type: 'boolean', default: false, description: 'Apply device.system.recoveryType from configuration files.' },
  ],
  dataClasses: [
    { storageClass: 'resetJournal', description: 'The intent of a reset in progress (variant, who asked, settings it keeps); cleared when the reset completes', personal: false, partition: 'nvram', perUser: false, removedBy: [] },
  ],
  screens: [
    ...resetToDefaults,
    { menu: ['Settings', 'Basic'], label: 'Reset to Factory', screen: 'reset.resetToFactory', access: 'user', shownWhen: 'up.basicSettings.factoryResetEnabled' },
    { menu: ['Settings', 'Basic'], label: 'Clear Personal Information', screen: 'reset.clearPersonalInfo', access: 'anyone', shownWhen: 'feature.clearPerInfoMenu.enabled' },
    { menu: ['Settings', 'Basic'], label: 'My Data', screen: 'reset.myData', access: 'user' },
    { menu: ['Settings', 'Basic'], label: 'Restrict Personal Data Upload', screen: 'reset.restrictUpload', access: 'anyone', shownWhen: 'feature.restrictPerDataUploadMenu.enabled' },
  ],
};
