/**
 * Provisioning for simulated phones without a server: the built-in folder
 * served on the virtual network, and "staging" — device settings written
 * into the phone's nvram before it boots, as a factory or an admin's staging
 * tool would (provisioning server, credentials, trusted CA).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Crypto, Flash } from '../../hal/contract';
import { WIZARD_STATE_SETTING } from '../../firmware/reset/reset-variants';
import { DeviceSettings } from '../../firmware/settings/device-settings';
import { FileStore } from '../../firmware/storage/file-store';
import type { HostNet } from '../devices/net';

export const BUILT_IN_FOLDER = path.join(__dirname, 'folder');
export const BUILT_IN_PREFIX = 'sim://prov/';
const SERVER_SETTING = 'device.prov.serverName';

export interface ProvisioningStage {
  /** Folder served as `sim://prov/`: undefined = a fresh copy of the built-in folder, null = none. */
  provisioningDir?: string | null;
  /** Device settings written into nvram before boot (e.g. `device.prov.serverName`, `device.prov.user`). */
  deviceSettings?: Record<string, string>;
  /** Leave a blank phone's out-of-box wizard to run at first boot (default: a blank phone is staged past it). */
  outOfBox?: boolean;
}


/** Serve the folder and stage settings. Returns a cleanup for the temporary copy (if one was made). */
export function stageProvisioning(stage: ProvisioningStage, flash: Flash, crypto: Crypto, net: HostNet): () => void {
  let cleanup = () => {};
  let dir = stage.provisioningDir;
  if (dir === undefined) {
    // A copy, so uploads from the phone never land in the repository.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-prov-'));
    fs.cpSync(BUILT_IN_FOLDER, dir, { recursive: true });
    const copy = dir;
    cleanup = () => fs.rmSync(copy, { recursive: true, force: true });
  }
  const wanted: Record<string, string> = { ...(stage.deviceSettings ?? {}) };
  if (dir !== null) net.serveFolder(BUILT_IN_PREFIX, dir);
  const explicit = Object.keys(wanted);

  let settings: DeviceSettings;
  try {
    settings = new DeviceSettings(FileStore.mount(flash.open('nvram'), crypto), () => {});
  } catch (e) {
    // An nvram the store cannot mount is the firmware's to report at boot; only an explicit request fails here.
    if (explicit.length > 0) {
      cleanup(); // nobody gets the cleanup when this throws
      throw new Error(`cannot stage device settings: nvram does not mount (${(e as Error).message})`);
    }
    return cleanup;
  }
  // A blank phone is staged past the out-of-box wizard, as a staging tool would, unless the wizard is what is tested.
  if (stage.outOfBox !== true && settings.names().length === 0 && wanted[WIZARD_STATE_SETTING] === undefined) wanted[WIZARD_STATE_SETTING] = 'done';
  // The built-in folder is the default server: a server already in nvram (or given) wins.
  if (dir !== null && wanted[SERVER_SETTING] === undefined && !settings.get(SERVER_SETTING)) wanted[SERVER_SETTING] = BUILT_IN_PREFIX;
  for (const [name, value] of Object.entries(wanted)) if (settings.get(name) !== value) settings.set(name, value);
  return cleanup;
}
