/**
 * One log record as an RFC 5424 syslog message:
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG`.
 * PRI = facility × 8 + severity; TIMESTAMP in UTC with milliseconds;
 * HOSTNAME the phone's MAC; APP-NAME the model; MSGID the log component;
 * MSG the line's text exactly as logged locally — already redacted.
 */
import type { LogRecord } from '../kernel/logger';

/** Our levels 0 debug … 6 fatal → syslog severities (7 debug … 0 emergency), as Polycom maps its render levels. */
export const SYSLOG_SEVERITY = [7, 6, 5, 4, 3, 2, 0] as const;

/** Longest MSG sent (characters): a message stays within one UDP datagram receivers must take (RFC 5426: 2048 bytes, UTF-8 up to 4 bytes a character would exceed it; rsyslog's default is 8 KB). */
export const MAX_MSG_CHARS = 1900;

export interface SyslogIdentity {
  /** 12 hex digits. */
  mac: string;
  /** APP-NAME (printable US-ASCII, ≤ 48). */
  appName: string;
}

export function formatSyslogMessage(r: LogRecord, facility: number, id: SyslogIdentity, prependMac: boolean): string {
  const pri = facility * 8 + SYSLOG_SEVERITY[r.level];
  const msgid = printable(r.component, 32) || '-';
  let text = r.missed > 0 ? `(${r.missed} missed) ${r.text}` : r.text;
  if (prependMac) text = `${id.mac}: ${text}`;
  if (text.length > MAX_MSG_CHARS) text = `${text.slice(0, MAX_MSG_CHARS)}…`;
  return `<${pri}>1 ${new Date(r.time).toISOString()} ${printable(id.mac, 255) || '-'} ${printable(id.appName, 48) || '-'} - ${msgid} - ${text.replace(/[\r\n]+/g, ' ')}`;
}

/** RFC 5424 header fields: printable US-ASCII without spaces. */
function printable(s: string, max: number): string {
  return s.replace(/[^\x21-\x7e]/g, '').slice(0, max);
}
