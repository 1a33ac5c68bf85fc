/**
 * The firmware updater: the application image named by the master file's
 * `APP_FILE_PATH`, signed, installed into the inactive A/B slot of the
 * `updater` partition (docs/update.md). Behaviour: ./updater-module.ts.
 *
 * The spec has no parameter for downgrades; the name follows Polycom's
 * `prov.*` provisioning family.
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const ALLOW_DOWNGRADE = 'prov.softwareUpdate.allowDowngrade';

export const updaterDeclaration: ModuleDeclaration = {
  name: 'updater',
  // Runs after provisioning cycles (APP_FILE_PATH comes from the master file it downloads).
  dependsOn: ['config', 'logs', 'provisioning'],
  parameters: [
    { name: ALLOW_DOWNGRADE, type: 'boolean', default: false, description: 'Install an application image (APP_FILE_PATH) whose version is older than the running one (0: older images are refused with a log line; the same version is never reinstalled).' },
  ],
  dataClasses: [],
  screens: [],
};
