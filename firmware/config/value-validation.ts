/**
 * Checks one raw attribute value against its declaration and returns the
 * canonical string to store, or why it is refused. Empty values of non-string
 * parameters mean "not set here" (Polycom templates are full of them), so they
 * are skipped rather than refused.
 */
import type { ParameterDeclaration } from '../kernel/declaration';

export type ValidationResult =
  | { kind: 'ok'; value: string }
  | { kind: 'unset' }
  | { kind: 'rejected'; reason: string };

const INTEGER = /^[+-]?\d+$/;

export function validateValue(p: ParameterDeclaration, raw: string): ValidationResult {
  const trimmed = raw.trim();
  if (p.type !== 'string' && trimmed === '') return { kind: 'unset' };
  switch (p.type) {
    case 'boolean': {
      const v = trimmed.toLowerCase();
      if (v === '1' || v === 'true') return { kind: 'ok', value: '1' };
      if (v === '0' || v === 'false') return { kind: 'ok', value: '0' };
      return { kind: 'rejected', reason: 'wrong type: expected 0 or 1' };
    }
    case 'integer': {
      if (!INTEGER.test(trimmed)) return { kind: 'rejected', reason: 'wrong type: expected an integer' };
      const n = Number(trimmed);
      if (!Number.isSafeInteger(n)) return { kind: 'rejected', reason: 'out of range: not a safe integer' };
      if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) {
        return { kind: 'rejected', reason: `out of range: allowed ${p.min ?? '-∞'}..${p.max ?? '∞'}` };
      }
      return { kind: 'ok', value: String(n) };
    }
    case 'enum': {
      const values = p.values ?? [];
      const match = values.find((v) => v === trimmed) ?? values.find((v) => v.toLowerCase() === trimmed.toLowerCase());
      if (match === undefined) return { kind: 'rejected', reason: `unknown value: allowed ${values.join(', ')}` };
      return { kind: 'ok', value: match };
    }
    case 'string': {
      const length = [...raw].length;
      if (p.maxLength !== undefined && length > p.maxLength) {
        return { kind: 'rejected', reason: `too long: ${length} characters, at most ${p.maxLength}` };
      }
      if (p.items) {
        const unknown = raw.split(',').map((s) => s.trim()).filter((s) => s !== '' && !p.items!.includes(s));
        if (unknown.length) return { kind: 'rejected', reason: `unknown item ${unknown.map((u) => `"${u}"`).join(', ')}: allowed ${p.items.join(', ')}` };
      }
      return { kind: 'ok', value: raw };
    }
  }
}
