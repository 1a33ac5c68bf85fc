/**
 * Application and boot logs (spec: "Provisioning Settings", "Download Logs",
 * "Uploading Logs to a USB Flash Drive", "USB Logging Parameter", "How
 * Personal Data is Deleted"). Behaviour: ./logs-module.ts; docs/logging.md.
 */
import type { ModuleDeclaration, ParameterDeclaration } from '../kernel/declaration';
import { CLEAR_PARTY_MAX_HOURS } from './clear-party-window';
import { DEFAULT_LOG_LEVEL, LOG_COMPONENTS, levelParameter } from './log-components';

const levelParameters: ParameterDeclaration[] = LOG_COMPONENTS.map((c) => ({
  name: levelParameter(c.id),
  type: 'integer',
  default: DEFAULT_LOG_LEVEL,
  min: 0,
  max: 6,
  description: `Lowest level logged for component ${c.id} (${c.description}): 0 debug, 1 info, 2 notice, 3 warning, 4 error, 5 critical, 6 fatal.`,
}));

export const logsDeclaration: ModuleDeclaration = {
  name: 'logs',
  // Configuration first: log levels and redaction apply to everything after.
  dependsOn: ['config'],
  parameters: [
    { name: 'log.render.file', type: 'boolean', default: true, description: 'Upload device logs to the provisioning server (0: never uploaded).' },
    { name: 'log.render.file.size', type: 'integer', default: 32, min: 1, max: 180, description: 'Log file size limit in KB; reaching it rotates the file and uploads/copies the logs (to USB with feature.usbLogging.enabled).' },
    { name: 'log.render.file.upload.period', type: 'integer', default: 172800, min: 0, max: 2147483647, description: 'Seconds between periodic log uploads/copies (0: only on size limit).' },
    { name: 'log.render.file.upload.append', type: 'boolean', default: true, description: 'Append to the log files on the server (0: replace them).' },
    { name: 'log.render.file.upload.append.sizeLimit', type: 'integer', default: 512, min: 1, max: 10240, description: 'Size limit of an appended server log file, KB.' },
    { name: 'log.render.file.upload.append.limitMode', type: 'enum', default: 'delete', values: ['delete', 'stop'], description: 'At the server size limit: delete the file and start over, or stop appending.' },
    { name: 'log.render.file.count', type: 'integer', default: 4, min: 1, max: 16, description: 'Files kept per log (the current one and rotated ones); the oldest is deleted first when a rotation exceeds it.' },
    // Not in the spec: party data is redacted in every component; this is the admin's only way to see it, for a bounded time.
    { name: 'log.clearParty.hours', type: 'integer', default: 0, min: 0, max: CLEAR_PARTY_MAX_HOURS, description: 'Hours during which phone numbers, SIP users, display names and user IDs are logged in clear, counted from the change to this value (0: redacted by keyed-hash tokens in every component). Ends by itself, also across reboots; the status screen shows it while on. Not in the spec: project parameter.' },
    { name: 'log.render.messageBodies', type: 'boolean', default: false, description: 'Keep message bodies (SDP, instant-message text) in SIP message dumps (0: bodies replaced by their size).' },
    { name: 'log.render.level', type: 'integer', default: 1, min: 0, max: 6, description: 'Lowest level rendered to the log files and remote syslog, a floor under every log.level.change.<component>: 0 debug, 1 info, 2 notice, 3 warning, 4 error, 5 critical, 6 fatal.' },
    { name: 'device.syslog.serverName', type: 'string', default: '', maxLength: 255, description: 'Remote syslog server: host or IP, optionally :port (default port 514; 6514 for TLS); empty: no remote syslog (device setting, applied with device.syslog.serverName.set=1).' },
    { name: 'device.syslog.transport', type: 'enum', default: 'UDPOnly', values: ['None', 'UDPOnly', 'TCPOnly', 'TLS'], description: 'Transport to the syslog server: None (off), UDPOnly, TCPOnly (octet-counted frames), TLS (RFC 5425; server certificate checked against device.sec.TLS.customCaCert1).' },
    { name: 'device.syslog.facility', type: 'integer', default: 16, min: 0, max: 23, description: 'Syslog facility of the messages (RFC 5424; 16 = local0).' },
    { name: 'device.syslog.renderLevel', type: 'integer', default: 6, min: 0, max: 6, description: 'Lowest level sent to the syslog server: 0 debug, 1 info, 2 notice, 3 warning, 4 error, 5 critical, 6 fatal (sent as syslog severities 7, 6, 5, 4, 3, 2, 0).' },
    { name: 'device.syslog.prependMac', type: 'boolean', default: true, description: 'Start each syslog message text with the phone\'s MAC address (the HOSTNAME field carries it too).' },
    { name: 'device.syslog.serverName.set', type: 'boolean', default: false, description: 'Apply device.syslog.serverName from configuration files.' },
    { name: 'device.syslog.transport.set', type: 'boolean', default: false, description: 'Apply device.syslog.transport from configuration files.' },
    { name: 'device.syslog.facility.set', type: 'boolean', default: false, description: 'Apply device.syslog.facility from configuration files.' },
    { name: 'device.syslog.renderLevel.set', type: 'boolean', default: false, description: 'Apply device.syslog.renderLevel from configuration files.' },
    { name: 'device.syslog.prependMac.set', type: 'boolean', default: false, description: 'Apply device.syslog.prependMac from configuration files.' },
    { name: 'feature.usbLogging.enabled', type: 'boolean', default: false, description: 'Copy application and boot logs to a USB flash drive.' },
    ...levelParameters,
  ],
  dataClasses: [
    { storageClass: 'logs', description: 'app.log and boot.log (events, login attempts; GMT timestamps), the log redaction key, the clear-party window, the upload state', personal: true, partition: 'fs', perUser: false, removedBy: ['formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'], uploaded: { governedBy: 'log.render.file' } },
  ],
  screens: [],
};
