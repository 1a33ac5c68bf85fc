/**
 * The remote syslog settings in force, read in ONE place: `device.syslog.*`
 * are device settings (applied with their `.set` companions by the
 * device-settings machinery); this module reads them through the
 * configuration service like other `device.*` values, so when that
 * machinery moves where they live, only this function changes.
 */
export type SyslogTransport = 'None' | 'UDPOnly' | 'TCPOnly' | 'TLS';

export interface SyslogSettings {
  /** host, host:port or [v6]:port; '' = no remote syslog. */
  host: string;
  port: number;
  transport: SyslogTransport;
  /** RFC 5424 facility 0–23 (16 = local0). */
  facility: number;
  /** Lowest of our levels (0 debug … 6 fatal) sent to the server. */
  renderLevel: number;
  prependMac: boolean;
}

const DEFAULT_PORTS: Record<SyslogTransport, number> = { None: 0, UDPOnly: 514, TCPOnly: 514, TLS: 6514 };
const TRANSPORTS: SyslogTransport[] = ['None', 'UDPOnly', 'TCPOnly', 'TLS'];

export function readSyslogSettings(param: (name: string) => string | undefined): SyslogSettings {
  const t = param('device.syslog.transport') ?? 'UDPOnly';
  const transport = (TRANSPORTS as string[]).includes(t) ? t as SyslogTransport : 'UDPOnly';
  const { host, port } = splitServer(param('device.syslog.serverName') ?? '');
  const facility = Number(param('device.syslog.facility') ?? '16');
  const renderLevel = Number(param('device.syslog.renderLevel') ?? '6');
  return {
    host,
    port: port ?? DEFAULT_PORTS[transport],
    transport,
    facility: Number.isInteger(facility) && facility >= 0 && facility <= 23 ? facility : 16,
    renderLevel: Number.isInteger(renderLevel) && renderLevel >= 0 && renderLevel <= 6 ? renderLevel : 6,
    prependMac: (param('device.syslog.prependMac') ?? '1') === '1',
  };
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`; a bare IPv6 address has no port. */
export function splitServer(text: string): { host: string; port: number | null } {
  const s = text.trim();
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
  if (v6) return { host: v6[1], port: v6[2] ? Number(v6[2]) : null };
  const m = /^([^:]+):(\d{1,5})$/.exec(s);
  if (m && Number(m[2]) > 0 && Number(m[2]) < 65536) return { host: m[1], port: Number(m[2]) };
  return { host: s, port: null };
}
