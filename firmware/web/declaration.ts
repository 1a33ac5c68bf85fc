/**
 * The web interface's declaration (Web Configuration Utility): the `httpd.*`
 * switches as Polycom UC Software documents them, the provisioned device
 * certificate, and the data class of the server's certificate and key.
 * Defaults and ranges are Polycom's except where a comment says they are
 * this firmware's choice (docs/web-interface.md).
 */
import type { ModuleDeclaration } from '../kernel/declaration';
import { WEB_KEY_PREFIX } from './device-certificate';

export const webDeclaration: ModuleDeclaration = {
  name: 'web',
  dependsOn: ['config', 'logs', 'ui', 'login', 'calls', 'directory', 'reset'],
  parameters: [
    { name: 'httpd.enabled', type: 'boolean', default: true, description: 'Enable the phone\'s web server (0: nothing listens).' },
    { name: 'httpd.cfg.enabled', type: 'boolean', default: true, description: 'Enable the Web Configuration Utility (0: the server answers every page with 403).' },
    { name: 'httpd.cfg.port', type: 'integer', default: 80, min: 1, max: 65535, description: 'Port of the plain HTTP listener (redirects to HTTPS while the secure tunnel is on).' },
    { name: 'httpd.cfg.secureTunnelEnabled', type: 'boolean', default: true, description: 'Serve the Web Configuration Utility over HTTPS.' },
    { name: 'httpd.cfg.secureTunnelPort', type: 'integer', default: 443, min: 1, max: 65535, description: 'Port of the HTTPS listener.' },
    { name: 'httpd.cfg.secureTunnelRequired', type: 'boolean', default: false, description: 'Allow access only over HTTPS: plain HTTP redirects to HTTPS (forces HTTPS on even with secureTunnelEnabled=0).' },
    // This firmware's own parameter (Polycom documents none): minutes without a request before a web session ends.
    { name: 'httpd.cfg.sessionTimeout', type: 'integer', default: 10, min: 1, max: 480, description: 'Minutes without a request after which a web session ends and the browser must log in again.' },
    { name: 'device.sec.TLS.customDeviceCert1.publicCert', type: 'string', default: '', maxLength: 12288, description: 'Device certificate (PEM) served by the web server instead of the self-signed one (applied with its .set=1, together with the private key).' },
    { name: 'device.sec.TLS.customDeviceCert1.privateKey', type: 'string', default: '', maxLength: 8192, secret: true, description: 'Private key (PEM, PKCS#8 P-256) of the device certificate; kept only in the crypto device.' },
    // Polycom gates the pair with one device.sec.TLS.customDeviceCert1.set; this firmware's config service gates each device.* by its own .set.
    { name: 'device.sec.TLS.customDeviceCert1.publicCert.set', type: 'boolean', default: false, description: 'Apply device.sec.TLS.customDeviceCert1.publicCert from configuration files.' },
    { name: 'device.sec.TLS.customDeviceCert1.privateKey.set', type: 'boolean', default: false, description: 'Apply device.sec.TLS.customDeviceCert1.privateKey from configuration files.' },
  ],
  dataClasses: [
    // The web server's certificate (public, nvram) and its key in the crypto device: removed with the custom certificates.
    { storageClass: 'certificates', description: 'Web server certificate (self-signed or provisioned) and its key in the crypto device', personal: false, partition: 'nvram', perUser: false, removedBy: ['resetDeviceSettings', 'resetToFactory', 'resetToFactoryPartial'], deviceKeys: [WEB_KEY_PREFIX] },
  ],
  screens: [],
};
