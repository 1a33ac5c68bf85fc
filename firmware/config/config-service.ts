/**
 * The configuration service: the phone's parameter values and where each one
 * came from. Synchronous and pure: it is handed file TEXTS (by the
 * provisioning client, which does the HTTP and the decryption) and never does
 * I/O beyond its flash cache.
 *
 * API for the provisioning client (firmware/provisioning):
 *   applyMaster(text, name?)        master file `<MAC>.cfg` / `000000000000.cfg` → MasterConfig
 *                                   (CONFIG_FILES order, directories); malformed: last good kept.
 *   applyConfigFile(name, text)     one CONFIG_FILES entry, by its name as listed in the master.
 *   applyOverrideFile(layer, text)  a downloaded override file (`<MAC>-phone.cfg` → 'local',
 *                                   `<MAC>-web.cfg` → 'web', cloud configuration → 'cloud',
 *                                   `<user>-phone.cfg` → 'user'); replaces that layer.
 *   applyUserConfig(text)           `<user>.cfg` of the logged-in user (read before CONFIG_FILES).
 *   setUser(user | null)            log a user in/out: loads/clears `<user>.cfg` and `<user>-phone.cfg`.
 *   setOverride(layer, name, value) a change made on the phone ('local'/'user') or web ('web').
 *   removeOverride(layer, name), clearLayer(layer)    (Reset Local/Web/Cloud Configuration)
 *   overrideText(layer)             `<PHONE_CONFIG><OVERRIDES .../></PHONE_CONFIG>` text to upload.
 *   onOverridesChanged(listener)    a change made on the phone/web altered an override file (upload it).
 *   get(name), getBoolean(name), getInteger(name), explain(name), onChange(listener)
 *   finishCycle()                   end of a provisioning cycle: reboots once (hal.power.reboot)
 *                                   when a reboot-flagged parameter changed since this boot,
 *                                   or requestReboot(reason) was called (a device setting changed).
 * Every apply* returns what happened (ok / error text / rejected values); it never throws on
 * bad input: bad values are rejected one by one with a log line naming file, parameter and value.
 *
 * Precedence, first wins: user override `<user>-phone.cfg` > local override `<MAC>-phone.cfg`
 * > web override `<MAC>-web.cfg` > cloud configuration > `<user>.cfg` then CONFIG_FILES left
 * to right (the FIRST file that sets a parameter wins) > defaults (Base Profile dependent).
 * A user's files (`<user>.cfg`, `<user>-phone.cfg`) may not set reboot-flagged parameters (spec).
 * `device.*` values from files and the cloud apply only with their `.set="1"` companion and
 * `device.set` not 0 (overrides are the phone's own changes and apply directly).
 */
import { formatOverrides, parseCfg } from './cfg-xml';
import { ConfigCache, type CachedAttribute, type ConfigCacheStore } from './config-cache';
import { parseMaster, type MasterConfig, type PhoneIdentity } from './master-file';
import { baseProfileOf, ParameterRegistry, type BaseProfile, type RegisteredParameter } from './parameter-registry';
import { validateValue } from './value-validation';
import { party } from '../kernel/party';
import type { DataClassId } from '../storage/data-classes';

export type OverrideLayer = 'user' | 'local' | 'web' | 'cloud';
export type LayerId = OverrideLayer | 'files' | 'default';
export const LAYER_ORDER: readonly LayerId[] = ['user', 'local', 'web', 'cloud', 'files', 'default'];

const LAYER_PATH: Record<OverrideLayer, string> = { user: 'cfg/user-phone.cfg', local: 'cfg/local.cfg', web: 'cfg/web.cfg', cloud: 'cfg/cloud.cfg' };
/** Each phone-wide layer is its own data class: Reset Local / Web / Cloud Configuration erases exactly that class. */
const LAYER_CLASS: Record<Exclude<OverrideLayer, 'user'>, DataClassId> = { local: 'localOverrides', web: 'webOverrides', cloud: 'cloudOverrides' };
const USER_CFG_PATH = 'cfg/user.cfg';
const REBOOT_MARKER = 'cfg/reboot-marker.json';
const USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;
const USER_REBOOT_REASON = 'needs a reboot: not accepted in a user\'s file';

