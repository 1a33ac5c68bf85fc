/**
 * The logs module at boot: the logger's flash sink (boot.log during the boot
 * phase, app.log after), per-component levels from configuration,
 * redaction, uploads and USB copies on rotation and every
 * `log.render.file.upload.period` seconds, the log package, and remote
 * syslog (`device.syslog.*`: syslog-forwarder.ts). `log.render.level` is a
 * floor under every component's level (Polycom: the lowest level rendered
 * to the log files and syslog).
 * docs/logging.md describes the behaviour; ./declaration.ts the parameters.
 *
 * The boot phase ends at the first provisioning cycle (or BOOT_PHASE_MS
 * after boot without one); after the first cycle that provisions the phone
 * without rebooting it, boot.log is uploaded (this module is the one owner
 * of log uploads).
 */
import type { Kernel } from '../kernel/kernel';
import type { LogLevel } from '../kernel/logger';
import type { FirmwareModule } from '../kernel/module-registry';
import type { FileStore } from '../storage/file-store';
import { logsDeclaration } from './declaration';
import { LOG_COMPONENTS, levelParameter } from './log-components';
import { LogFlashWriter } from './log-flash-writer';
import { buildLogPackage } from './log-package';
import { LogRedactor, type RedactionSettings } from './log-redaction';
import { LogUploader, type UploadOutcome } from './log-upload';
import { loadRedactionKey, REDACTION_KEY_PATH } from './redaction-key';
import { ClearPartyWindow, CLEAR_PARTY_PARAMETER } from './clear-party-window';
import { RotatingLogFile, type LogLimits, type LogName } from './rotating-log-file';
import { UsbLogCopier, type UsbCopyOutcome } from './usb-log-copier';
import { SyslogForwarder, type SyslogStats } from './syslog-forwarder';
import { readSyslogSettings } from './syslog-settings';
import { utf8Encode } from '../kernel/text-codec';

export const BOOT_PHASE_MS = 120_000;
/** setTimer takes 32-bit delays: longer periods are waited out in steps. */
const MAX_TIMER_MS = 2_147_483_647;

export function logsModule(): FirmwareModule {
  return { declaration: logsDeclaration };
}

/** What the logs module needs of the configuration service. */
export interface LogsConfig {
  get(name: string): string | undefined;
  onChange(listener: (changes: { name: string }[]) => void): () => void;
}

export interface LogService {
  files: Record<LogName, RotatingLogFile>;
  writer: LogFlashWriter;
  /** Write the RAM buffer to flash now. */
  flush(): void;
  /** Upload one log now (as the periodic timer would). */
  upload(name: LogName, reason: string): UploadOutcome;
  copyToUsb(reason: string): UsbCopyOutcome;
  /** The `.tgz` log package (for the web interface's "Download Logs"). */
  packageBytes(): Promise<Uint8Array>;
  /** Remote syslog counters (sent, dropped, queued). */
  syslog(): SyslogStats;
}

/** The redaction filter, installed before anything logs party data (configuration included). */
export interface LogRedaction {
  redactor: LogRedactor;
  settings: RedactionSettings;
}

/**
 * Install the redaction filter on the logger right after the `fs` store is
 * mounted: every later line, in every component, on every sink (the serial
 * console too), is redacted. The key is made on the first token and
 * forgotten when the logs class is erased (a reset), so tokens after the
 * erase cannot be tied to tokens before it.
 */
export function startLogRedaction(kernel: Kernel, fs: FileStore): LogRedaction {
  const { hal } = kernel;
  const settings: RedactionSettings = { clearParty: false, keepMessageBodies: false };
  let key: Uint8Array | null = null;
  const redactor = new LogRedactor((data) => {
    key ??= loadRedactionKey(fs, hal.crypto, (m) => kernel.log.component('logs').error(m));
    return hal.crypto.hmacSha256(key, utf8Encode(data));
  }, () => settings);
  kernel.log.setTextFilter((component, level, text) => {
    if (key !== null && !fs.exists(REDACTION_KEY_PATH)) {
      key = null;
      redactor.forgetTokens();
    }
    return redactor.filter(component, level, text);
  });
  return { redactor, settings };
}

export interface LogsWiring {
  fs: FileStore;
  config: LogsConfig;
  /** The redaction filter installed right after the fs mount (startLogRedaction); made here when absent. */
  redaction?: LogRedaction;
  /** CA trusted for syslog over TLS (device setting device.sec.TLS.customCaCert1). */
  trustedCaPem?: () => string | undefined;
}

