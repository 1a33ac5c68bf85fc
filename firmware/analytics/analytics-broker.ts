/**
 * The broker settings (our `analytics.broker.*` parameters) turned into a
 * socket and MQTT login. Refused settings are reported, never guessed at.
 */
import type { SocketConnectOptions } from '../../hal/contract';
import type { ParameterReader } from './analytics-enablement';

export const DEFAULT_MQTTS_PORT = 8883;

export interface BrokerSettings {
  connect: SocketConnectOptions;
  username: string;
  password: string;
  /** Shown on the status screen: host:port. */
  label: string;
}

/**
 * A PEM value from a .cfg attribute arrives with its line breaks turned into
 * spaces (XML attribute normalisation): put them back.
 */
export function normalisePem(value: string): string {
  const blocks = value.match(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g);
  if (!blocks) return '';
  return blocks.map((block) => {
    const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(block)!;
    const body = m[2].replace(/\s+/g, '');
    const lines = body.match(/.{1,64}/g) ?? [];
    return `-----BEGIN ${m[1]}-----\n${lines.join('\n')}\n-----END ${m[1]}-----\n`;
  }).join('');
}

/** The broker to use, or an error saying which setting is missing or wrong. */
export function brokerSettings(get: ParameterReader, mac: string): BrokerSettings | { error: string } {
  const url = (get('analytics.broker.url') ?? '').trim();
  if (!url) return { error: 'analytics.broker.url is empty' };
  const m = /^mqtts:\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(url);
  if (!m) return { error: `analytics.broker.url "${url}" is not mqtts://host[:port] (only TLS is allowed)` };
  const host = m[1].replace(/^\[|\]$/g, '');
  const port = m[2] ? Number(m[2]) : DEFAULT_MQTTS_PORT;
  if (port < 1 || port > 65535) return { error: `analytics.broker.url port ${port} is out of range` };
  const caPem = normalisePem(get('analytics.broker.caCert') ?? '');
  if (!caPem) return { error: 'analytics.broker.caCert holds no PEM certificate' };
  const certPem = normalisePem(get('analytics.broker.clientCert') ?? '');
  const keyPem = normalisePem(get('analytics.broker.clientKey') ?? '');
  if ((certPem === '') !== (keyPem === '')) return { error: 'analytics.broker.clientCert and analytics.broker.clientKey must be set together' };
  return {
    connect: { host, port, tls: { caPem, ...(certPem ? { certPem, keyPem } : {}) }, timeoutMs: 15000 },
    username: (get('analytics.broker.user') ?? '').trim() || mac,
    password: get('analytics.broker.password') ?? '',
    label: `${host}:${port}`,
  };
}
