/**
 * Time (Polycom `tcpIpApp.sntp.*`, `device.sntp.*`, `lcl.datetime.*`): the
 * SNTP client, the time zone with its daylight-saving rule, the clock and
 * date formats. Behaviour: ./time-module.ts; docs/time.md.
 *
 * Defaults and ranges are Polycom UC Software's (gmtOffset 0, DST on with the
 * US rule, resync daily, 24-hour clock, date "D,dM" with long names).
 */
import type { ModuleDeclaration, ParameterDeclaration } from '../kernel/declaration';

function dstEdge(edge: 'start' | 'stop', month: number, date: number): ParameterDeclaration[] {
  const p = `tcpIpApp.sntp.daylightSavings.${edge}`;
  const what = edge === 'start' ? 'DST starts' : 'DST stops';
  return [
    { name: `${p}.month`, type: 'integer', default: month, min: 1, max: 12, description: `Month ${what} (1 January … 12 December).` },
    { name: `${p}.date`, type: 'integer', default: date, min: 1, max: 31, description: `Day of the month ${what}; without fixedDayEnable, the first dayOfWeek on or after it (1 first, 8 second, 15 third, 22 fourth).` },
    { name: `${p}.dayOfWeek`, type: 'integer', default: 1, min: 1, max: 7, description: `Day of the week ${what} (1 Sunday … 7 Saturday), unless fixedDayEnable.` },
    { name: `${p}.dayOfWeek.lastInMonth`, type: 'boolean', default: false, description: `${what} on the last dayOfWeek of the month (date ignored; not with fixedDayEnable).` },
    { name: `${p}.time`, type: 'integer', default: 2, min: 0, max: 23, description: `Hour ${what}, local ${edge === 'start' ? 'standard' : 'daylight'} time (2 = 2 am).` },
  ];
}

export const timeDeclaration: ModuleDeclaration = {
  name: 'time',
  // The clock on the idle screen needs the UI; provisioning's polling times need local time.
  dependsOn: ['config', 'ui'],
  parameters: [
    { name: 'tcpIpApp.sntp.address', type: 'string', default: '', maxLength: 255, description: 'SNTP server: host name or IPv4 address, optionally :port (default port 123; the port is our extension). Empty: no time synchronization.' },
    { name: 'tcpIpApp.sntp.address.overrideDHCP', type: 'boolean', default: false, description: 'Use tcpIpApp.sntp.address rather than a DHCP-supplied server (this phone gets no server from DHCP: accepted, no effect).' },
    { name: 'tcpIpApp.sntp.gmtOffset.overrideDHCP', type: 'boolean', default: false, description: 'Use tcpIpApp.sntp.gmtOffset rather than a DHCP-supplied offset (this phone gets none from DHCP: accepted, no effect).' },
    { name: 'tcpIpApp.sntp.gmtOffset', type: 'integer', default: 0, min: -43200, max: 46800, description: 'Offset of local standard time from GMT, seconds (3600 per hour).' },
    { name: 'tcpIpApp.sntp.gmtOffsetcityID', type: 'integer', default: 0, min: 0, max: 127, description: 'Time zone city shown in the phone\'s menu (Polycom table); informational here: the offset is tcpIpApp.sntp.gmtOffset.' },
    { name: 'tcpIpApp.sntp.resyncPeriod', type: 'integer', default: 86400, min: 60, max: 2147483647, description: 'Seconds between SNTP synchronizations (after a failure the phone retries sooner, with backoff).' },
    { name: 'tcpIpApp.sntp.daylightSavings.enable', type: 'boolean', default: true, description: 'Apply the daylight-saving rule to the displayed time.' },
    { name: 'tcpIpApp.sntp.daylightSavings.fixedDayEnable', type: 'boolean', default: false, description: 'DST edges are a fixed month and date (1), or a day of the week on or after the date (0).' },
    ...dstEdge('start', 3, 8),
    ...dstEdge('stop', 11, 1),
    // Device settings (applied with their .set companion and device.set; see firmware/time/device-sntp.ts).
    { name: 'device.sntp.serverName', type: 'string', default: '', maxLength: 255, description: 'SNTP server as a device setting (applied only with device.sntp.serverName.set=1); tcpIpApp.sntp.address wins when set.' },
    { name: 'device.sntp.serverName.set', type: 'boolean', default: false, description: 'Apply device.sntp.serverName from configuration files.' },
    { name: 'device.sntp.gmtOffset', type: 'integer', default: 0, min: -43200, max: 46800, description: 'GMT offset in seconds as a device setting (applied only with device.sntp.gmtOffset.set=1); tcpIpApp.sntp.gmtOffset wins when set.' },
    { name: 'device.sntp.gmtOffset.set', type: 'boolean', default: false, description: 'Apply device.sntp.gmtOffset from configuration files.' },
    { name: 'lcl.datetime.time.24HourClock', type: 'boolean', default: true, description: 'Show the time on a 24-hour clock (0: 12-hour with AM/PM).' },
    { name: 'lcl.datetime.date.format', type: 'string', default: 'D,dM', maxLength: 10, description: 'Date on the idle screen: D day name, d day of month, M month, Y year, a comma between two letters (D,dM, D,Md, dM,D, D,dMY, dMY, Y,Md), or numeric DD/MM/YYYY, MM/DD/YY, YYYY-MM-DD.' },
    { name: 'lcl.datetime.date.dateTop', type: 'boolean', default: false, description: 'Show the date above the time (Polycom layouts); accepted, no effect: this phone shows the date on the idle screen and the time in the status bar.' },
    { name: 'lcl.datetime.date.longFormat', type: 'boolean', default: true, description: 'Day and month names in full (Friday, November) rather than abbreviated (Fri, Nov).' },
  ],
  dataClasses: [],
  screens: [],
};
