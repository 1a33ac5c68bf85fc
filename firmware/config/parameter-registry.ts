/**
 * The parameter registry at run time: every declared parameter, looked up by
 * its exact spec name (or, failing that, case-insensitively: the spec itself
 * writes both `dir.local.readonly` and `dir.local.readOnly`), with its
 * default resolved for this board and Base Profile.
 *
 * Every phone holds one registry for as long as it runs, so it holds the
 * modules' own declaration objects (no copies) and finds them by binary
 * search over 16-bit positions sorted by name: a few hundred parameters cost
 * about a kilobyte here instead of a copy, two map entries and a lower-case
 * name string each. Each parameter has a position (registration order) that
 * the config service uses to keep one value per parameter in an array.
 */
import type { BoardInfo } from '../../hal/contract';
import type { ParameterDeclaration, ProfileDefault } from '../kernel/declaration';

export type BaseProfile = 'generic' | 'skype';

/** A declaration as the registry holds it: the module's own object, or for a board-limited one a copy with the board's limits. */
export type RegisteredParameter = ParameterDeclaration;

/** A declaration with the module that declared it, as `all()` lists them. */
export interface ModuleParameter extends ParameterDeclaration {
  module: string;
}

/** A module's parameters, as its declaration lists them. */
export interface ParameterModule {
  name: string;
  parameters: readonly ParameterDeclaration[];
}

export function isProfileDefault(d: ParameterDeclaration['default']): d is ProfileDefault {
  return typeof d === 'object' && d !== null;
}

/** Values travel as the strings of the `.cfg` attribute: booleans "0"/"1", integers in decimal. */
export function canonicalScalar(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/** `device.baseProfile` value → which column of a ProfileDefault applies. */
export function baseProfileOf(value: string): BaseProfile {
  return value === 'Generic' ? 'generic' : 'skype';
}

/** Plain code-unit order, the same for sorting and searching. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ParameterRegistry {
  /** Every declaration, in registration order: a parameter's position is its index here. */
  private readonly declarations: ParameterDeclaration[] = [];
  /** Module names, and where each module's declarations end in `declarations`. */
  private readonly moduleNames: string[] = [];
  private readonly moduleEnds: number[] = [];
  /** Positions sorted by name. */
  private readonly byName: Uint16Array;
  /**
   * Positions of the names that have upper-case letters, sorted by their
   * lower-case form (the case-insensitive fallback): made at the first name
   * the exact search does not find, which a boot whose files use the spec's
   * names never has.
   */
  private lowerNames: Uint16Array | null = null;

  constructor(modules: readonly ParameterModule[], board?: Pick<BoardInfo, 'contactLimit'>) {
    for (const m of modules) {
      for (const p of m.parameters) {
        // Model-dependent: the board's limit is both the default and the maximum.
        const limit = p.boardLimit && board ? board[p.boardLimit] : undefined;
        this.declarations.push(limit === undefined ? p : { ...p, default: limit, max: limit });
      }
      this.moduleNames.push(m.name);
      this.moduleEnds.push(this.declarations.length);
    }
    if (this.declarations.length > 0xffff) throw new Error('parameter registry: more than 65535 parameters');
    const names = this.declarations.map((p) => p.name);
    this.byName = Uint16Array.from(names.map((_, i) => i).sort((a, b) => compare(names[a], names[b])));
  }

  private byLowerName(): Uint16Array {
    if (this.lowerNames) return this.lowerNames;
    // In name order, as before: names that differ only in case keep the exact names' order.
    const positions = Array.from(this.byName);
    const lower = this.declarations.map((p) => p.name.toLowerCase());
    this.lowerNames = Uint16Array.from(positions.filter((i) => lower[i] !== this.declarations[i].name).sort((a, b) => compare(lower[a], lower[b])));
    return this.lowerNames;
  }

  /** How many parameters are declared: positions run from 0 to size - 1. */
  get size(): number {
    return this.declarations.length;
  }

  /** The position of `name` (exact, else case-insensitive unless `exact`), or -1 when unknown. */
  position(name: string, exact = false): number {
    const found = this.search(this.byName, name, false);
    if (found >= 0 || exact) return found;
    const lower = name.toLowerCase();
    // A declared name without upper-case letters is found by the exact search for the lower-cased input.
    const plain = lower === name ? -1 : this.search(this.byName, lower, false);
    return plain >= 0 ? plain : this.search(this.byLowerName(), lower, true);
  }

  /** The declaration for `name` (exact, else case-insensitive), or undefined when unknown. */
  lookup(name: string): RegisteredParameter | undefined {
    const i = this.position(name);
    return i < 0 ? undefined : this.declarations[i];
  }

  /** The declaration at `position`. */
  at(position: number): RegisteredParameter {
    return this.declarations[position];
  }

  /** The module that declared the parameter at `position`. */
  moduleAt(position: number): string {
    let m = 0;
    while (this.moduleEnds[m] <= position) m++;
    return this.moduleNames[m];
  }

  /** Every parameter with its module, in registration order (new objects: for pages and tools, not for hot paths). */
  all(): ModuleParameter[] {
    return this.declarations.map((p, i) => ({ ...p, module: this.moduleAt(i) }));
  }

  /** The default value as a canonical string, for the given Base Profile. */
  defaultValue(p: ParameterDeclaration, profile: BaseProfile): string {
    return canonicalScalar(isProfileDefault(p.default) ? p.default[profile] : p.default);
  }

  /** Binary search of `sorted` positions for the one whose name (lower-cased with `lowerCase`) is `key`; -1 when none. */
  private search(sorted: Uint16Array, key: string, lowerCase: boolean): number {
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const name = this.declarations[sorted[mid]].name;
      const c = compare(lowerCase ? name.toLowerCase() : name, key);
      if (c === 0) return sorted[mid];
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
