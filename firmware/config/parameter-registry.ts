/**
 * The parameter registry at run time: every declared parameter, looked up by
 * its exact spec name (or, failing that, case-insensitively: the spec itself
 * writes both `dir.local.readonly` and `dir.local.readOnly`), with its
 * default resolved for this board and Base Profile.
 */
import type { BoardInfo } from '../../hal/contract';
import type { ParameterDeclaration, ProfileDefault } from '../kernel/declaration';

export type BaseProfile = 'generic' | 'skype';

/** A declaration as the registry holds it: module attached, board limits applied. */
export interface RegisteredParameter extends ParameterDeclaration {
  module: string;
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

export class ParameterRegistry {
  private readonly byName = new Map<string, RegisteredParameter>();
  private readonly byLowerName = new Map<string, RegisteredParameter>();

  constructor(parameters: readonly (ParameterDeclaration & { module: string })[], board?: Pick<BoardInfo, 'contactLimit'>) {
    for (const p of parameters) {
      const entry: RegisteredParameter = { ...p };
      if (p.boardLimit && board) {
        // Model-dependent: the board's limit is both the default and the maximum.
        entry.default = board[p.boardLimit];
        entry.max = board[p.boardLimit];
      }
      this.byName.set(p.name, entry);
      this.byLowerName.set(p.name.toLowerCase(), entry);
    }
  }

  /** The declaration for `name` (exact, else case-insensitive), or undefined when unknown. */
  lookup(name: string): RegisteredParameter | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  all(): RegisteredParameter[] {
    return [...this.byName.values()];
  }

  /** The default value as a canonical string, for the given Base Profile. */
  defaultValue(p: ParameterDeclaration, profile: BaseProfile): string {
    return canonicalScalar(isProfileDefault(p.default) ? p.default[profile] : p.default);
  }
}
