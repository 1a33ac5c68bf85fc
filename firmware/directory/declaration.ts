/**
 * Local and corporate contact directory (spec: "Local Contact Directory",
 * "Corporate Directory Parameters").
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const directoryDeclaration: ModuleDeclaration = {
  name: 'directory',
  parameters: [
    { name: 'dir.local.contacts.maxNum', type: 'integer', default: 500, min: 1, max: 500, boardLimit: 'contactLimit', reboot: true, description: 'Maximum number of local contacts; default and maximum by model (99 on 99-contact models, 500 otherwise).' },
    { name: 'dir.local.passwordProtected', type: 'boolean', default: false, description: 'Password-protect the local contact directory.' },
    { name: 'dir.local.readonly', type: 'boolean', default: false, description: 'Make the local contact directory read-only (spec also spells it dir.local.readOnly).' },
    { name: 'feature.directory.enabled', type: 'boolean', default: true, description: 'Enable the local contact directory (0: disabled).' },
    { name: 'dir.search.field', type: 'enum', default: '0', values: ['0', '1'], description: 'Sort contact directory searches by last name (0) or first name (1).' },
    { name: 'dir.local.UIenabled', type: 'boolean', default: true, description: 'Show the Contact Directory and Favorites/Speed Dial menus (0: not available).' },
    { name: 'up.regOnPhone', type: 'boolean', default: false, reboot: true, description: 'Push contacts assigned to line keys to the expansion module (0: shown on the phone).' },
    { name: 'dir.corp.address', type: 'string', default: '', maxLength: 255, reboot: true, description: 'IP address, hostname or FQDN of the corporate directory LDAP server (null by default).' },
    { name: 'dir.corp.password', type: 'string', default: '', description: 'Password used to authenticate to the LDAP server (UTF-8, null by default).' },
  ],
  dataClasses: [
    { storageClass: 'directory', description: 'Local contact directory (<MAC>-directory.xml / <user>-directory.xml): names, numbers, speed dials', personal: true, perUser: true, removedBy: ['resetUserData', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'], uploaded: { governedBy: 'feature.uploadDir.enabled' } },
  ],
  screens: [],
};
