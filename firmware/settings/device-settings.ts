/**
 * Device settings (spec: "Reset Device Settings"): the small key/value set the
 * phone keeps in the `nvram` partition — network, provisioning server,
 * password hashes, wizard state. One JSON file in the nvram store, rewritten
 * as a whole on each change (it is small), so a power cut leaves either the
 * old or the new set. Its class `deviceSettings` is sealed: it holds secrets
 * (provisioning password, config-encryption key; docs/security.md).
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';

const FILE = 'device-settings.json';

export class DeviceSettings {
  private values: Record<string, string> = {};

  constructor(private readonly store: FileStore, private readonly log: (msg: string) => void) {
    const bytes = store.read(FILE);
    if (!bytes) return;
    try {
      const parsed = JSON.parse(utf8Decode(bytes));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') this.values[k] = v;
    } catch (e) {
      log(`device settings unreadable (${(e as Error).message}): starting from defaults`);
    }
  }

  get(name: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.values, name) ? this.values[name] : undefined;
  }

  set(name: string, value: string): void {
    this.save({ ...this.values, [name]: value });
  }

  remove(name: string): void {
    if (this.get(name) === undefined) return;
    const next = { ...this.values };
    delete next[name];
    this.save(next);
  }

  names(): string[] {
    return Object.keys(this.values).sort();
  }

  /** Write first, then adopt: a failed write (flash full) leaves RAM and flash agreeing. */
  private save(next: Record<string, string>): void {
    this.store.write(FILE, utf8Encode(JSON.stringify(next)), { cls: 'deviceSettings' });
    this.values = next;
  }
}
