/**
 * Application and boot logs (spec: "Provisioning Settings", "Download Logs",
 * "Uploading Logs to a USB Flash Drive").
 */
import type { ModuleDeclaration } from '../kernel/declaration';

export const logsDeclaration: ModuleDeclaration = {
  name: 'logs',
  parameters: [
    { name: 'log.render.file', type: 'boolean', default: true, description: 'Upload device logs to the provisioning server (0: never uploaded).' },
    { name: 'log.render.file.size', type: 'integer', default: 32, min: 1, max: 180, description: 'Log file size limit in KB; reaching it uploads/copies the logs (to USB with feature.usbLogging.enabled).' },
    { name: 'log.render.file.upload.period', type: 'integer', default: 172800, min: 0, max: 2147483647, description: 'Seconds between periodic log uploads/copies (0: only on size limit).' },
    { name: 'log.render.file.upload.append', type: 'boolean', default: true, description: 'Append to the log files on the server (0: replace them).' },
    { name: 'log.render.file.upload.append.sizeLimit', type: 'integer', default: 512, min: 1, max: 10240, description: 'Size limit of an appended server log file, KB.' },
    { name: 'log.render.file.upload.append.limitMode', type: 'enum', default: 'delete', values: ['delete', 'stop'], description: 'At the server size limit: delete the file and start over, or stop appending.' },
    { name: 'feature.usbLogging.enabled', type: 'boolean', default: false, description: 'Copy application and boot logs to a USB flash drive.' },
  ],
  dataClasses: [
    { storageClass: 'logs', description: 'app.log and boot.log (events, login attempts; GMT timestamps)', personal: true, perUser: false, removedBy: ['formatFileSystem', 'resetToFactory', 'resetToFactoryPartial'], uploaded: { governedBy: 'log.render.file' } },
  ],
  screens: [],
};
