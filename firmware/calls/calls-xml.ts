/**
 * `<MAC>-calls.xml` / `<user>-calls.xml`: root `callList`, one `call` per
 * entry with the elements of the spec's table; parties carry `address` and
 * `name`. The reader is a small forgiving scanner, not a validating parser:
 * files from real servers may hold a bare `&`, unknown elements, or be cut
 * short. Each call stands alone: a call with a bad or missing element is
 * dropped with a problem line naming its number, the others are kept
 * (docs/calls.md, "Calls files from the server").
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

/**
 * `rendered`: each record's element as written before, for records that never
 * change (the recorder's stored copies): the calls file is uploaded after
 * every call, and writing 90 entries again each time was most of that in QuickJS.
 */
export function exportCallsXml(records: CallRecord[], rendered?: WeakMap<CallRecord, string>): string {
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n<callList>\n';
  for (const r of records) {
    let call = rendered?.get(r);
    if (call === undefined) {
      call = callElement(r);
      rendered?.set(r, call);
    }
    out += call;
  }
  return out + '</callList>\n';
}

function callElement(r: CallRecord): string {
  let out = '  <call>\n';
  out += `    <direction>${r.direction}</direction>\n    <disposition>${r.disposition}</disposition>\n`;
  out += `    <line>${r.line}</line>\n    <protocol>${r.protocol}</protocol>\n`;
  out += `    <startTime>${escapeXml(r.startTime)}</startTime>\n    <duration>${r.duration}</duration>\n    <count>${r.count}</count>\n`;
  out += party('destination', r.destination, '    ');
  out += party('source', r.source, '    ');
  for (const c of r.connections) out += party('connection', c, '    ');
  if (r.finalDestination) out += party('finalDestination', r.finalDestination, '    ');
  return out + '  </call>\n';
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
  /** `<call>` elements in the file (complete or not). */
  calls: number;
  /** Problems for the log: one line per dropped call (`call N: …`, N counted in file order from 1), one per kind of element ignored. */
  problems: string[];
}

/** A value from the file as a log line may show it: short printable ASCII quoted, anything else by its length. */
function shown(value: string): string {
  return /^[\x20-\x7e]{0,24}$/.test(value) ? `"${value}"` : `of ${value.length} characters`;
}

/** Element names a log line may show: names, not content, and bounded. */
function elementNames(names: Map<string, number>, where: string): string {
  const list = [...names.keys()].slice(0, 5).map((n) => `<${n.slice(0, 32)}>`).join(', ');
  return `${names.size === 1 ? 'element' : 'elements'} ${list}${names.size > 5 ? ', ...' : ''} ${where} ignored`;
}

/** Read a calls file. Never throws: a file that cannot be used at all comes back with no records and the reason. */
export function importCallsXml(text: string): CallsImport {
  const problems: string[] = [];
  if (text.length > MAX_CALLS_XML_BYTES) return { records: [], calls: 0, problems: [`calls file of ${text.length} bytes exceeds ${MAX_CALLS_XML_BYTES}: refused`] };
  const root = scan(text);
  if (!root) return { records: [], calls: 0, problems: [`calls file nests elements deeper than ${MAX_CALLS_XML_DEPTH} levels: refused`] };
  const list = root.children.find((n) => n.name === 'callList');
  if (!list) return { records: [], calls: 0, problems: ['no <callList> root element'] };
  if (!list.closed) problems.push('file ends before </callList> (truncated?): complete calls kept');
  const records: CallRecord[] = [];
  const strays = new Map<string, number>();
  const unknown = new Map<string, number>();
  let calls = 0;
  for (const node of list.children) {
    if (node.name !== 'call') {
      strays.set(node.name, (strays.get(node.name) ?? 0) + 1);
      continue;
    }
    const n = ++calls;
    if (!node.closed) {
      problems.push(`call ${n}: cut off: dropped`);
      continue;
    }
    for (const c of node.children) if (!KNOWN.has(c.name)) unknown.set(c.name, (unknown.get(c.name) ?? 0) + 1);
    const r = toRecord(node);
    if (typeof r === 'string') problems.push(`call ${n}: ${r}: dropped`);
    else records.push(r);
  }
  if (strays.size) problems.push(elementNames(strays, 'in <callList>'));
  if (unknown.size) problems.push(elementNames(unknown, 'in <call>'));
  return { records, calls, problems };
}

const KNOWN = new Set(['direction', 'disposition', 'line', 'protocol', 'startTime', 'duration', 'count', 'destination', 'source', 'connection', 'connections', 'finalDestination']);

/**
 * One `<call>` as a record, or why it is dropped: a required element missing
 * (direction, the remote party's address, startTime) or any element with a
 * value the spec does not allow. Optional elements left out take their
 * defaults (Normal, line 1, SIP, PT0S, count 1).
 */
function toRecord(call: XmlNode): CallRecord | string {
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

  const direction = value('direction');
  if (direction === undefined) return 'no direction';
  if (direction !== 'In' && direction !== 'Out') return `direction ${shown(direction)} is not In or Out`;
  const disposition = value('disposition') ?? 'Normal';
  if (!DISPOSITIONS.includes(disposition as Disposition)) return `disposition ${shown(disposition)} unknown`;
  const destination = partyOf(call.children.find((c) => c.name === 'destination'), call.attrs.destination);
  const source = partyOf(call.children.find((c) => c.name === 'source'), call.attrs.source);
  const remote = direction === 'Out' ? destination : source;
  if (!remote || !remote.address) return `no ${direction === 'Out' ? 'destination' : 'source'} address`;
  const startTime = value('startTime');
  if (startTime === undefined) return 'no startTime';
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(startTime)) return `startTime ${shown(startTime)} is not YYYY-MM-DDTHH:MM:SS`;
  const duration = value('duration') ?? 'PT0S';
  if (parseIsoDuration(duration) === null) return `duration ${shown(duration)} is not an ISO-8601 PT…S duration`;
  const lineText = value('line') ?? '1';
  const line = Number(lineText);
  if (!/^\d{1,3}$/.test(lineText) || line < 1) return `line ${shown(lineText)} is not a line number`;
  const countText = value('count') ?? '1';
  const count = Number(countText);
  if (!/^\d{1,6}$/.test(countText) || count < 1) return `count ${shown(countText)} is not a positive number`;
  const protocol = value('protocol') ?? 'SIP';
  if (protocol !== 'SIP' && protocol !== 'H323') return `protocol ${shown(protocol)} is not SIP or H323`;
  const connections: CallParty[] = [];
  for (const c of call.children) {
    if (c.name === 'connection') connections.push(partyOf(c)!);
    if (c.name === 'connections') for (const p of c.children) connections.push(partyOf(p)!);
  }
  const finalDestination = partyOf(call.children.find((c) => c.name === 'finalDestination'), call.attrs.finalDestination);
  return {
    seq: 0,
    direction,
    disposition: disposition as Disposition,
    line,
    protocol,
    startTime: startTime.slice(0, 19),
    duration,
    count: Math.min(count, 9999),
    destination: destination ?? { address: '', name: '' },
    source: source ?? { address: '', name: '' },
    connections: connections.slice(0, 16),
    ...(finalDestination ? { finalDestination } : {}),
  };
}
