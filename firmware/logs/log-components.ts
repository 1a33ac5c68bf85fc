/**
 * The components that log, each with its `log.level.change.<component>`
 * parameter (declared in ./declaration.ts from this list). A module that
 * logs under a new component id adds it here.
 */
import type { LogLevel } from '../kernel/logger';

export interface LogComponent {
  /** Component id as written in log lines (1–5 characters). */
  id: string;
  description: string;
}

export const LOG_COMPONENTS: readonly LogComponent[] = [
  { id: 'sys', description: 'boot, kernel, event guards' },
  { id: 'store', description: 'flash store' },
  { id: 'cfg', description: 'configuration service' },
  { id: 'prov', description: 'provisioning client and uploads' },
  { id: 'auth', description: 'passwords and login attempts' },
  { id: 'login', description: 'user profiles' },
  { id: 'ui', description: 'screens and menus' },
  { id: 'calls', description: 'calls, call lists, CDR' },
  { id: 'dir', description: 'directory' },
  { id: 'sip', description: 'SIP line and its message dumps (debug level)' },
  { id: 'logs', description: 'the log files, uploads and USB copies' },
  { id: 'reset', description: 'resets' },
  { id: 'da', description: 'device analytics' },
  { id: 'sntp', description: 'time: SNTP client, time zone' },
  { id: 'updt', description: 'firmware updater: application image, A/B slots' },
];

/** Default threshold of every component: info and above (debug, e.g. SIP message dumps, is off). */
export const DEFAULT_LOG_LEVEL: LogLevel = 1;

export function levelParameter(component: string): string {
  return `log.level.change.${component}`;
}
