/**
 * The provisioning module's parameters (spec: "Provisioning Settings",
 * "Encryption", "Local Contact Directory"). `log.render.file` belongs to the
 * logs module; this module only reads it. Polling names and defaults follow
 * Polycom UC Software (`prov.polling.*`): off by default, once a day when on.
 * The server address and credentials are device settings (nvram), not
 * parameters: see server-settings.ts.
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const provisioningDeclaration: ModuleDeclaration = {
  name: 'provisioning',
  // Uploads and errors go through configuration, the log and the screen.
  dependsOn: ['config', 'logs', 'ui'],
  parameters: [
    { name: 'feature.uploadDir.enabled', type: 'boolean', default: true, description: 'Upload the call lists and the directory (<MAC>-calls.xml, <MAC>-directory.xml) to the provisioning server for backup (0: never uploaded).' },
    { name: 'voIpProt.SIP.specialEvent.checkSync.downloadDirectory', type: 'boolean', default: false, description: '0: a checksync NOTIFY also downloads the directory files; 1: directory files only with configuration updates, restarts and reboots.' },
    { name: 'voIpProt.SIP.specialEvent.checkSync.downloadCallList', type: 'boolean', default: false, description: '1: a checksync NOTIFY downloads the logged-in user\'s call list (<user>-calls.xml); 0: it does not.' },
    { name: 'prov.polling.enabled', type: 'boolean', default: false, description: 'Poll the provisioning server for changed configuration and directory files periodically.' },
    { name: 'prov.polling.period', type: 'integer', default: 86400, min: 60, max: 2592000, description: 'Seconds between two polls of the provisioning server (prov.polling.enabled=1).' },
    { name: 'sec.encryption.upload.callLists', type: 'boolean', default: false, reboot: true, description: 'Upload <MAC>-calls.xml encrypted with device.sec.configEncryption.key (0: plain).' },
    { name: 'sec.encryption.upload.config', type: 'boolean', default: false, description: 'Upload the phone-specific configuration file encrypted (0: plain, replacing the file on the server).' },
    { name: 'sec.encryption.upload.dir', type: 'boolean', default: false, reboot: true, description: 'Upload <MAC>-directory.xml encrypted (0: plain, replacing the file on the server).' },
    { name: 'sec.encryption.upload.overrides', type: 'boolean', default: false, description: 'Upload the override files (<MAC>-phone.cfg, <MAC>-web.cfg) encrypted (0: plain).' },
    { name: 'device.sec.configEncryption.key', type: 'string', default: '', maxLength: 160, reboot: true, secret: true, description: 'Configuration encryption key "Crypt=1;KeyDesc=<name>;Key=<32 hex>;" (applied with device.sec.configEncryption.key.set=1; kept in device settings).' },
    { name: 'device.sec.configEncryption.key.set', type: 'boolean', default: false, description: 'Apply device.sec.configEncryption.key from configuration files.' },
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
    { name: 'device.prov.timeoutMs', description: 'Timeout of one request to the provisioning server.' },
    { name: 'device.sec.TLS.customCaCert1', description: 'Custom CA certificate the phone trusts for HTTPS (public).' },
    { name: 'device.sec.configEncryption.key', secret: true, description: 'Configuration encryption key in force (adopted from configuration).' },
  ],
};