export interface ConfigLog {
  info(text: string): void;
  notice(text: string): void;
  warning(text: string): void;
  error(text: string): void;
}

export interface RejectedValue {
  file: string;
  name: string;
  value: string;
  reason: string;
}

export interface ApplyResult {
  ok: boolean;
  /** Why the whole file was refused (the last good copy stays in force). */
  error?: string;
  applied: number;
  rejected: RejectedValue[];
  unknown: string[];
}

export interface ParameterChange {
  name: string;
  from: string;
  to: string;
  reboot: boolean;
}

export interface Candidate {
  layer: LayerId;
  source: string;
  value: string;
  /** False when a `device.*` value was held back by its `.set` companion. */
  applied: boolean;
  note?: string;
}

export interface Explanation {
  name: string;
  known: boolean;
  value?: string;
  layer?: LayerId;
  source?: string;
  reboot?: boolean;
  /** Declared secret: tools show its length, not its value. */
  secret?: boolean;
  module?: string;
  /** Every layer/file that has a value for it, in precedence order; the first applied one wins. */
  candidates: Candidate[];
}

export interface CycleResult {
  changed: string[];
  rebooting: boolean;
}

export interface ConfigServiceOptions {
  registry: ParameterRegistry;
  store: ConfigCacheStore;
  phone: PhoneIdentity;
  log: ConfigLog;
  /** Called once when reboot-flagged parameters changed (hal.power.reboot). */
  reboot?: (reason: string) => void;
}

interface FileValues {
  name: string;
  values: Map<string, string>;
}

type Listener = (changes: ParameterChange[]) => void;

export class ConfigService {
  readonly registry: ParameterRegistry;
  private readonly cache: ConfigCache;
  private readonly log: ConfigLog;
  private readonly phone: PhoneIdentity;
  private master: MasterConfig | null = null;
  private masterName = '';
  private readonly files = new Map<string, FileValues>();
  private userFile: FileValues | null = null;
  private user: string | null = null;
  private readonly layers: Record<OverrideLayer, Map<string, string>> = { user: new Map(), local: new Map(), web: new Map(), cloud: new Map() };
  /**
   * The value in force of each parameter, by registry position (one array,
   * not a map entry per parameter). Replaced whole when a value changes,
   * never changed in place, so `bootValues` is the array the boot computed.
   */
  private effective: (string | undefined)[] = [];
  private bootValues: (string | undefined)[] = [];
  private readonly listeners: Listener[] = [];
  private readonly overrideListeners: ((layer: OverrideLayer) => void)[] = [];
  private readonly reboot: (reason: string) => void;
  private pendingReboot: string[] = [];
  /** Registry positions in the order values are resolved (inEvaluationOrder). */
  private evaluationOrder: Uint16Array | null = null;

  constructor(options: ConfigServiceOptions) {
    this.registry = options.registry;
    this.log = options.log;
    this.phone = options.phone;
    this.reboot = options.reboot ?? (() => {});
    this.cache = new ConfigCache(options.store, (m) => this.log.error(m));
  }

