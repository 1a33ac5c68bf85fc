/**
 * Home > Status (`/`), the landing page after login, open to User and Admin:
 * what the phone is, how it runs and whether it is provisioned and
 * registered. Nothing secret and no party data: lines show their number and
 * state (not their label or address, which name a person), the provisioning
 * server its URL without inline credentials.
 */
import { redactedUrl, SERVER_SETTING } from '../../provisioning/server-settings';
import { readBootRecord } from '../../updater/boot-record';
import { html, type Html } from '../html';
import type { WebContext, WebPages } from '../web-page';

export const STATUS_PATH = '/';

function row(label: string, value: Html | string): Html {
  return html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
}

function runningSlot(context: WebContext): string {
  const flash = context.kernel.hal.flash;
  if (!flash.partitions().includes('updater')) return 'factory image (no updater partition)';
  try {
    const record = readBootRecord(flash.open('updater'));
    return record?.active ? `slot ${record.active} (${record.slots[record.active].state})` : 'factory image';
  } catch {
    return 'unknown (boot record unreadable)';
  }
}

function uptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${d > 0 ? `${d} d ` : ''}${h} h ${m} min`;
}

/** `2026-11-27 08:15:02 (GMT+01:00)`: the phone's local time as its clock and time zone give it. */
function localTime(context: WebContext): string {
  const now = context.kernel.hal.clock.now();
  const local = context.time.local(now);
  const offsetMin = Math.round((local - now) / 60000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const zone = `GMT${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(local).toISOString().slice(0, 19).replace('T', ' ')} (${zone})`;
}

function provisioningRows(context: WebContext): Html[] {
  const url = context.settings.get(SERVER_SETTING) ?? '';
  const last = context.provisioning.client.last();
  const result = last
    ? `${last.outcome} (${last.reason}): ${last.changed.length} files changed, ${last.unchanged.length} unchanged${last.transferErrors.length ? `, ${last.transferErrors.length} transfer errors` : ''}${last.contentErrors.length ? `, ${last.contentErrors.length} refused` : ''}`
    : 'no cycle since boot';
  return [row('Provisioning server', url ? redactedUrl(url) : 'not set'), row('Last provisioning', result)];
}

export const statusPages: WebPages = (context) => [{
  path: STATUS_PATH,
  nav: ['Home', 'Status'],
  access: 'user',
  get() {
    const { board, clock, power, net } = context.kernel.hal;
    const lines = context.lines.status();
    const body = html`<table class="status"><tbody>
${row('Model', `${board.model} (${board.profile})`)}
${row('MAC address', board.mac)}
${row('Serial number', board.serial)}
${row('Hardware revision', board.hardwareRevision)}
${row('Firmware', `${context.kernel.version}, ${runningSlot(context)}`)}
${row('Uptime', `${uptime(clock.monotonic() - context.kernel.bootStartedAt)} (boot #${power.bootCount()}, ${power.lastBootReason()})`)}
${row('Network link', net.linkUp() ? 'up' : 'down')}
${lines.map((l) => row(`Line ${l.line}`, `${l.state}${l.reason ? ` (${l.reason})` : ''}`))}
${provisioningRows(context)}
${row('Time', localTime(context))}
</tbody></table>`;
    return { kind: 'page', title: 'Status', body };
  },
}];
