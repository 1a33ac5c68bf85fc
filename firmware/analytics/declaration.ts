/**
 * Device analytics (spec: "Device Analytics Settings", "Call Data Record").
 * Off unless an admin enables it; nothing is sent before that.
 */
import type { ModuleDeclaration } from '../kernel/declaration';

/** Services `da.supported.services` may list (spec: comma-separated, ≤ 2048 characters). */
export const ANALYTICS_SERVICES = [
  'all', 'sdi', 'ni', 'service', 'tsid', 'pcap', 'log', 'config', 'core', 'vqmon', 'cdr', 'uptimeanalytics',
  'hardwareanalytics', 'uianalytics', 'blf', 'sca', 'restart', 'reboot', 'resettofactory', 'restapi',
];

export const analyticsDeclaration: ModuleDeclaration = {
  name: 'analytics',
  dependsOn: ['config', 'logs', 'calls'],
  parameters: [
    { name: 'feature.da.enabled', type: 'boolean', default: false, reboot: true, description: 'Enable device analytics (0: disabled).' },
    { name: 'device.da.enabled.set', type: 'boolean', default: false, description: 'Use the device.da.enabled value (0: ignore it).' },
    { name: 'device.da.enabled', type: 'boolean', default: false, reboot: true, description: 'Enable the device analytics feature (applied only with device.da.enabled.set=1).' },
    { name: 'feature.lens.enabled', type: 'boolean', default: false, description: 'Enable the Poly Lens analytics service connection (spec examples; default not stated: off, analytics are opt-in).' },
    { name: 'feature.obitalk.enabled', type: 'boolean', default: false, reboot: true, description: 'Enable the connection to the OBiTALK cloud.' },
    { name: 'obitalk.accountCode', type: 'string', default: '', maxLength: 256, reboot: true, secret: true, description: 'OBiTALK account code (null by default).' },
    { name: 'da.supported.services', type: 'string', default: 'all', maxLength: 2048, items: ANALYTICS_SERVICES, reboot: true, description: 'Device analytics services to enable, comma-separated (all, sdi, ni, ..., cdr, ..., restapi).' },
    { name: 'deviceAnalytics.note', type: 'string', default: '', maxLength: 512, description: 'Self-note sent to the cloud with the primary device information message.' },
    // Ours: the customer's MQTT broker (docs/analytics.md). Read at each connection: no reboot needed.
    { name: 'analytics.broker.url', type: 'string', default: '', maxLength: 512, description: 'MQTT broker of the device analytics, mqtts://host[:port] (TLS only; port 8883 by default). Empty: nothing is sent.' },
    { name: 'analytics.broker.caCert', type: 'string', default: '', maxLength: 16384, description: 'PEM CA certificate(s) the broker certificate must chain to (required: there is no built-in trust).' },
    { name: 'analytics.broker.clientCert', type: 'string', default: '', maxLength: 16384, description: 'PEM client certificate presented to the broker (optional).' },
    { name: 'analytics.broker.clientKey', type: 'string', default: '', maxLength: 16384, secret: true, description: 'PEM private key of analytics.broker.clientCert.' },
    { name: 'analytics.broker.user', type: 'string', default: '', maxLength: 128, description: 'MQTT user name (empty: the phone MAC address).' },
    { name: 'analytics.broker.password', type: 'string', default: '', maxLength: 256, secret: true, description: 'MQTT password of analytics.broker.user.' },
    { name: 'analytics.topicPrefix', type: 'string', default: 'phones', maxLength: 128, description: 'Topic tree of the phones: messages go to <prefix>/<MAC>/<service>.' },
    { name: 'analytics.queue.maxMessages', type: 'integer', default: 100, min: 1, max: 400, description: 'Messages kept on flash while the broker is unreachable; past it the oldest are dropped (and counted).' },
    { name: 'analytics.healthPeriod', type: 'integer', default: 24, min: 1, max: 168, description: 'Hours between uptime and hardware analytics messages.' },
    { name: 'analytics.cdr.remotePartyInClear', type: 'boolean', default: false, description: 'Send the CDR remote party address in clear (0: a keyed-hash pseudonym).' },
  ],
  dataClasses: [
    { storageClass: 'cdr', description: 'Call detail records for analytics (user, remote party, direction, times, call ids); a user\'s records are sealed under their key and erased at their logout, the phone\'s own stay', personal: true, partition: 'fs', perUser: true, removedBy: ['resetUserData', 'clearPersonalInfo', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial', 'userLogout'] },
    { storageClass: 'analytics', description: 'Device analytics messages queued for upload', personal: true, partition: 'fs', perUser: false, removedBy: ['formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'] },
  ],
  screens: [
    // A page of Settings > Status (opened from its soft key).
    { menu: ['Settings', 'Status'], label: 'Analytics', screen: 'analytics-status', access: 'anyone' },
  ],
};
