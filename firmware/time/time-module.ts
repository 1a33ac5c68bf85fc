/**
 * The time module: local time (GMT offset + daylight-saving rule) and its
 * formats for the idle screen and status bar, and the SNTP client that keeps
 * the HAL wall clock right. The wall clock stays UTC (log timestamps are GMT);
 * only what is shown is local. Configuration changes apply at once.
 */
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { DeviceSettings } from '../settings/device-settings';
import type { PhoneUi } from '../ui/ui-module';
import { dateFormatProblem, DEFAULT_DATE_FORMAT, formatDate, formatTime } from './date-time-format';
import { timeDeclaration } from './declaration';
import { sntpValue, type SntpConfigReader } from './device-sntp';
import { isDaylightTime, toLocal, type DstEdge, type TimeZoneRule } from './dst-rule';
import { SntpClient } from './sntp-client';

export function timeModule(): FirmwareModule {
  return { declaration: timeDeclaration };
}

export interface TimeConfig extends SntpConfigReader {
  getInteger(name: string): number;
  getBoolean(name: string): boolean;
  onChange(listener: (changes: { name: string }[]) => void): () => void;
}

export interface TimeService {
  /** The rule in force (offset and DST). */
  zone(): TimeZoneRule;
  /** Local wall time for a UTC instant ("UTC-shaped": read with getUTC*). */
  local(utcMs: number): number;
  sntp: SntpClient;
}

function edge(config: TimeConfig, which: 'start' | 'stop'): DstEdge {
  const p = `tcpIpApp.sntp.daylightSavings.${which}`;
  return {
    month: config.getInteger(`${p}.month`),
    date: config.getInteger(`${p}.date`),
    dayOfWeek: config.getInteger(`${p}.dayOfWeek`),
    lastInMonth: config.getBoolean(`${p}.dayOfWeek.lastInMonth`),
    hour: config.getInteger(`${p}.time`),
  };
}

export function readTimeZone(config: TimeConfig, settings: Pick<DeviceSettings, 'get'> | null): TimeZoneRule {
  const offset = Number(sntpValue(config, settings, 'tcpIpApp.sntp.gmtOffset', 'device.sntp.gmtOffset'));
  return {
    gmtOffsetSec: Number.isFinite(offset) ? offset : 0,
    dst: {
      enabled: config.getBoolean('tcpIpApp.sntp.daylightSavings.enable'),
      fixedDay: config.getBoolean('tcpIpApp.sntp.daylightSavings.fixedDayEnable'),
      start: edge(config, 'start'),
      stop: edge(config, 'stop'),
    },
  };
}

function describeOffset(sec: number): string {
  const a = Math.abs(sec);
  return `GMT${sec < 0 ? '-' : '+'}${Math.floor(a / 3600)}:${String(Math.floor((a % 3600) / 60)).padStart(2, '0')}`;
}

export function startTime(kernel: Kernel, w: { config: TimeConfig; settings: DeviceSettings; ui: PhoneUi }): TimeService {
  const log = kernel.log.component('sntp');
  const { config, settings, ui } = w;
  let zone = readTimeZone(config, settings);

  const sntp = new SntpClient({
    clock: kernel.hal.clock,
    udp: kernel.hal.udp,
    timers: kernel.timers,
    log,
    server: () => sntpValue(config, settings, 'tcpIpApp.sntp.address', 'device.sntp.serverName'),
    resyncPeriodMs: () => config.getInteger('tcpIpApp.sntp.resyncPeriod') * 1000,
    stepped: () => ui.clockStepped(),
  });

  const applyFormats = () => {
    zone = readTimeZone(config, settings);
    const format = config.get('lcl.datetime.date.format') ?? DEFAULT_DATE_FORMAT;
    const problem = dateFormatProblem(format);
    if (problem) log.error(`lcl.datetime.date.format "${format}" refused (${problem}): showing ${DEFAULT_DATE_FORMAT}`);
    const dateFormat = problem ? DEFAULT_DATE_FORMAT : format;
    const long = config.getBoolean('lcl.datetime.date.longFormat');
    const h24 = config.getBoolean('lcl.datetime.time.24HourClock');
    ui.setClockText({
      date: (utc) => formatDate(toLocal(utc, zone), dateFormat, long),
      time: (utc) => formatTime(toLocal(utc, zone), h24),
    });
    log.info(`local time ${describeOffset(zone.gmtOffsetSec)}, daylight saving ${zone.dst.enabled ? (isDaylightTime(kernel.hal.clock.now(), zone) ? 'on, in force' : 'on, not in force') : 'off'}`);
  };

  config.onChange((changes) => {
    const names = changes.map((c) => c.name);
    if (names.some((n) => n.startsWith('tcpIpApp.sntp.') || n.startsWith('device.sntp.') || n.startsWith('lcl.datetime.'))) applyFormats();
    if (names.some((n) => n.startsWith('tcpIpApp.sntp.address') || n === 'tcpIpApp.sntp.resyncPeriod' || n.startsWith('device.sntp.serverName'))) sntp.restart();
  });
  kernel.bus.on('link', (up) => { if (up) sntp.linkUp(); });
  applyFormats();
  sntp.restart();
  return { zone: () => zone, local: (utc) => toLocal(utc, zone), sntp };
}
