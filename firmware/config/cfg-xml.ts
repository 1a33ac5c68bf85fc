/**
 * Polycom-style `.cfg` files: XML whose parameters are ATTRIBUTES on any
 * element (`<polycomConfig a.b="1"/>`, `<PHONE_CONFIG><ALL a.b="1"/></PHONE_CONFIG>`,
 * any nesting); element names carry no meaning. Parsed with fast-xml-parser
 * (pure JS, runs in QuickJS); a file that is not well-formed XML is refused
 * whole so the caller can keep its last good copy. A bare `&` (common in files
 * written by hand) is read as a literal `&`, as real servers' files need.
 * XML's own attributes are not parameters: namespace declarations (`xmlns`,
 * `xmlns:*`) and XML Schema instance attributes (`xsi:*`), which real Polycom
 * files carry on the root (`xmlns:xsi=… xsi:noNamespaceSchemaLocation=…`).
 */
/// <reference path="./fast-xml-parser-parts.d.ts" />
import { escapeXml } from '../kernel/xml-escape';
import { validate } from 'fast-xml-parser/src/validator';
import XMLParser from 'fast-xml-parser/src/xmlparser/XMLParser';

/** One attribute in document order, with the element that carried it. */
export interface CfgAttribute {
  element: string;
  name: string;
  value: string;
}

/** An element with its attributes and children, for readers that care about structure (master file). */
export interface CfgElement {
  name: string;
  attributes: Record<string, string>;
  children: CfgElement[];
}

export type CfgParseResult =
  | { ok: true; root: CfgElement[]; attributes: CfgAttribute[] }
  | { ok: false; error: string };

/**
 * Version of what parseCfg makes of a text. Bump it whenever the same text
 * would give other attributes (a parser fix): the configuration cache then
 * parses its copies again instead of trusting attributes parsed before.
 */
export const CFG_PARSE_VERSION = 1;

/** Larger files are refused: the phone keeps bounded RAM (the fs partition is 0.5–1 MiB). */
export const MAX_CFG_CHARS = 512 * 1024;

const ATTRS = ':@';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  parseAttributeValue: false,
  parseTagValue: false,
  allowBooleanAttributes: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: false,
});

type OrderedNode = Record<string, unknown>;

function toElements(nodes: OrderedNode[]): CfgElement[] {
  const out: CfgElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ATTRS);
    if (name === undefined || name === '#text' || name.startsWith('?')) continue;
    const attributes: Record<string, string> = {};
    const raw = node[ATTRS] as Record<string, unknown> | undefined;
    if (raw) for (const [k, v] of Object.entries(raw)) attributes[k] = String(v);
    const children = Array.isArray(node[name]) ? toElements(node[name] as OrderedNode[]) : [];
    out.push({ name, attributes, children });
  }
  return out;
}

/** Namespace declarations and schema-instance attributes: markup, not parameters. */
function isXmlMarkupAttribute(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:');
}

function flatten(elements: CfgElement[], out: CfgAttribute[]): void {
  for (const e of elements) {
    for (const [name, value] of Object.entries(e.attributes)) if (!isXmlMarkupAttribute(name)) out.push({ element: e.name, name, value });
    flatten(e.children, out);
  }
}

/** `cached`: a copy this code accepted before (kept under CRC in the flash store): the well-formedness pass is skipped. */
export function parseCfg(text: string, options: { cached?: boolean } = {}): CfgParseResult {
  if (text.length > MAX_CFG_CHARS) return { ok: false, error: `file too large (${text.length} characters, at most ${MAX_CFG_CHARS})` };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // A DTD can declare entities that expand without bound; no provisioning file needs one.
  if (/<!DOCTYPE/i.test(body)) return { ok: false, error: 'DOCTYPE declarations are not accepted' };
  const valid = options.cached ? true : validate(body, { allowBooleanAttributes: false });
  if (valid !== true) return { ok: false, error: `malformed XML at line ${valid.err.line}${valid.err.col ? `, column ${valid.err.col}` : ''}: ${valid.err.msg}` };
  let root: CfgElement[];
  try {
    root = toElements(parser.parse(body) as OrderedNode[]);
  } catch (e) {
    return { ok: false, error: `malformed XML: ${(e as Error).message}` };
  }
  if (root.length === 0) return { ok: false, error: 'malformed XML: no root element' };
  const attributes: CfgAttribute[] = [];
  flatten(root, attributes);
  return { ok: true, root, attributes };
}

/** Override files as the phone writes and uploads them: `<PHONE_CONFIG><OVERRIDES a.b="1" .../></PHONE_CONFIG>`. */
export function formatOverrides(values: ReadonlyMap<string, string> | Record<string, string>): string {
  const entries = values instanceof Map ? [...values.entries()] : Object.entries(values);
  const attrs = entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `\n    ${k}="${escapeXml(v)}"`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<PHONE_CONFIG>\n  <OVERRIDES${attrs}\n  />\n</PHONE_CONFIG>\n`;
}