export function startLogs(kernel: Kernel, w: LogsWiring): LogService {
  const { hal, timers, bus } = kernel;
  const log = kernel.log.component('logs');
  const mac = hal.board.mac.toLowerCase();
  const param = (name: string) => w.config.get(name);
  const limits = (): LogLimits => ({
    maxBytes: (Number(param('log.render.file.size')) || 32) * 1024,
    maxFiles: Number(param('log.render.file.count')) || 4,
  });
  const files: Record<LogName, RotatingLogFile> = { app: new RotatingLogFile(w.fs, 'app', limits), boot: new RotatingLogFile(w.fs, 'boot', limits) };

  // ── levels and redaction first, so the lines below already follow them ──
  const applyLevels = () => {
    const floorValue = Number(param('log.render.level') ?? '1');
    const floor = Number.isInteger(floorValue) && floorValue >= 0 && floorValue <= 6 ? floorValue : 1;
    for (const c of LOG_COMPONENTS) {
      const v = Number(param(levelParameter(c.id)));
      if (Number.isInteger(v) && v >= 0 && v <= 6) kernel.log.setLevel(c.id, Math.max(v, floor) as LogLevel);
    }
    kernel.log.setDefaultLevel(floor as LogLevel);
  };
  applyLevels();
  const redaction = w.redaction ?? startLogRedaction(kernel, w.fs);
  redaction.settings.keepMessageBodies = param('log.render.messageBodies') === '1';
  const clearParty = new ClearPartyWindow({
    fs: w.fs, timers, now: () => hal.clock.now(), log,
    onChange: (until) => {
      redaction.settings.clearParty = until !== null;
      kernel.log.setPartyInClearUntil(until);
    },
  });
  clearParty.restore(Number(param(CLEAR_PARTY_PARAMETER)) || 0);
  bus.on('user:changed', (p) => {
    const user = (p as { user: string | null }).user;
    if (user) redaction.redactor.rememberUser(user);
  });

  // ── the flash sink: what was logged before the store was mounted goes first ──
  const writer = new LogFlashWriter(files, timers, {
    onRotate: (name) => afterRotation(name),
    onWriteError: (name, message) => log.error(`${name}.log not written: ${message}`),
    onMadeRoom: (message) => log.warning(message),
  });
  for (const line of kernel.log.takeRecent()) writer.sink(line);
  kernel.log.addSink(writer.sink);

  // ── remote syslog: from here on (the lines before the network is set up stay local) ──
  const syslog = new SyslogForwarder({
    udp: hal.udp,
    socket: hal.socket,
    timers,
    now: () => hal.clock.now(),
    identity: { mac, appName: hal.board.model },
    settings: () => readSyslogSettings(param),
    trustedCaPem: () => w.trustedCaPem?.(),
    note: (level, text) => log[level](text),
  });
  syslog.reconfigure();
  kernel.log.addSink(syslog.sink);

  const uploader = new LogUploader({ store: w.fs, files, param, log, mac, send: (req) => bus.emit('prov:upload', req) });
  const usb = new UsbLogCopier(hal.usb, files, param, log, mac);
  let rotating = false;
  const afterRotation = (name: LogName) => {
    if (rotating) return;
    rotating = true;
    try {
      log.info(`${name}.log reached ${limits().maxBytes / 1024} KB: rotated`);
      writer.flush();
      uploader.upload(name, 'size limit');
      usb.copy(`${name}.log size limit`);
    } finally {
      rotating = false;
    }
  };

  // ── boot phase ──
  let bootPhase = true;
  let bootLogSent = false;
  const endBootPhase = (why: string) => {
    if (!bootPhase) return;
    bootPhase = false;
    log.info(`boot phase over (${why}): logging to app.log`);
    writer.flush();
    writer.switchTo('app');
  };
  const bootTimer = timers.after(BOOT_PHASE_MS, 'boot log phase', () => endBootPhase(`${BOOT_PHASE_MS / 1000} s after boot`));
  bus.on('prov:cycle', (payload) => {
    const report = payload as { outcome?: string; rebooting?: boolean };
    timers.cancel(bootTimer);
    endBootPhase('first provisioning cycle');
    if (report.outcome === 'provisioned' && !report.rebooting && !bootLogSent) {
      bootLogSent = true;
      uploader.upload('boot', 'boot');
    }
  });

  // ── periodic uploads and USB copies ──
  let periodic: number | null = null;
  const armPeriodic = () => {
    if (periodic !== null) timers.cancel(periodic);
    periodic = null;
    const seconds = Number(param('log.render.file.upload.period')) || 0;
    if (seconds <= 0) return;
    let remaining = seconds * 1000;
    const step = () => {
      const wait = Math.min(remaining, MAX_TIMER_MS);
      periodic = timers.after(wait, 'periodic log upload', () => {
        remaining -= wait;
        if (remaining > 0) return step();
        writer.flush();
        uploader.upload('app', 'periodic');
        usb.copy('periodic');
        armPeriodic();
      });
    };
    step();
  };
  armPeriodic();

  // A reboot ends this boot's timers: what waits in RAM goes to flash now.
  bus.on('rebooting', () => writer.flush());

  w.config.onChange((changes) => {
    if (changes.some((c) => c.name.startsWith('log.level.change.') || c.name === 'log.render.level')) applyLevels();
    if (changes.some((c) => c.name.startsWith('device.syslog.'))) syslog.reconfigure();
    if (changes.some((c) => c.name === 'log.render.messageBodies')) redaction.settings.keepMessageBodies = param('log.render.messageBodies') === '1';
    if (changes.some((c) => c.name === CLEAR_PARTY_PARAMETER)) clearParty.changed(Number(param(CLEAR_PARTY_PARAMETER)) || 0);
    if (changes.some((c) => c.name === 'log.render.file.upload.period')) armPeriodic();
  });

  return {
    files,
    writer,
    flush: () => writer.flush(),
    upload: (name, reason) => {
      writer.flush();
      return uploader.upload(name, reason);
    },
    copyToUsb: (reason) => {
      writer.flush();
      return usb.copy(reason);
    },
    packageBytes: () => {
      writer.flush();
      return buildLogPackage({ fs: w.fs, mac, now: hal.clock.now(), firmwareVersion: kernel.version });
    },
    syslog: () => syslog.stats(),
  };
}
