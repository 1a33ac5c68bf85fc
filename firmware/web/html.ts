/**
 * HTML built by the firmware's web pages. Every interpolated value is escaped
 * unless it is already `Html` (built by this tag), so a contact named
 * `<script>` is shown as text: pages never concatenate strings into markup.
 */
import { escapeXml } from '../kernel/xml-escape';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Interpolation: `Html` as is; arrays joined; null/undefined/false as nothing; everything else escaped text. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

/** The XML escape, and `'` too (HTML attribute values may be single-quoted). */
export function escapeHtml(text: string): string {
  return escapeXml(text).replace(/'/g, '&#39;');
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Tagged template: html`<td>${contact.name}</td>`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}
