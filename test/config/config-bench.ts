/**
 * A configuration service over a real flash store on virtual flash, as the
 * phone builds it, for the config suites: `reboot()` mounts the same flash
 * again and loads a fresh service (what a power cycle does to it).
 */
import { boardProfile, type BoardProfile } from '../../hal/boards';
import { ConfigService, type OverrideLayer } from '../../firmware/config/config-service';
import { ParameterRegistry, type ParameterModule } from '../../firmware/config/parameter-registry';
import { FileStore } from '../../firmware/storage/file-store';
import { declaredParameters } from '../../build/generate-parameter-docs';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';

let declared: ReturnType<typeof declaredParameters> | null = null;
/** Every module's declarations, as registered by the real boot sequence (booted once per process). */
export function allDeclarations(): ReturnType<typeof declaredParameters> {
  declared ??= declaredParameters();
  return declared;
}

/** The same declarations grouped by module, in registration order, as the registry takes them. */
export function declaredModules(): ParameterModule[] {
  const modules: ParameterModule[] = [];
  for (const { module, ...p } of allDeclarations()) {
    const last = modules[modules.length - 1];
    if (last?.name === module) (last.parameters as typeof p[]).push(p);
    else modules.push({ name: module, parameters: [p] });
  }
  return modules;
}

export class ConfigBench {
  readonly profile: BoardProfile;
  readonly flash: VirtualFlash;
  readonly keystore = new Keystore();
  readonly lines: string[] = [];
  readonly reboots: string[] = [];
  store!: FileStore;
  config!: ConfigService;

  constructor(board = 'desk-500') {
    this.profile = boardProfile(board);
    this.flash = new VirtualFlash(this.profile.flash);
    this.reboot();
  }

  get mac(): string {
    return this.profile.mac;
  }

  reboot(): ConfigService {
    this.store = FileStore.mount(this.flash.open('fs'), new NodeCryptoEngine(this.keystore));
    const at = (level: string) => (text: string) => { this.lines.push(`${level}|${text}`); };
    this.config = new ConfigService({
      registry: new ParameterRegistry(declaredModules(), this.profile),
      store: this.store,
      phone: { mac: this.profile.mac, model: this.profile.model },
      log: { info: at('info'), notice: at('notice'), warning: at('warning'), error: at('error') },
      reboot: (reason) => { this.reboots.push(reason); },
    });
    this.config.load();
    return this.config;
  }

  /** Apply a master listing `files` and then each file's text (a provisioning cycle's downloads). */
  provision(files: [name: string, text: string][], masterExtra = ''): void {
    const m = this.config.applyMaster(master(files.map(([n]) => n).join(', '), masterExtra));
    if (!m.ok) throw new Error(`master rejected: ${m.error}`);
    for (const [name, text] of files) this.config.applyConfigFile(name, text);
  }

  logged(pattern: RegExp): string[] {
    return this.lines.filter((l) => pattern.test(l));
  }

  layerValue(layer: OverrideLayer, name: string): string | undefined {
    return this.config.explain(name).candidates.find((c) => c.layer === layer)?.value;
  }
}

export function master(configFiles: string, extra = ''): string {
  return `<?xml version="1.0" standalone="yes"?>\n<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="${configFiles}" OVERRIDES_DIRECTORY="overrides" CALL_LISTS_DIRECTORY="calls" LOG_FILE_DIRECTORY="logs">${extra}</APPLICATION>\n`;
}

/** A `.cfg` with the given parameters as attributes of `<polycomConfig><ALL .../></polycomConfig>`. */
export function cfg(values: Record<string, string>): string {
  const attrs = Object.entries(values).map(([k, v]) => ` ${k}="${v}"`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<polycomConfig>\n  <ALL${attrs}/>\n</polycomConfig>\n`;
}
