/**
 * The configuration module's own parameters: the switches that govern how
 * `device.*` parameters in configuration files are applied, and the Base
 * Profile that selects profile-dependent defaults.
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const configDeclaration: ModuleDeclaration = {
  name: 'config',
  parameters: [
    // The spec's own analytics example sets device.da.enabled(.set) without device.set, so device.set
    // defaults to 1: a device.* value applies with its .set=1; device.set=0 freezes all of them.
    { name: 'device.set', type: 'boolean', default: true, description: 'Apply device.* parameters from configuration files that have their .set=1 (0: apply none; default 1, see docs).' },
    { name: 'device.baseProfile', type: 'enum', default: 'Generic', values: ['Generic', 'Lync', 'SkypeForBusiness'], reboot: true, description: 'Base Profile: selects the Generic or Skype for Business (Lync) defaults (applied only with device.baseProfile.set=1).' },
    { name: 'device.baseProfile.set', type: 'boolean', default: false, description: 'Apply device.baseProfile from configuration files.' },
  ],
  dataClasses: [
    { storageClass: 'config', description: 'Cached configuration files: the master file and the CONFIG_FILES entries as last downloaded, the cache manifest, reboot marker', personal: false, partition: 'fs', perUser: false, removedBy: ['formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'] },
    { storageClass: 'localOverrides', description: 'Local override file <MAC>-phone.cfg: changes made on the phone', personal: false, partition: 'fs', perUser: false, removedBy: ['resetLocalConfig', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'] },
    { storageClass: 'webOverrides', description: 'Web override file <MAC>-web.cfg: changes made in the web interface', personal: false, partition: 'fs', perUser: false, removedBy: ['resetWebConfig', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'] },
    { storageClass: 'cloudOverrides', description: 'Cloud configuration layer', personal: false, partition: 'fs', perUser: false, removedBy: ['resetCloudConfig', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'] },
  ],
  screens: [],
};
