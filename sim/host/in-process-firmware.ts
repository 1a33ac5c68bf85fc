/**
 * Boots the firmware's TypeScript sources directly in this Node process over
 * virtual devices, for host tools that need the firmware's own objects (the
 * parameter registry for docs/parameters.md, `phone config explain`): the
 * real boot sequence and module registrations, no second list to keep in step.
 * Simulated phones for QA and tests run the bundle instead (sim/phone.ts).
 */
import type { BoardProfile } from '../../hal/boards';
import { boardProfile } from '../../hal/boards';
import type { BootedPhone } from '../../firmware/main';
import { writeFileAtomic } from '../devices/atomic-file';
import { Keystore, type KeyStorage } from '../devices/crypto';
import { VirtualFlash } from '../devices/flash';
import { VirtualPower } from '../devices/power';
import { loadFlashImage, DEFAULT_START_TIME } from '../phone';
import { EventGate } from './event-gate';
import { createHostHal } from './host-hal';
import { packResources, ResourcePack } from './resource-pack';
import { imageResources } from '../../build/unifont-blob';
import { createVirtualDevices, type VirtualDevices } from './virtual-devices';

export interface InProcessOptions {
  board: string;
  /** Flash image to boot from (its `.keys.json` side file is the keystore). Absent: blank flash. */
  flashImage?: string;
  /** A running phone's flash and keys, copied in memory (the browser UI's inspector): nothing written to disk. */
  copyOf?: { flash: Uint8Array; keys: KeyStorage };
  mac?: string;
}

export interface InProcessPhone {
  profile: BoardProfile;
  booted: BootedPhone;
  devices: VirtualDevices;
  /** Serial console lines so far. */
  log(): string[];
  /** Write flash and keystore to an image file. */
  save(file: string): void;
}

/** The image's resources (font glyphs) packed from the sources, once per process: what `phone build` writes beside the bundle. */
let resources: ResourcePack | null = null;

export function bootInProcess(options: InProcessOptions): InProcessPhone {
  const g = globalThis as { __FIRMWARE_VERSION__?: string };
  g.__FIRMWARE_VERSION__ ??= 'host';
  // Loaded only after the version global exists: firmware/main reads it at import.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { boot } = require('../../firmware/main') as typeof import('../../firmware/main');
  const profile = boardProfile(options.board);
  const flash = options.copyOf ? VirtualFlash.fromImage(profile.flash, options.copyOf.flash)
    : options.flashImage ? loadFlashImage(options.flashImage, profile) : new VirtualFlash(profile.flash);
  const keystore = options.copyOf ? copyKeys(options.copyOf.keys) : options.flashImage ? Keystore.load(options.flashImage + '.keys.json') : new Keystore();
  const power = new VirtualPower();
  power.booting('power-on');
  const devices = createVirtualDevices(profile, { flash, keystore, power, startTime: DEFAULT_START_TIME, usbDir: null, mac: options.mac ?? profile.mac });
  const gate = new EventGate((_label, fn) => fn(), () => {});
  let booted: BootedPhone | undefined;
  resources ??= new ResourcePack(packResources(imageResources()));
  // No web server: a CLI command's phone serves nothing and must let the process exit.
  gate.deliver('boot', () => { booted = boot(createHostHal(profile, { ...devices, httpServer: undefined }, gate, resources)); });
  if (!booted) throw new Error('in-process boot did not complete');
  return {
    profile,
    booted,
    devices,
    log: () => devices.serial.all(),
    save: (file) => {
      keystore.save(file + '.keys.json'); // keys first, as Phone.saveFlash
      writeFileAtomic(file, devices.flash.image());
    },
  };
}

function copyKeys(from: KeyStorage): Keystore {
  const ks = new Keystore();
  for (const name of from.names()) ks.set(name, Buffer.from(from.get(name)!));
  return ks;
}
