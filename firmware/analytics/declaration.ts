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
  parameters: [
    { name: 'feature.da.enabled', type: 'boolean', default: false, reboot: true, description: 'Enable device analytics (0: disabled).' },
    { name: 'device.da.enabled.set', type: 'boolean', default: false, description: 'Use the device.da.enabled value (0: ignore it).' },
    { name: 'device.da.enabled', type: 'boolean', default: false, reboot: true, description: 'Enable the device analytics feature (applied only with device.da.enabled.set=1).' },
    { name: 'feature.lens.enabled', type: 'boolean', default: false, description: 'Enable the Poly Lens analytics service connection (spec examples; default not stated: off, analytics are opt-in).' },
    { name: 'feature.obitalk.enabled', type: 'boolean', default: false, reboot: true, description: 'Enable the connection to the OBiTALK cloud.' },
    { name: 'obitalk.accountCode', type: 'string', default: '', maxLength: 256, reboot: true, secret: true, description: 'OBiTALK account code (null by default).' },
    { name: 'da.supported.services', type: 'string', default: 'all', maxLength: 2048, items: ANALYTICS_SERVICES, reboot: true, description: 'Device analytics services to enable, comma-separated (all, sdi, ni, ..., cdr, ..., restapi).' },
    { name: 'deviceAnalytics.note', type: 'string', default: '', maxLength: 512, description: 'Self-note sent to the cloud with the primary device information message.' },
  ],
  dataClasses: [
    { storageClass: 'cdr', description: 'Call detail records for analytics (user, remote party, direction, times, call ids); a user\'s records are sealed under their key and erased at their logout, the phone\'s own stay', personal: true, partition: 'fs', perUser: true, removedBy: ['resetUserData', 'clearPersonalInfo', 'formatFileSystem', 'resetToFactory', 'resetToFactoryPartial', 'userLogout'] },
    { storageClass: 'analytics', description: 'Device analytics messages queued for upload', personal: true, partition: 'fs', perUser: false, removedBy: ['formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'] },
  ],
  screens: [],
};