  /** Boot: read the last good copies from flash; the values now in force are the "running" ones for reboot decisions. */
  load(): void {
    const master = this.cache.master();
    if (master) {
      const parsed = parseMaster(master.text, this.phone);
      if (parsed.ok) {
        this.master = parsed.master;
        this.masterName = master.name;
      } else this.log.error(`cached master ${master.name} unreadable: ${parsed.error}`);
    }
    for (const name of this.cache.fileNames()) {
      // Parsed when it was saved: only the values are checked again (against this firmware's registry).
      const attributes = this.cache.fileAttributes(name);
      const text = attributes ? null : this.cache.file(name);
      if (!attributes && text === null) continue;
      const r = attributes ? this.valuesOf(name, attributes) : this.readValues(name, text!, true);
      if (r.values) this.files.set(name, { name, values: r.values });
    }
    for (const layer of ['local', 'web', 'cloud'] as const) this.loadLayer(layer);
    this.effective = this.computeAll();
    this.bootValues = this.effective;
    const set: string[] = [];
    const profile = this.baseProfile();
    this.inEvaluationOrder((i) => {
      const p = this.registry.at(i);
      if (this.effective[i] !== this.defaultOf(p, profile)) set.push(p.name);
    });
    this.log.info(`loaded: master ${this.masterName || '(none)'}, ${this.files.size} config files, overrides local ${this.layers.local.size} / web ${this.layers.web.size} / cloud ${this.layers.cloud.size}; ${set.length} parameters differ from defaults`);
    for (const name of set.slice(0, 40)) {
      const e = this.explain(name);
      this.log.info(`${name}="${this.shown(name, e.value ?? '')}" from ${e.layer} (${e.source})`);
    }
  }

  // ── reading values ──

  get(name: string): string | undefined {
    const i = this.registry.position(name);
    return i < 0 ? undefined : this.effective[i] ?? this.defaultOf(this.registry.at(i));
  }

  getBoolean(name: string): boolean {
    return this.declaredValue(name) === '1';
  }

  getInteger(name: string): number {
    return Number(this.declaredValue(name));
  }

