/**
 * `<MAC>-calls.xml` / `<user>-calls.xml`: root `callList`, one `call` per
 * entry with the elements of the spec's table; parties carry `address` and
 * `name`. The reader is a small forgiving scanner, not a validating parser:
 * files from real servers may hold a bare `&`, unknown elements, or be cut
 * short. Each problem is reported; calls that make sense are kept.
 */
import { escapeXml } from '../kernel/xml-escape';
import { DISPOSITIONS, parseIsoDuration, type CallParty, type CallRecord, type Disposition } from './call-record';

/** Larger files are refused whole (the phone keeps at most 3 × 30 entries; 256 KB is far more than that needs). */
export const MAX_CALLS_XML_BYTES = 256 * 1024;

/**
 * Files nesting elements deeper are refused whole: a calls file needs 5 levels
 * (callList > call > connections > connection > address); thousands of nested
 * elements are not a call list, and would cost the scanner time per close tag.
 */
export const MAX_CALLS_XML_DEPTH = 16;

function party(tag: string, p: CallParty, indent: string): string {
  return `${indent}<${tag}><address>${escapeXml(p.address)}</address><name>${escapeXml(p.name)}</name></${tag}>\n`;
}

export function exportCallsXml(records: CallRecord[]): string {
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n<callList>\n';
  for (const r of records) {
    out += '  <call>\n';
    out += `    <direction>${r.direction}</direction>\n    <disposition>${r.disposition}</disposition>\n`;
    out += `    <line>${r.line}</line>\n    <protocol>${r.protocol}</protocol>\n`;
    out += `    <startTime>${escapeXml(r.startTime)}</startTime>\n    <duration>${r.duration}</duration>\n    <count>${r.count}</count>\n`;
    out += party('destination', r.destination, '    ');
    out += party('source', r.source, '    ');
    for (const c of r.connections) out += party('connection', c, '    ');
    if (r.finalDestination) out += party('finalDestination', r.finalDestination, '    ');
    out += '  </call>\n';
  }
  return out + '</callList>\n';
}

interface XmlNode { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string; closed: boolean }

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Known entities decoded; anything else (a bare `&`) kept as written. */
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

/**
 * Scan elements into a tree. Tolerates bare `&`, stray close tags and a
 * cut-off end (open elements stay `closed: false`). Null when elements nest
 * deeper than MAX_CALLS_XML_DEPTH.
 */
function scan(text: string): XmlNode | null {
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '', closed: false };
  const stack: XmlNode[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<![^>]*>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(text))) {
    const top = stack[stack.length - 1];
    top.text += decode(text.slice(last, m.index));
    last = tag.lastIndex;
    if (m[5] !== undefined) { top.text += m[5]; continue; }
    if (!m[2]) continue; // comment, declaration, doctype
    if (m[1]) {
      let at = stack.length - 1;
      while (at > 0 && stack[at].name !== m[2]) at--;
      if (at > 0) {
        stack[at].closed = true;
        stack.length = at;
      }
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decode(a[2] ?? a[3] ?? '');
    const node: XmlNode = { name: m[2], attrs, children: [], text: '', closed: m[4] === '/' };
    top.children.push(node);
    // The stack holds the root too: MAX_CALLS_XML_DEPTH elements make it one longer.
    if (!node.closed && stack.push(node) > MAX_CALLS_XML_DEPTH + 1) return null;
  }
  return root;
}

export interface CallsImport {
  records: CallRecord[];
  /** One line per problem found (for the log). */
  problems: string[];
}

