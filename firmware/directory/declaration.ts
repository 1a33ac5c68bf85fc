/**
 * Local and corporate contact directory (spec: "Local Contact Directory",
 * "Corporate Directory Parameters").
 */
import type { ModuleDeclaration, ParameterDeclaration } from '../kernel/declaration';

export const directoryDeclaration: ModuleDeclaration = {
  name: 'directory',
  // Decides incoming calls (calls) and follows user:changed from login.
  dependsOn: ['config', 'provisioning', 'calls', 'login', 'ui'],
  parameters: [
    { name: 'dir.local.contacts.maxNum', type: 'integer', default: 500, min: 1, max: 500, boardLimit: 'contactLimit', reboot: true, description: 'Maximum number of local contacts; default and maximum by model (99 on 99-contact models, 500 otherwise).' },
    { name: 'dir.local.passwordProtected', type: 'boolean', default: false, description: 'Password-protect the local contact directory.' },
    { name: 'dir.local.readonly', type: 'boolean', default: false, description: 'Make the local contact directory read-only (spec also spells it dir.local.readOnly).' },
    { name: 'feature.directory.enabled', type: 'boolean', default: true, description: 'Enable the local contact directory (0: disabled).' },
    { name: 'dir.search.field', type: 'enum', default: '0', values: ['0', '1'], description: 'Sort contact directory searches by last name (0) or first name (1).' },
    { name: 'dir.local.UIenabled', type: 'boolean', default: true, description: 'Show the Contact Directory and Favorites/Speed Dial menus (0: not available).' },
    { name: 'up.regOnPhone', type: 'boolean', default: false, reboot: true, description: 'Push contacts assigned to line keys to the expansion module (0: shown on the phone).' },
    { name: 'dir.corp.address', type: 'string', default: '', maxLength: 255, reboot: true, description: 'IP address, hostname or FQDN of the corporate directory LDAP server (null by default).' },
    { name: 'dir.corp.password', type: 'string', default: '', maxLength: 255, secret: true, description: 'Password used to authenticate to the LDAP server (UTF-8, null by default).' },
    { name: 'dir.corp.port', type: 'integer', default: 0, min: 0, max: 65535, reboot: true, description: 'LDAP server port; 0: 389, or 636 with dir.corp.transport=TLS.' },
    { name: 'dir.corp.transport', type: 'enum', default: 'TCP', values: ['TCP', 'TLS'], reboot: true, description: 'LDAP over TCP (ldap://) or TLS (ldaps://); an ldap:// or ldaps:// URL in dir.corp.address wins.' },
    { name: 'dir.corp.baseDN', type: 'string', default: '', maxLength: 255, description: 'Base DN of the corporate directory search, e.g. ou=people,dc=example,dc=com.' },
    { name: 'dir.corp.user', type: 'string', default: '', maxLength: 255, description: 'Bind DN or user name for the LDAP server (empty: anonymous bind).' },
    { name: 'dir.corp.filterPrefix', type: 'string', default: '(objectclass=person)', maxLength: 255, description: 'LDAP filter ANDed with the name search.' },
    { name: 'dir.corp.scope', type: 'enum', default: 'sub', values: ['one', 'sub', 'base'], description: 'LDAP search scope below the base DN.' },
    { name: 'dir.corp.pageSize', type: 'integer', default: 32, min: 8, max: 64, description: 'Most entries one corporate directory search returns.' },
    ...corporateAttribute(1, 'sn', 'last_name'),
    ...corporateAttribute(2, 'givenName', 'first_name'),
    ...corporateAttribute(3, 'telephoneNumber', 'phone_number'),
    ...corporateAttribute(4, '', 'other'),
  ],
  dataClasses: [
    { storageClass: 'directory', description: 'Local contact directory (<MAC>-directory.xml / <user>-directory.xml): names, numbers, speed dials; a user\'s directory is erased from the phone at their logout', personal: true, partition: 'fs', perUser: true, removedBy: ['userLogout', 'resetUserData', 'clearPersonalInfo', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'], uploaded: { governedBy: 'feature.uploadDir.enabled' } },
  ],
  screens: [
    { menu: ['Contacts'], label: 'Local Directory', screen: 'localDirectory', access: 'anyone' },
    { menu: ['Contacts'], label: 'Favorites / Speed Dial', screen: 'speedDial', access: 'anyone' },
    { menu: ['Contacts'], label: 'Corporate Directory', screen: 'corporateDirectory', access: 'anyone' },
  ],
};

/** `dir.corp.attribute.N.name` / `.type`: which LDAP attribute holds what. */
function corporateAttribute(n: number, name: string, type: string): ParameterDeclaration[] {
  return [
    { name: `dir.corp.attribute.${n}.name`, type: 'string', default: name, maxLength: 64, description: `LDAP attribute ${n} read from the corporate directory (empty: unused).` },
    { name: `dir.corp.attribute.${n}.type`, type: 'enum', default: type, values: ['first_name', 'last_name', 'phone_number', 'other'], description: `What LDAP attribute ${n} holds.` },
  ];
}
