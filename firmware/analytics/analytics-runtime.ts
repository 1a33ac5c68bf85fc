/**
 * Analytics while it is on: every source of a service feeds the flash queue
 * (asset details and the boot event now, CDRs at call end, health
 * periodically, configuration names, error lines) and the uploader drains
 * it. `deactivate` stops the sources, closes the connection at once and
 * erases the class.
 */
import { bytesToHex } from '../kernel/hex';
import type { Kernel } from '../kernel/kernel';
import { describeError } from '../kernel/guard';
import { utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import type { CdrRecord } from '../calls/cdr-store';
import { CDR_EVENT } from './analytics-cdr-event';
import { brokerSettings } from './analytics-broker';
import { enabledServices } from './analytics-enablement';
import { assetDetails, cdrData, hardwareData, redactLogText, type Envelope } from './analytics-messages';
import { AnalyticsQueue } from './analytics-queue';
import { acknowledgeFinishedReset, finishedReset } from '../reset/finished-reset';
import { AnalyticsUploader } from './analytics-uploader';
import type { AnalyticsStatus, AnalyticsWiring } from './analytics-module';

const PSEUDONYM_KEY_PATH = 'analytics/pseudonym.key';
const CONFIG_DEBOUNCE_MS = 5000;
/** Error lines sent per hour at most: a log storm must not flood the queue. */
const MAX_LOG_MESSAGES_PER_HOUR = 10;
/** Reset variants reported as `resettofactory`. */
const FACTORY_VARIANTS = ['resetToFactory', 'resetToFactoryPartial'];

export interface ActiveAnalytics {
  status(): AnalyticsStatus;
  deactivate(): void;
}

/** Analytics on: sources, queue and uploader until `deactivate`. */
export function activate(kernel: Kernel, w: AnalyticsWiring, why: 'boot' | 'enabled'): ActiveAnalytics {
  const { hal, timers, bus } = kernel;
  const log = kernel.log.component('da');
  const get = (n: string) => w.config.get(n);
  const service = enabledServices(get);
  const queue = new AnalyticsQueue(w.fs, w.config.getInteger('analytics.queue.maxMessages'), (m) => log.warning(m));
  const mac = hal.board.mac;
  const uploader = new AnalyticsUploader({
    socket: hal.socket,
    timers,
    queue,
    broker: () => brokerSettings(get, mac),
    topic: (s) => `${(get('analytics.topicPrefix') ?? 'phones').replace(/\/+$/, '')}/${mac}/${s}`,
    clientId: `phone-${mac}`,
    now: () => hal.clock.now(),
    log,
  });
  let active = true;
  const unsubscribe: (() => void)[] = [];
  let enqueuing = false;

  const enqueue = (svc: string, gate: string, data: Record<string, unknown>): void => {
    if (!active || !service(gate) || enqueuing) return;
    enqueuing = true;
    try {
      queue.setCapacity(w.config.getInteger('analytics.queue.maxMessages'));
      queue.enqueue(svc, (droppedBefore) => {
        const envelope: Envelope = {
          id: bytesToHex(hal.crypto.randomBytes(8)), service: svc, mac, time: new Date(hal.clock.now()).toISOString(),
          boot: hal.power.bootCount(), ...(droppedBefore ? { droppedBefore } : {}), data,
        };
        return { id: envelope.id, body: JSON.stringify(envelope) };
      });
      uploader.kick();
    } catch (e) {
      log.error(`analytics: ${svc} message not queued: ${describeError(e)}`);
    } finally {
      enqueuing = false;
    }
  };

  const pseudonymKey = loadPseudonymKey(w.fs, hal.crypto.randomBytes(32), (m) => log.warning(m));
  const pseudonym = (id: string) => `h:${bytesToHex(hal.crypto.hmacSha256(pseudonymKey, utf8Encode(id))).slice(0, 24)}`;

  // Asset details at enable and at every boot; the boot event with its reason.
  const reason = why === 'boot' ? hal.power.lastBootReason() : 'enabled';
  const message = hal.power.lastRebootMessage();
  enqueue('sdi', 'sdi', assetDetails({
    board: hal.board, firmwareVersion: kernel.version, bootReason: reason, note: get('deviceAnalytics.note') ?? '',
    offsetGmtMinutes: 0,
  }, new Date(hal.clock.now()).toISOString()));
  // A factory reset is told by the reset module (its notice may be some boots old: analytics comes back on only once configured again).
  const reset = finishedReset(w.settings);
  const factoryReset = reset && FACTORY_VARIANTS.includes(reset.variant) ? reset : null;
  const bootEvent = factoryReset ? 'resettofactory' : reason === 'reboot' ? 'restart' : 'reboot';
  if (why === 'boot' || factoryReset) {
    enqueue(bootEvent, bootEvent, {
      bootReason: reason, reason: redactLogText(message), bootCount: hal.power.bootCount(),
      ...(factoryReset ? { variant: factoryReset.variant, requestedBy: factoryReset.by, requestedAt: new Date(factoryReset.at).toISOString() } : {}),
    });
  }
  if (reset) kernel.guard('analytics reset notice', () => acknowledgeFinishedReset(w.settings))();

  unsubscribe.push(bus.on(CDR_EVENT, (r) => {
    enqueue('cdr', 'cdr', cdrData(r as Omit<CdrRecord, 'seq'>, pseudonym, get('analytics.cdr.remotePartyInClear') === '1'));
  }));

  const health = () => {
    const uptimeSeconds = Math.floor((hal.clock.monotonic() - kernel.bootStartedAt) / 1000);
    enqueue('uptimeanalytics', 'uptimeanalytics', { uptimeSeconds, bootCount: hal.power.bootCount(), lastBootReason: reason });
    enqueue('hardwareanalytics', 'hardwareanalytics', hardwareData(hal.board.memoryBudgetBytes, hal.runtime, [{ partition: 'fs', stats: w.fs.stats() }]));
  };
  unsubscribe.push(timers.every(w.config.getInteger('analytics.healthPeriod') * 3600000, 'analytics health', health));

  // Configuration: the names of changed parameters, never their values.
  let changedNames = new Set<string>();
  let configTimer: number | null = null;
  const flushConfig = () => {
    if (configTimer !== null) timers.cancel(configTimer);
    configTimer = null;
    const names = [...changedNames].sort();
    changedNames = new Set();
    if (names.length) enqueue('config', 'config', { changed: names });
  };
  unsubscribe.push(w.config.onChange((changes) => {
    if (!active) return;
    for (const c of changes) changedNames.add(c.name);
    if (configTimer === null) configTimer = timers.after(CONFIG_DEBOUNCE_MS, 'analytics config', flushConfig);
  }));
  // A change that reboots the phone: queue its names before the reboot (the queue is on flash).
  unsubscribe.push(bus.on('rebooting', flushConfig));

  // Error lines (redacted), at most a few per hour; never the analytics module's own.
  let logWindowStart = hal.clock.monotonic();
  let logCount = 0;
  kernel.log.addSink((_line, record) => {
    // Not our own lines (a failing enqueue logs); a store error while enqueuing is dropped by the `enqueuing` guard.
    if (!active || record.level < 4 || record.component === 'da') return;
    if (hal.clock.monotonic() - logWindowStart > 3600000) {
      logWindowStart = hal.clock.monotonic();
      logCount = 0;
    }
    if (++logCount > MAX_LOG_MESSAGES_PER_HOUR) return;
    enqueue('log', 'log', { component: record.component, level: record.level, text: redactLogText(record.text) });
  });

  unsubscribe.push(bus.on('link', (up) => { if (up) uploader.kick(); }));

  const deactivate = () => {
    if (!active) return;
    active = false;
    uploader.stop();
    for (const u of unsubscribe.splice(0)) u();
    if (configTimer !== null) timers.cancel(configTimer);
    purge(w.fs, log);
    queue.reload();
    log.notice('analytics: disabled, connection closed and queue erased');
  };

  log.info(`analytics: on (${why}), services ${get('da.supported.services')}, ${queue.length} message(s) queued`);
  uploader.kick();
  return {
    status: () => ({ enabled: true, services: get('da.supported.services') ?? '', queueLength: queue.length, pendingDrops: queue.pendingDrops, uploader: { ...uploader.status } }),
    deactivate,
  };
}

export function purge(fs: FileStore, log: { error(m: string): void }): void {
  try {
    fs.eraseClass('analytics');
  } catch (e) {
    log.error(`analytics: queue erase failed (${describeError(e)}): finished at the next mount`);
  }
}

/** The key of the CDR pseudonyms: random, sealed in the analytics class, so a purge makes old pseudonyms unlinkable. */
function loadPseudonymKey(fs: FileStore, fresh: Uint8Array, warn: (m: string) => void): Uint8Array {
  const existing = fs.read(PSEUDONYM_KEY_PATH);
  if (existing && existing.length === 32) return existing;
  try {
    fs.write(PSEUDONYM_KEY_PATH, fresh, { cls: 'analytics' });
  } catch (e) {
    warn(`analytics pseudonym key not stored (${describeError(e)}): pseudonyms change after a reboot`);
  }
  return fresh;
}
