/**
 * User profiles and passwords (spec: "User Profiles", "Administrator and User
 * Password Parameters").
 */
import type { ModuleDeclaration } from '../kernel/declaration';
import { emergencyParameters } from './emergency-numbers';

export const loginDeclaration: ModuleDeclaration = {
  name: 'login',
  // Login gates dialing (calls) and fetches user files (provisioning).
  dependsOn: ['config', 'provisioning', 'calls', 'ui'],
  parameters: [
    { name: 'sec.pwd.length.admin', type: 'integer', default: 1, min: 0, max: 32, reboot: true, description: 'Minimum length of admin passwords changed on the phone (0 allows null passwords).' },
    { name: 'sec.pwd.length.user', type: 'integer', default: 2, min: 0, max: 32, reboot: true, description: 'Minimum length of user passwords changed on the phone (0 allows null passwords).' },
    { name: 'up.echoPasswordDigits', type: 'boolean', default: true, description: 'Briefly show password characters before masking them (0: asterisks only).' },
    { name: 'device.auth.localAdminPassword', type: 'string', default: '', maxLength: 32, secret: true, description: 'Local administrator password (0-32 characters; applied only with device.auth.localAdminPassword.set=1).' },
    { name: 'device.auth.localAdminPassword.set', type: 'boolean', default: false, description: 'Allow configuration files to overwrite the local admin password.' },
    { name: 'device.auth.localUserPassword', type: 'string', default: '', maxLength: 32, secret: true, description: 'Local user password (up to 32 characters, at least sec.pwd.length.user, not the default 123; applied once per new value, only with device.auth.localUserPassword.set=1).' },
    { name: 'device.auth.localUserPassword.set', type: 'boolean', default: false, description: 'Allow configuration files to overwrite the local user password.' },
    { name: 'prov.login.automaticLogout', type: 'integer', default: 0, min: 0, max: 46000, description: 'Minutes before a non-default user is logged out (0: never).' },
    // The spec's value text reads inverted ("0 - can't have users other than the default user"); this phone follows
    // the parameter's name, so the default configuration allows logins (see docs/security.md).
    { name: 'prov.login.defaultOnly', type: 'boolean', default: false, description: '1: only prov.login.defaultUser may log in; 0: any user with a profile may log in.' },
    { name: 'prov.login.defaultPassword', type: 'string', default: '', secret: true, description: 'Password of the default user (null by default).' },
    { name: 'prov.login.defaultUser', type: 'string', default: '', description: 'Default user, logged in automatically at boot and after another user logs out (null by default).' },
    { name: 'prov.login.enabled', type: 'boolean', default: false, description: 'Enable the user profile feature.' },
    { name: 'prov.login.localPassword.hash', type: 'boolean', default: false, description: 'Create and validate the user local password as a hash (0: clear text).' },
    { name: 'prov.login.localPassword', type: 'string', default: '123', secret: true, description: 'Password that validates the user login (plain text or SHA1 hash).' },
    { name: 'prov.login.persistent', type: 'boolean', default: false, description: 'Users stay logged in across reboots (0: logged out on reboot).' },
    { name: 'prov.login.required', type: 'boolean', default: false, description: 'Users must log in to use the phone.' },
    { name: 'prov.login.useProvAuth', type: 'boolean', default: false, description: 'Authenticate users against the provisioning server; their credentials become the provisioning credentials.' },
    { name: 'hotelingMode.type', type: 'integer', default: 1, min: 1, max: 3, description: 'Hoteling mode type; 2 or 3 override voIpProt.SIP.specialEvent.checkSync.downloadDirectory (spec gives no default: 1 chosen).' },
    { name: 'dialplan.routing.emergency.outboundIdentity', type: 'string', default: '', maxLength: 256, description: 'Identity sent on emergency calls, also placed when no user is logged in (null by default).' },
    ...emergencyParameters(),
  ],
  dataClasses: [
    { storageClass: 'userProfile', description: 'User profile files (<user>.cfg cache, <user>-phone.cfg overrides, login state)', personal: true, partition: 'fs', perUser: true, removedBy: ['userLogout', 'clearPersonalInfo', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'] },
  ],
  screens: [
    { menu: ['Settings', 'Basic'], label: 'Change User Password', screen: 'changeUserPassword', access: 'anyone' },
    { menu: ['Settings', 'Advanced', 'Administration Settings'], label: 'Change Admin Password', screen: 'changeAdminPassword', access: 'admin' },
  ],
  deviceSettings: [
    { name: 'auth.admin', secret: true, description: 'Admin password as a salted PBKDF2-SHA256 hash (absent: the default).' },
    { name: 'auth.user', secret: true, description: 'User password as a salted PBKDF2-SHA256 hash (absent: the default).' },
  ],
};
