/**
 * Configuration parameters as web form fields, shared by the Parameters pages
 * and Simple Setup: one input per parameter built from its declaration, and
 * the POSTed values applied to the web layer (`<MAC>-web.cfg`) through the
 * config service, which validates them exactly as it validates a
 * configuration file. A refused value is refused alone; the others apply.
 *
 * Secrets (declared `secret`) are write-only: the field is always empty, an
 * empty submission leaves the value as it is, and the page says only whether
 * one is set. Their value never reaches the browser.
 */
import type { ConfigService, Explanation } from '../../config/config-service';
import { isGatedDeviceParameter } from '../../config/config-service';
import type { RegisteredParameter } from '../../config/parameter-registry';
import { html, type Html } from '../html';

/** Form field name of a parameter's value, and of its "back to the layer below" box. */
export const valueField = (name: string): string => `p.${name}`;
export const revertField = (name: string): string => `revert.${name}`;

/** One refused field: shown next to it, with what was typed (never for a secret). */
export interface RefusedField {
  name: string;
  value: string;
  reason: string;
}

export interface WebChangeOutcome {
  applied: string[];
  reverted: string[];
  refused: RefusedField[];
  /** Applied parameters that take effect after a reboot. */
  needReboot: string[];
}

/**
 * Device parameters (`device.*` with their `.set` companions, and `device.set`)
 * configure the device settings in nvram; the device only adopts them from
 * configuration files and the cloud (firmware/settings/device-parameter-sync.ts),
 * so a web-layer value would show as set and do nothing: read-only here.
 */
export function isDeviceParameter(name: string): boolean {
  return name.startsWith('device.');
}

/** Why a parameter cannot be changed on the web form, or null when it can. */
export function readOnlyReason(p: RegisteredParameter): string | null {
  if (isDeviceParameter(p.name)) {
    return isGatedDeviceParameter(p.name)
      ? `device setting: set it in configuration files with ${p.name}.set="1"`
      : 'device setting companion: set in configuration files';
  }
  return null;
}

/** Type and allowed values as a person reads them: `integer 0..65535`, `one of abs, rel, random`, `text up to 255 characters`. */
export function describeRange(p: RegisteredParameter): string {
  switch (p.type) {
    case 'boolean': return 'boolean (0 or 1)';
    case 'integer': return `integer ${p.min ?? '-∞'}..${p.max ?? '∞'}`;
    case 'enum': return `one of ${(p.values ?? []).join(', ')}`;
    case 'string': {
      const items = p.items ? `, comma-separated items of ${p.items.join(', ')}` : '';
      return `${p.secret ? 'secret ' : ''}text${p.maxLength !== undefined ? ` up to ${p.maxLength} characters` : ''}${items}`;
    }
  }
}

/** The layer in force as `phone config explain` names it: `web (0004f2000001-web.cfg)`. */
export function setBy(e: Explanation): string {
  return `${e.layer} (${e.source})`;
}

/** What a page may show of a value: a secret only as set / not set. */
export function shownValue(p: RegisteredParameter, value: string | undefined): string {
  if (p.secret) return value ? 'set' : 'not set';
  return value ?? '';
}

/** The input for one parameter; `typed` is what a refused submission held (redisplayed, never for a secret). */
export function parameterInput(config: ConfigService, p: RegisteredParameter, typed?: string): Html {
  const id = valueField(p.name);
  const current = config.get(p.name) ?? '';
  const value = typed ?? current;
  const disabled = readOnlyReason(p) !== null;
  if (p.secret) {
    return html`<input type="password" id="${id}" name="${id}" value="" autocomplete="new-password" placeholder="${current ? 'set: type to replace' : 'not set'}"${disabled ? html` disabled` : ''}>`;
  }
  if (p.type === 'boolean' || p.type === 'enum') {
    const options = p.type === 'boolean' ? ['0', '1'] : p.values ?? [];
    return html`<select id="${id}" name="${id}"${disabled ? html` disabled` : ''}>${options.map((o) => html`<option value="${o}"${o === value ? html` selected` : ''}>${o}</option>`)}</select>`;
  }
  const max = p.type === 'string' && p.maxLength !== undefined ? html` maxlength="${p.maxLength}"` : '';
  return html`<input type="text" id="${id}" name="${id}" value="${value}"${max}${p.type === 'integer' ? html` inputmode="numeric"` : ''}${disabled ? html` disabled` : ''}>`;
}

/**
 * Apply the submitted fields of `names` to the web layer. A field left as it
 * is changes nothing (an unchanged form does not pin values into the web
 * layer); an empty secret field keeps the secret; a ticked revert box removes
 * the web layer's value.
 */
export function applyWebChanges(config: ConfigService, names: readonly string[], form: Record<string, string>): WebChangeOutcome {
  const out: WebChangeOutcome = { applied: [], reverted: [], refused: [], needReboot: [] };
  for (const name of names) {
    const p = config.registry.lookup(name);
    if (!p) continue;
    const readOnly = readOnlyReason(p);
    const submitted = form[valueField(p.name)];
    if (form[revertField(p.name)] === '1') {
      if (readOnly) {
        out.refused.push({ name: p.name, value: '', reason: readOnly });
        continue;
      }
      if (config.explain(p.name).candidates.some((c) => c.layer === 'web')) {
        config.removeOverride('web', p.name);
        out.reverted.push(p.name);
      }
      continue;
    }
    if (submitted === undefined) continue;
    if (p.secret ? submitted === '' : submitted === (config.get(p.name) ?? '')) continue;
    if (readOnly) {
      out.refused.push({ name: p.name, value: p.secret ? '' : submitted, reason: readOnly });
      continue;
    }
    const r = config.setOverride('web', p.name, submitted);
    const rejected = r.rejected[0];
    if (!r.ok || rejected) out.refused.push({ name: p.name, value: p.secret ? '' : submitted, reason: rejected?.reason ?? r.error ?? 'refused' });
    else if (r.applied > 0) {
      out.applied.push(p.name);
      if (p.reboot) out.needReboot.push(p.name);
    }
  }
  return out;
}

/** One line for the notice after a save: what changed, what needs a reboot. */
export function outcomeNotice(o: WebChangeOutcome): string {
  const parts: string[] = [];
  if (o.applied.length) parts.push(`Saved to the web configuration: ${o.applied.join(', ')}.`);
  if (o.reverted.length) parts.push(`Back to the layer below: ${o.reverted.join(', ')}.`);
  if (o.needReboot.length) parts.push(`Takes effect after a reboot: ${o.needReboot.join(', ')}.`);
  return parts.length ? parts.join(' ') : 'Nothing changed.';
}

/** The refused fields, each with its reason (values of secrets are never echoed). */
export function refusedList(refused: readonly RefusedField[]): Html {
  if (refused.length === 0) return html``;
  return html`<div class="error" role="alert"><p>Not saved (the other changes were):</p><ul>${refused.map((r) => html`<li><code>${r.name}</code>${r.value ? html` = "${r.value}"` : ''}: ${r.reason}</li>`)}</ul></div>`;
}
