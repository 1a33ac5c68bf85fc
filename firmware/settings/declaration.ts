/**
 * Device settings in nvram (spec: "Reset Device Settings"): network,
 * provisioning server and credentials, password hashes, out-of-box wizard
 * state, the config-encryption key; and custom certificates.
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const settingsDeclaration: ModuleDeclaration = {
  name: 'settings',
  parameters: [],
  dataClasses: [
    { storageClass: 'deviceSettings', description: 'Device settings: network, provisioning server and credentials, admin/user password hashes, config-encryption key, out-of-box wizard state, personal-data upload restriction', personal: false, partition: 'nvram', perUser: false, removedBy: ['resetDeviceSettings', 'resetToFactory', 'resetToFactoryPartial'] },
    { storageClass: 'certificates', description: 'Custom certificates and their keys', personal: false, partition: 'nvram', perUser: false, removedBy: ['resetDeviceSettings', 'resetToFactory', 'resetToFactoryPartial'] },
  ],
  screens: [],
};
