/**
 * Reset variants and their menu visibility (spec: "Resetting a Phone to
 * Factory Defaults", "Reset to Factory Configuration Parameters").
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const resetDeclaration: ModuleDeclaration = {
  name: 'reset',
  parameters: [
    { name: 'up.basicSettings.factoryResetEnabled', type: 'boolean', default: false, description: 'Show Reset to Factory under Basic settings (by default only admins can reset).' },
    { name: 'feature.restrictPerDataUploadMenu.enabled', type: 'boolean', default: true, description: 'Show the Restrict Personal Data Upload menu under Basic settings.' },
    { name: 'feature.clearPerInfoMenu.enabled', type: 'boolean', default: true, description: 'Show the Clear Personal Information menu under Basic settings.' },
    { name: 'device.system.recoveryType', type: 'enum', default: 'FullRecovery', values: ['FullRecovery', 'PreserveAdmin'], description: 'What an updater factory reset restores: everything, or everything but the admin password.' },
  ],
  dataClasses: [],
  screens: [],
};
