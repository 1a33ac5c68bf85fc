/** Checks for step arguments: each throws an Error that says what was expected. */
import { didYouMean } from './did-you-mean';

export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what}: expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

export function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

export function optionalString(value: unknown, what: string): string | undefined {
  return value === undefined ? undefined : asString(value, what);
}

export function asStringList(value: unknown, what: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${what}: expected a string or a list of strings, got ${JSON.stringify(value)}`);
  return value as string[];
}

export function optionalCount(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${what}: expected a whole number ≥ 0, got ${JSON.stringify(value)}`);
  return value;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60000, min: 60000, h: 3600000, d: 86400000 };

/** A duration: a number of ms, or text like "90s", "15 min", "30d", "1h30m". */
export function asDuration(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const parts = [...value.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)/g)];
    const rest = value.replace(/(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)/g, '').trim();
    if (parts.length > 0 && rest === '') return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]], 0);
  }
  throw new Error(`${what}: expected a duration like 1500, "90s", "15min", "2h", "30d", got ${JSON.stringify(value)}`);
}

/** An object argument (absent = `{}`) holding only the allowed fields. */
export function fields(value: unknown, allowed: string[], what: string): Record<string, unknown> {
  const o = asObject(value ?? {}, what);
  onlyKeys(o, allowed, what);
  return o;
}

/** Reject keys a step does not know, so a typo fails at load time, not silently. */
export function onlyKeys(obj: Record<string, unknown>, allowed: string[], what: string): void {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new Error(`${what}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `${k}${didYouMean(k, allowed)}`).join(', ')} (allowed: ${allowed.join(', ') || 'none'})`);
}