/** Read a calls file. Never throws: a file that cannot be used at all comes back with no records and the reason. */
export function importCallsXml(text: string): CallsImport {
  const problems: string[] = [];
  if (text.length > MAX_CALLS_XML_BYTES) return { records: [], problems: [`calls file of ${text.length} bytes exceeds ${MAX_CALLS_XML_BYTES}: refused`] };
  const root = scan(text);
  if (!root) return { records: [], problems: [`calls file nests elements deeper than ${MAX_CALLS_XML_DEPTH} levels: refused`] };
  const list = root.children.find((n) => n.name === 'callList');
  if (!list) return { records: [], problems: ['no <callList> root element'] };
  if (!list.closed) problems.push('file ends before </callList> (truncated?): complete calls kept');
  const records: CallRecord[] = [];
  list.children.forEach((node, i) => {
    if (node.name !== 'call') {
      problems.push(`element <${node.name}> in <callList> ignored`);
      return;
    }
    if (!node.closed) {
      problems.push(`call ${i + 1} is cut off: ignored`);
      return;
    }
    const r = toRecord(node, (p) => problems.push(`call ${i + 1}: ${p}`));
    if (r) records.push(r);
  });
  return { records, problems };
}

const KNOWN = new Set(['direction', 'disposition', 'line', 'protocol', 'startTime', 'duration', 'count', 'destination', 'source', 'connection', 'connections', 'finalDestination']);

function toRecord(call: XmlNode, problem: (p: string) => void): CallRecord | null {
  // Elements or attributes of <call>: the spec allows either, in any order.
  const value = (name: string): string | undefined => {
    const el = call.children.find((c) => c.name === name);
    return el ? el.text.trim() : call.attrs[name];
  };
  const partyOf = (node: XmlNode | undefined, attr?: string): CallParty | undefined => {
    if (!node) return attr !== undefined ? { address: attr, name: '' } : undefined;
    const address = node.children.find((c) => c.name === 'address')?.text.trim() ?? node.attrs.address ?? node.text.trim();
    const name = node.children.find((c) => c.name === 'name')?.text.trim() ?? node.attrs.name ?? '';
    return { address: address.slice(0, 256), name: name.slice(0, 128) };
  };
  for (const c of call.children) if (!KNOWN.has(c.name)) problem(`unknown element <${c.name}> ignored`);

  const direction = value('direction');
  if (direction !== 'In' && direction !== 'Out') {
    problem(`direction "${direction ?? ''}" is not In or Out: call ignored`);
    return null;
  }
  let disposition = (value('disposition') ?? 'Normal') as Disposition;
  if (!DISPOSITIONS.includes(disposition)) {
    problem(`disposition "${disposition}" unknown: Normal assumed`);
    disposition = 'Normal';
  }
  const destination = partyOf(call.children.find((c) => c.name === 'destination'), call.attrs.destination);
  const source = partyOf(call.children.find((c) => c.name === 'source'), call.attrs.source);
  const remote = direction === 'Out' ? destination : source;
  if (!remote || !remote.address) {
    problem(`no ${direction === 'Out' ? 'destination' : 'source'} address: call ignored`);
    return null;
  }
  const connections: CallParty[] = [];
  for (const c of call.children) {
    if (c.name === 'connection') connections.push(partyOf(c)!);
    if (c.name === 'connections') for (const p of c.children) connections.push(partyOf(p)!);
  }
  const startTime = value('startTime') ?? '';
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(startTime)) problem(`startTime "${startTime}" is not YYYY-MM-DDTHH:MM:SS`);
  const duration = value('duration') ?? 'PT0S';
  const line = Number(value('line') ?? '1');
  const count = Number(value('count') ?? '1');
  const finalDestination = partyOf(call.children.find((c) => c.name === 'finalDestination'), call.attrs.finalDestination);
  return {
    seq: 0,
    direction,
    disposition,
    line: Number.isInteger(line) && line > 0 ? line : 1,
    protocol: value('protocol') === 'H323' ? 'H323' : 'SIP',
    startTime: startTime.slice(0, 19),
    duration: parseIsoDuration(duration) === null ? 'PT0S' : duration,
    count: Number.isInteger(count) && count > 0 ? Math.min(count, 9999) : 1,
    destination: destination ?? { address: '', name: '' },
    source: source ?? { address: '', name: '' },
    connections: connections.slice(0, 16),
    ...(finalDestination ? { finalDestination } : {}),
  };
}