  onChange(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Called after setOverride / removeOverride / clearLayer changed a layer's file (not after a downloaded one replaced it). */
  onOverridesChanged(listener: (layer: OverrideLayer) => void): () => void {
    this.overrideListeners.push(listener);
    return () => {
      const i = this.overrideListeners.indexOf(listener);
      if (i >= 0) this.overrideListeners.splice(i, 1);
    };
  }

  /** The master file in force (CONFIG_FILES order, directories), or null before the first one. */
  masterConfig(): MasterConfig | null {
    return this.master;
  }

  currentUser(): string | null {
    return this.user;
  }

  baseProfile(): BaseProfile {
    return baseProfileOf(this.valueIn(this.effective, 'device.baseProfile') ?? 'Generic');
  }

  explain(name: string): Explanation {
    const i = this.registry.position(name);
    if (i < 0) return { name, known: false, candidates: [] };
    const p = this.registry.at(i);
    const candidates = this.candidates(p);
    const winner = candidates.find((c) => c.applied)!;
    return { name: p.name, known: true, value: winner.value, layer: winner.layer, source: winner.source, reboot: !!p.reboot, secret: !!p.secret, module: this.registry.moduleAt(i), candidates };
  }

  // ── applying files ──

  applyMaster(text: string, name = '000000000000.cfg'): ApplyResult & { master?: MasterConfig } {
    const parsed = parseMaster(text, this.phone);
    if (!parsed.ok) {
      this.log.error(`${name}: rejected, ${parsed.error}; keeping ${this.masterName ? `last good ${this.masterName}` : 'no master file'}`);
      return { ok: false, error: parsed.error, applied: 0, rejected: [], unknown: [] };
    }
    this.master = parsed.master;
    this.masterName = name;
    this.persist(name, () => this.cache.saveMaster(name, text));
    const listed = parsed.master.configFiles;
    for (const n of [...this.files.keys()]) if (!listed.includes(n)) this.files.delete(n);
    this.persist(name, () => this.cache.keepOnly(listed));
    this.log.info(`${name}: CONFIG_FILES ${listed.length ? listed.join(', ') : '(none)'}${parsed.master.modelSpecific.length ? ` (model ${this.phone.model}: ${parsed.master.modelSpecific.join(', ')})` : ''}`);
    for (const where of parsed.master.ignored) {
      this.log.warning(`${name}: ${where} ignored: the phone reads these fields as attributes of <APPLICATION>, or as <FIELD>_${this.phone.model} on <APPLICATION_${this.phone.model}>`);
    }
    this.recompute();
    return { ok: true, applied: 0, rejected: [], unknown: [], master: parsed.master };
  }

  applyConfigFile(name: string, text: string): ApplyResult {
    if (!this.master?.configFiles.includes(name)) {
      const error = `not listed in CONFIG_FILES of ${this.masterName || 'the master file (none yet)'}`;
      this.log.error(`${name}: rejected, ${error}`);
      return { ok: false, error, applied: 0, rejected: [], unknown: [] };
    }
    const r = this.readValues(name, text);
    if (!r.values) return r.result;
    this.files.set(name, { name, values: r.values });
    this.persist(name, () => this.cache.saveFile(name, text, r.attributes));
    this.recompute();
    return r.result;
  }

  applyUserConfig(text: string): ApplyResult {
    const user = this.user;
    if (!user) return this.refuse('<user>.cfg', 'no user is logged in');
    const name = `${user}.cfg`;
    const r = this.readValues(name, text);
    if (!r.values) return r.result;
    this.dropRebootParameters(name, r.values, r.result);
    this.userFile = { name, values: r.values };
    this.persist(name, () => this.cache.writeText(USER_CFG_PATH, text, user));
    this.recompute();
    return r.result;
  }

  applyOverrideFile(layer: OverrideLayer, text: string): ApplyResult {
    const file = this.layerSource(layer);
    if (layer === 'user' && !this.user) return this.refuse(file, 'no user is logged in');
    const r = this.readValues(file, text);
    if (!r.values) return r.result;
    if (layer === 'user') this.dropRebootParameters(file, r.values, r.result);
    this.layers[layer] = r.values;
    this.saveLayer(layer);
    this.recompute();
    return r.result;
  }

  setOverride(layer: OverrideLayer, name: string, value: string): ApplyResult {
    const file = this.layerSource(layer);
    if (layer === 'user' && !this.user) return this.refuse(file, 'no user is logged in');
    const p = this.registry.lookup(name);
    if (!p) return this.refuse(file, `unknown parameter ${name}`);
    const v = validateValue(p, value);
    if (v.kind === 'rejected') {
      this.log.warning(`${file}: rejected ${p.name}="${this.shown(p.name, value)}": ${v.reason}`);
      return { ok: true, applied: 0, rejected: [{ file, name: p.name, value, reason: v.reason }], unknown: [] };
    }
    if (v.kind === 'unset') return this.removeOverride(layer, p.name);
    if (layer === 'user' && p.reboot) {
      const reason = USER_REBOOT_REASON;
      this.log.warning(`${file}: rejected ${p.name}="${this.shown(p.name, value)}": ${reason}`);
      return { ok: true, applied: 0, rejected: [{ file, name: p.name, value, reason }], unknown: [] };
    }
    if (this.layers[layer].get(p.name) === v.value) return { ok: true, applied: 0, rejected: [], unknown: [] };
    this.layers[layer].set(p.name, v.value);
    this.saveLayer(layer);
    this.recompute();
    this.overridesChanged(layer);
    return { ok: true, applied: 1, rejected: [], unknown: [] };
  }

  removeOverride(layer: OverrideLayer, name: string): ApplyResult {
    const p = this.registry.lookup(name);
    if (p && this.layers[layer].delete(p.name)) {
      this.saveLayer(layer);
      this.recompute();
      this.overridesChanged(layer);
    }
    return { ok: true, applied: 0, rejected: [], unknown: [] };
  }

  /** Reset Local / Web / Cloud Configuration. */
  clearLayer(layer: OverrideLayer): void {
    this.layers[layer] = new Map();
    if (layer === 'user') {
      const user = this.user;
      if (user) this.persist(this.layerSource(layer), () => this.cache.remove(LAYER_PATH.user, user));
    } else this.persist(this.layerSource(layer), () => this.cache.remove(LAYER_PATH[layer]));
    this.log.notice(`${this.layerSource(layer)}: cleared`);
    this.recompute();
    this.overridesChanged(layer);
  }

  overrideText(layer: OverrideLayer): string {
    return formatOverrides(this.layers[layer]);
  }

  /** Log a user in (loads their cached `<user>.cfg` / `<user>-phone.cfg`) or out (null: their layers leave the phone). */
  setUser(user: string | null): boolean {
    if (user !== null && !USER_ID.test(user)) {
      this.log.error(`login: refusing user id "${party(user, 'user')}": 1-64 of A-Z a-z 0-9 . _ @ -`);
      return false;
    }
    if (this.user && this.user !== user) {
      // Logged out: the user's options are cleared from the device.
      const old = this.user;
      this.persist(`${old} files`, () => {
        this.cache.remove(LAYER_PATH.user, old);
        this.cache.remove(USER_CFG_PATH, old);
      });
    }
    this.user = user;
    this.layers.user = new Map();
    this.userFile = null;
    if (user) {
      this.loadLayer('user');
      const text = this.cache.readText(USER_CFG_PATH, user);
      if (text !== null) {
        const r = this.readValues(`${user}.cfg`, text, true);
        if (r.values) this.dropRebootParameters(`${user}.cfg`, r.values, r.result);
        if (r.values) this.userFile = { name: `${user}.cfg`, values: r.values };
      }
    }
    this.recompute();
    return true;
  }

  /**
   * End of a provisioning cycle. When a reboot-flagged parameter's value differs
   * from the one this boot started with, reboot once. A marker remembers which
   * values that reboot was for: if the phone comes back and still runs other
   * values (the cache could not keep them), it does not reboot again for them.
   */
  finishCycle(): CycleResult {
    const changed: string[] = [];
    const now: [name: string, value: string | undefined][] = [];
    for (let i = 0; i < this.registry.size; i++) {
      const p = this.registry.at(i);
      if (!p.reboot || this.effective[i] === this.bootValues[i]) continue;
      changed.push(p.name);
      now.push([p.name, this.effective[i]]);
    }
    // Asked for by device settings that changed (device-parameter-sync.ts): held in RAM, so once.
    const devices = this.pendingReboot;
    this.pendingReboot = [];
    if (changed.length === 0 && devices.length === 0) return { changed, rebooting: false };
    if (changed.length > 0) {
      const fingerprint = JSON.stringify(now);
      if (this.cache.readText(REBOOT_MARKER) === fingerprint && devices.length === 0) {
        this.log.error(`reboot-required change of ${changed.join(', ')} still not in force after rebooting for it: not rebooting again`);
        return { changed, rebooting: false };
      }
      this.persist('reboot marker', () => this.cache.writeText(REBOOT_MARKER, fingerprint));
    }
    const reason = changed.length > 0 ? `configuration change needs a reboot: ${[...changed, ...devices].join(', ')}` : `device settings change needs a reboot: ${devices.join(', ')}`;
    this.log.notice(reason);
    this.reboot(reason);
    return { changed, rebooting: true };
  }

  /**
   * A device setting adopted from configuration takes effect after a reboot
   * (device-parameter-sync.ts): reboot at the end of this cycle. Kept in RAM
   * only: the setting already changed on flash, so the next boot has it.
   */
  requestReboot(reason: string): void {
    if (!this.pendingReboot.includes(reason)) this.pendingReboot.push(reason);
  }

  // ── internals ──

  /** A secret parameter's value (declared `secret`: passwords, keys, account codes) never reaches the log: only its length; nor do a URL's credentials. */
  private shown(name: string, value: string): string {
    if (value !== '' && PARTY_PARAMETERS.has(name)) return party(value, 'user');
    if (value !== '' && this.registry.lookup(name)?.secret) return `<${[...value].length} characters hidden>`;
    // A URL's inline credentials (device.prov.serverName "http://user:pw@host/") are a password too.
    return value.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1<credentials hidden>@');
  }

  /**
   * Flash writes of the cache. A full or failing store must not lose the
   * values just accepted: they stay in force in RAM, and the error is logged
   * (after a reboot the last copy that did reach flash applies).
   */
  private persist(what: string, write: () => void): void {
    try {
      write();
    } catch (e) {
      this.log.error(`${what}: cannot keep a copy in flash (${(e as Error).message}); in force until the next boot`);
    }
  }

  /**
   * The spec: a user's files may only hold parameters that do not restart or
   * reboot the phone. Ours refuse the others, or every login would reboot.
   */
  private dropRebootParameters(file: string, values: Map<string, string>, result: ApplyResult): void {
    for (const [name, value] of [...values]) {
      if (!this.registry.lookup(name)?.reboot) continue;
      values.delete(name);
      this.log.warning(`${file}: rejected ${name}="${this.shown(name, value)}": ${USER_REBOOT_REASON}`);
      result.rejected.push({ file, name, value, reason: USER_REBOOT_REASON });
      result.applied--;
    }
  }

  private overridesChanged(layer: OverrideLayer): void {
    for (const l of [...this.overrideListeners]) {
      try {
        l(layer);
      } catch (e) {
        this.log.error(`override listener failed: ${(e as Error).message}`);
      }
    }
  }

  private declaredValue(name: string): string {
    const v = this.get(name);
    if (v === undefined) throw new Error(`config: parameter ${name} is not declared`);
    return v;
  }

  private refuse(file: string, error: string): ApplyResult {
    this.log.error(`${file}: rejected, ${error}`);
    return { ok: false, error, applied: 0, rejected: [], unknown: [] };
  }

  private layerSource(layer: OverrideLayer): string {
    switch (layer) {
      case 'user': return `${this.user ?? '<user>'}-phone.cfg`;
      case 'local': return `${this.phone.mac}-phone.cfg`;
      case 'web': return `${this.phone.mac}-web.cfg`;
      case 'cloud': return 'cloud configuration';
    }
  }

  /** Parse and validate one file; null values = the file was refused whole. */
  private readValues(file: string, text: string, cached = false): { values: Map<string, string> | null; result: ApplyResult; attributes?: CachedAttribute[] } {
    const parsed = parseCfg(text, { cached });
    if (!parsed.ok) {
      this.log.error(`${file}: rejected, ${parsed.error}; last good copy stays in force`);
      return { values: null, result: { ok: false, error: parsed.error, applied: 0, rejected: [], unknown: [] } };
    }
    const attributes = parsed.attributes.map((a): CachedAttribute => [a.name, a.value]);
    return { ...this.valuesOf(file, attributes), attributes };
  }

  /** A file's parameters checked against the registry: unknown ones skipped, invalid values rejected one by one. */
  private valuesOf(file: string, attributes: CachedAttribute[]): { values: Map<string, string>; result: ApplyResult } {
    const values = new Map<string, string>();
    const rejected: RejectedValue[] = [];
    const unknown: string[] = [];
    for (const [name, value] of attributes) {
      const p = this.registry.lookup(name);
      if (!p) {
        // Real servers' files hold many parameters this phone does not have; not an error.
        unknown.push(name);
        continue;
      }
      if (values.has(p.name)) continue; // within a file too, the first occurrence wins
      const v = validateValue(p, value);
      if (v.kind === 'rejected') {
        this.log.warning(`${file}: rejected ${name}="${this.shown(name, value.slice(0, 120))}": ${v.reason}`);
        rejected.push({ file, name: p.name, value: value, reason: v.reason });
      } else if (v.kind === 'ok') values.set(p.name, v.value);
    }
    if (unknown.length) this.log.info(`${file}: ${unknown.length} unknown parameters ignored (${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''})`);
    this.log.info(`${file}: ${values.size} values accepted, ${rejected.length} rejected`);
    return { values, result: { ok: true, applied: values.size, rejected, unknown } };
  }

  private loadLayer(layer: OverrideLayer): void {
    const text = this.cache.readText(LAYER_PATH[layer], layer === 'user' ? this.user ?? undefined : undefined);
    if (text === null) return;
    const r = this.readValues(this.layerSource(layer), text, true);
    if (r.values && layer === 'user') this.dropRebootParameters(this.layerSource(layer), r.values, r.result);
    if (r.values) this.layers[layer] = r.values;
  }

  private saveLayer(layer: OverrideLayer): void {
    const user = layer === 'user' ? this.user ?? undefined : undefined;
    this.persist(this.layerSource(layer), () => {
      if (this.layers[layer].size === 0) this.cache.remove(LAYER_PATH[layer], user);
      else this.cache.writeText(LAYER_PATH[layer], this.overrideText(layer), user, layer === 'user' ? undefined : LAYER_CLASS[layer]);
    });
  }

  private fileOrder(): FileValues[] {
    const out: FileValues[] = [];
    if (this.userFile) out.push(this.userFile);
    for (const n of this.master?.configFiles ?? []) {
      const f = this.files.get(n);
      if (f) out.push(f);
    }
    return out;
  }

  private defaultOf(p: RegisteredParameter, profile: BaseProfile = this.baseProfile()): string {
    return this.registry.defaultValue(p, profile);
  }

  /** The value of the parameter declared exactly as `name` in `values` (undefined: not declared, or not resolved yet). */
  private valueIn(values: readonly (string | undefined)[], name: string): string | undefined {
    const i = this.registry.position(name, true);
    return i < 0 ? undefined : values[i];
  }

  /** Every value for `p`, in precedence order, with whether it may apply; `values`: those in force (or resolved so far). */
  private candidates(p: RegisteredParameter, values: readonly (string | undefined)[] = this.effective): Candidate[] {
    const out: Candidate[] = [];
    const gated = isGatedDeviceParameter(p.name);
    const lookup = (n: string) => this.valueIn(values, n);
    const gate = (): { ok: boolean; note?: string } => {
      if (!gated) return { ok: true };
      if (lookup('device.set') === '0') return { ok: false, note: 'device.set is 0' };
      if (lookup(`${p.name}.set`) !== '1') return { ok: false, note: `${p.name}.set is not 1` };
      return { ok: true };
    };
    for (const layer of ['user', 'local', 'web'] as const) {
      const v = this.layers[layer].get(p.name);
      if (v !== undefined) out.push({ layer, source: this.layerSource(layer), value: v, applied: true });
    }
    const cloud = this.layers.cloud.get(p.name);
    if (cloud !== undefined) out.push({ layer: 'cloud', source: 'cloud configuration', value: cloud, applied: gate().ok, note: gate().note });
    for (const f of this.fileOrder()) {
      const v = f.values.get(p.name);
      if (v !== undefined) {
        const g = gate();
        out.push({ layer: 'files', source: f.name, value: v, applied: g.ok, note: g.note });
      }
    }
    const profile = baseProfileOf(lookup('device.baseProfile') ?? 'Generic');
    const profileNote = typeof p.default === 'object' ? `${profile === 'generic' ? 'Generic' : 'Skype for Business'} Base Profile` : undefined;
    out.push({ layer: 'default', source: profileNote ? `default (${profileNote})` : 'default', value: this.defaultOf(p, profile), applied: true });
    return out;
  }

  /**
   * Effective values of all parameters. `.set` companions, `device.set` and the
   * Base Profile are resolved first because other values depend on them.
   */
  private computeAll(): (string | undefined)[] {
    // Dense from the start (QuickJS keeps a dense array compact; one filled out of order becomes an object with a property per index).
    const out: (string | undefined)[] = [];
    for (let i = 0; i < this.registry.size; i++) out.push(undefined);
    const files = this.fileOrder();
    const resolve = (i: number) => {
      out[i] = this.winningValue(this.registry.at(i), out, files);
    };
    this.inEvaluationOrder(resolve);
    // Profile-dependent defaults follow the Base Profile just resolved.
    for (let i = 0; i < this.registry.size; i++) if (typeof this.registry.at(i).default === 'object') resolve(i);
    return out;
  }

  /**
   * The value `candidates(p, values)` would find applied first, without
   * making the candidates: every boot resolves every parameter, and in
   * QuickJS the list of candidates made for each one was most of the
   * configuration's start. `explain` lists them; this is the same rule.
   */
  private winningValue(p: RegisteredParameter, values: readonly (string | undefined)[], files: readonly FileValues[]): string {
    const name = p.name;
    const override = this.layers.user.get(name) ?? this.layers.local.get(name) ?? this.layers.web.get(name);
    if (override !== undefined) return override;
    let provided = this.layers.cloud.get(name);
    for (let f = 0; provided === undefined && f < files.length; f++) provided = files[f].values.get(name);
    // Cloud and file values of a gated parameter all apply, or none does.
    if (provided !== undefined && this.gateOpen(name, values)) return provided;
    const profile = typeof p.default === 'object' ? baseProfileOf(this.valueIn(values, 'device.baseProfile') ?? 'Generic') : 'generic';
    return this.defaultOf(p, profile);
  }

  /** A cloud or file value of `name` may apply: not a gated `device.*` parameter, or `device.set` not 0 and its `.set` companion 1. */
  private gateOpen(name: string, values: readonly (string | undefined)[]): boolean {
    if (!isGatedDeviceParameter(name)) return true;
    return this.valueIn(values, 'device.set') !== '0' && this.valueIn(values, `${name}.set`) === '1';
  }

  /**
   * Positions in the order values are resolved: `.set` companions, `device.set`
   * and everything not gated first, then the Base Profile, then the gated
   * `device.*` parameters (they depend on the first two). Changes are reported
   * in this order too. The same for as long as the registry: worked out once.
   */
  private inEvaluationOrder(visit: (position: number) => void): void {
    this.evaluationOrder ??= evaluationOrderOf(this.registry);
    for (let k = 0; k < this.evaluationOrder.length; k++) visit(this.evaluationOrder[k]);
  }

  private recompute(): void {
    const next = this.computeAll();
    const changes: ParameterChange[] = [];
    this.inEvaluationOrder((i) => {
      const from = this.effective[i];
      const to = next[i]!;
      const p = this.registry.at(i);
      if (from !== to) changes.push({ name: p.name, from: from ?? '', to, reboot: !!p.reboot });
    });
    // Unchanged: the array in force stays (it may be the boot's, which `bootValues` shares).
    if (changes.length === 0) return;
    this.effective = next;
    for (const c of changes) this.log.info(`${c.name}: "${this.shown(c.name, c.from)}" -> "${this.shown(c.name, c.to)}" (${this.explain(c.name).source})${c.reboot ? ', needs reboot' : ''}`);
    for (const l of [...this.listeners]) {
      try {
        l(changes);
      } catch (e) {
        this.log.error(`change listener failed: ${(e as Error).message}`);
      }
    }
  }
}

function evaluationOrderOf(registry: ParameterRegistry): Uint16Array {
  const order: number[] = [];
  const size = registry.size;
  for (let i = 0; i < size; i++) if (!isGatedDeviceParameter(registry.at(i).name)) order.push(i);
  for (let i = 0; i < size; i++) if (registry.at(i).name === 'device.baseProfile') order.push(i);
  for (let i = 0; i < size; i++) {
    const name = registry.at(i).name;
    if (isGatedDeviceParameter(name) && name !== 'device.baseProfile') order.push(i);
  }
  return Uint16Array.from(order);
}

/** `device.*` parameters that need their `.set` companion (the companions and `device.set` themselves do not). */
export function isGatedDeviceParameter(name: string): boolean {
  return name.startsWith('device.') && name !== 'device.set' && !name.endsWith('.set');
}

/** Parameters whose value names a user: party data, logged as its token (docs/logging.md, "Redaction"). */
const PARTY_PARAMETERS = new Set(['prov.login.defaultUser']);
