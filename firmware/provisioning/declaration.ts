/**
 * The provisioning module's parameters (spec: "Provisioning Settings",
 * "Encryption", "Local Contact Directory"). `log.render.file` belongs to the
 * logs module; this module only reads it. Polling names and defaults follow
 * Polycom UC Software (`prov.polling.*`): off by default, once a day when on.
 * The server address and credentials are device settings (nvram): see
 * server-settings.ts; the `device.prov.*` parameters bring them from
 * configuration (settings/device-parameter-sync.ts).
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const provisioningDeclaration: ModuleDeclaration = {
  name: 'provisioning',
  // Uploads and errors go through configuration, the log and the screen.
  dependsOn: ['config', 'logs', 'ui', 'time'],
  parameters: [
    { name: 'feature.uploadDir.enabled', type: 'boolean', default: true, description: 'Upload the call lists and the directory (<MAC>-calls.xml, <MAC>-directory.xml) to the provisioning server for backup (0: never uploaded).' },
    { name: 'voIpProt.SIP.specialEvent.checkSync.downloadDirectory', type: 'boolean', default: false, description: '0: a checksync NOTIFY also downloads the directory files; 1: directory files only with configuration updates, restarts and reboots.' },
    { name: 'voIpProt.SIP.specialEvent.checkSync.downloadCallList', type: 'boolean', default: false, description: '1: a checksync NOTIFY downloads the logged-in user\'s call list (<user>-calls.xml); 0: it does not.' },
    { name: 'voIpProt.SIP.specialEvent.checkSync.alwaysReboot', type: 'boolean', default: false, description: '1: a checksync NOTIFY always reboots the phone (which then downloads every file); 0: it downloads the files and reboots only when a changed parameter needs it.' },
    { name: 'prov.polling.enabled', type: 'boolean', default: false, description: 'Poll the provisioning server for changed configuration and directory files periodically.' },
    { name: 'prov.polling.mode', type: 'enum', default: 'abs', values: ['abs', 'rel', 'random'], description: 'abs: poll every day at prov.polling.time; rel: every prov.polling.period seconds from boot; random: once per period at a time between prov.polling.time and prov.polling.timeRandomEnd, fixed per phone by its MAC.' },
    { name: 'prov.polling.period', type: 'integer', default: 86400, min: 3600, max: 2592000, description: 'Polling period in seconds (Polycom: integer > 3600; our maximum 30 days). abs and random round it up to whole days (polls on every Nth day; random: the day fixed per phone by its MAC); rel counts it from boot.' },
    { name: 'prov.polling.time', type: 'string', default: '03:00', maxLength: 5, description: 'Local time of day (hh:mm, 24 h) of the poll in abs mode, start of the window in random mode (UTC while the phone knows no time zone).' },
    { name: 'prov.polling.timeRandomEnd', type: 'string', default: '', maxLength: 5, description: 'End (hh:mm, exclusive) of the random-mode polling window that starts at prov.polling.time; before the start: the window runs over midnight; empty: no window (polls at prov.polling.time).' },
    { name: 'sec.encryption.upload.callLists', type: 'boolean', default: false, reboot: true, description: 'Upload <MAC>-calls.xml encrypted with device.sec.configEncryption.key (0: plain).' },
    { name: 'sec.encryption.upload.config', type: 'boolean', default: false, description: 'Upload the phone-specific configuration file encrypted (0: plain, replacing the file on the server).' },
    { name: 'sec.encryption.upload.dir', type: 'boolean', default: false, reboot: true, description: 'Upload <MAC>-directory.xml encrypted (0: plain, replacing the file on the server).' },
    { name: 'sec.encryption.upload.overrides', type: 'boolean', default: false, description: 'Upload the override files (<MAC>-phone.cfg, <MAC>-web.cfg) encrypted (0: plain).' },
    { name: 'device.sec.configEncryption.key', type: 'string', default: '', maxLength: 160, reboot: true, secret: true, description: 'Configuration encryption key "Crypt=1;KeyDesc=<name>;Key=<32 hex>;" (applied with device.sec.configEncryption.key.set=1; kept in device settings).' },
    { name: 'device.sec.configEncryption.key.set', type: 'boolean', default: false, description: 'Apply device.sec.configEncryption.key from configuration files.' },
    // Polycom device parameters for the provisioning server: adopted into device settings once per new value
    // (settings/device-parameter-sync.ts), with device.set not 0 and their own .set=1.
    { name: 'device.prov.serverName', type: 'string', default: '', maxLength: 255, description: 'Provisioning server: URL (http://, https://) or host[:port][/path] (applied with device.prov.serverName.set=1; a new value reboots the phone once, then provisions from it).' },
    { name: 'device.prov.serverName.set', type: 'boolean', default: false, description: 'Apply device.prov.serverName from configuration files.' },
    // Polycom's default is FTP; this phone provisions over HTTP(S) only, so its default is HTTP and FTP, TFTP, FTPS are refused.
    { name: 'device.prov.serverType', type: 'enum', default: 'HTTP', values: ['FTP', 'TFTP', 'HTTP', 'HTTPS', 'FTPS'], description: 'Protocol for a server name given without scheme: HTTP or HTTPS (FTP, TFTP, FTPS are refused with a log line; Polycom default FTP). Applied with device.prov.serverType.set=1.' },
    { name: 'device.prov.serverType.set', type: 'boolean', default: false, description: 'Apply device.prov.serverType from configuration files.' },
    { name: 'device.prov.user', type: 'string', default: '', maxLength: 255, description: 'User name for the provisioning server (applied with device.prov.user.set=1; Polycom default PlcmSpIp is for FTP).' },
    { name: 'device.prov.user.set', type: 'boolean', default: false, description: 'Apply device.prov.user from configuration files.' },
    { name: 'device.prov.password', type: 'string', default: '', maxLength: 255, secret: true, description: 'Password for the provisioning server (applied with device.prov.password.set=1; kept sealed in device settings).' },
    { name: 'device.prov.password.set', type: 'boolean', default: false, description: 'Apply device.prov.password from configuration files.' },
  ],
  dataClasses: [],
  screens: [
    { menu: ['Settings', 'Basic'], label: 'Clear Uploaded Calls/Directory', screen: 'clearUploaded', access: 'anyone' },
    { menu: ['Settings', 'Advanced'], label: 'Provisioning Server', screen: 'provisioningServer', access: 'admin' },
  ],
  deviceSettings: [
    { name: 'device.prov.serverName', description: 'Provisioning server base URL.' },
    { name: 'device.prov.user', description: 'User name for the provisioning server.' },
    { name: 'device.prov.password', secret: true, description: 'Password for the provisioning server.' },
    { name: 'device.prov.serverType', description: 'HTTP or HTTPS: the scheme of a server name given without one.' },
    { name: 'device.prov.timeoutMs', description: 'Timeout of one request to the provisioning server.' },
    { name: 'device.sec.TLS.customCaCert1', description: 'Custom CA certificate the phone trusts for HTTPS (public).' },
    { name: 'device.sec.configEncryption.key', secret: true, description: 'Configuration encryption key in force (adopted from configuration).' },
  ],
};
