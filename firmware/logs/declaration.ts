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
    { name: 'feature.usbLogging.enabled', type: 'boolean', default: false, description: 'Copy application and boot logs to a USB flash drive.' },
    ...levelParameters,
  ],
  dataClasses: [
    { storageClass: 'logs', description: 'app.log and boot.log (events, login attempts; GMT timestamps), the log redaction key, the clear-party window, the upload state', personal: true, partition: 'fs', perUser: false, removedBy: ['formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'], uploaded: { governedBy: 'log.render.file' } },
  ],
  screens: [],
};
