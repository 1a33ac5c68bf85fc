/**
 * Diagnostics > Logs (`/diagnostics/logs`, admin): the application or boot
 * log, newest line first, filtered by lowest level and by component (the
 * firmware's log components), one page of lines at a time; and "Download
 * Logs" (`/diagnostics/logs/download`): the `.tgz` log package the phone
 * also uploads and copies to USB (firmware/logs/log-package.ts).
 *
 * The lines are shown as they are in flash: party data is redacted there
 * already (keyed tokens), so the page shows no more than the log holds.
 * Memory stays bounded: the log is read one generation (rotated file) at a
 * time, newest first, and only the lines of the page asked for are kept.
 */
import { LOG_LEVELS } from '../../kernel/logger';
import { LOG_COMPONENTS } from '../../logs/log-components';
import type { LogName } from '../../logs/rotating-log-file';
import { utf8Decode } from '../../kernel/text-codec';
import { html } from '../html';
import type { WebContext, WebPages, WebRequest, WebResult } from '../web-page';

export const LOGS_PATH = '/diagnostics/logs';
export const LOG_DOWNLOAD_PATH = '/diagnostics/logs/download';
export const LINES_PER_PAGE = 50;
const LOG_NAMES: readonly LogName[] = ['app', 'boot'];

export interface LogFilter {
  log: LogName;
  /** Lowest level shown, 0 (debug) … 6 (fatal). */
  minLevel: number;
  /** Component id, or '' for all. */
  component: string;
  /** Page, from 0 (the newest lines). */
  page: number;
}

export interface LogLine {
  time: string;
  component: string;
  level: number;
  text: string;
}

/**
 * The filter of a request; anything unknown falls back to the default: every
 * line of `defaultLog` (the log being written: boot.log during the boot phase).
 */
export function logFilterOf(query: Record<string, string>, defaultLog: LogName = 'app'): LogFilter {
  const level = Number(query.level);
  const page = Number(query.page);
  return {
    log: LOG_NAMES.find((n) => n === query.log) ?? defaultLog,
    minLevel: Number.isInteger(level) && level >= 0 && level < LOG_LEVELS.length ? level : 0,
    component: LOG_COMPONENTS.some((c) => c.id === query.component) ? query.component : '',
    page: Number.isInteger(page) && page >= 0 ? page : 0,
  };
}

function parseLine(line: string): LogLine | null {
  // timestamp|component|level|missed|text (the text may hold '|' itself)
  const parts = line.split('|');
  if (parts.length < 5) return null;
  const level = Number(parts[2]);
  if (!Number.isInteger(level)) return null;
  return { time: parts[0], component: parts[1], level, text: parts.slice(4).join('|') };
}

/** One page of matching lines, newest first, and whether older matching lines exist. */
/** Write the lines still in the RAM buffer, which belong in the view too. */
function flushLogs(context: Pick<WebContext, 'logs'>): void {
  try {
    context.logs.flush();
  } catch {
    // A failing flash write is the log module's to report; show what flash holds.
  }
}

export function readLogPage(context: Pick<WebContext, 'logs'>, filter: LogFilter): { lines: LogLine[]; more: boolean } {
  flushLogs(context);
  const file = context.logs.files[filter.log];
  const skip = filter.page * LINES_PER_PAGE;
  const lines: LogLine[] = [];
  let matched = 0;
  const generations = file.generations();
  for (let g = generations.length - 1; g >= 0; g--) {
    const text = utf8Decode(file.readGeneration(generations[g]));
    const raw = text.split('\n');
    for (let i = raw.length - 1; i >= 0; i--) {
      const line = parseLine(raw[i]);
      if (!line || line.level < filter.minLevel || (filter.component && line.component !== filter.component)) continue;
      if (matched++ < skip) continue;
      if (lines.length === LINES_PER_PAGE) return { lines, more: true };
      lines.push(line);
    }
  }
  return { lines, more: false };
}

function pageLink(filter: LogFilter, page: number): string {
  return `${LOGS_PATH}?log=${filter.log}&level=${filter.minLevel}&component=${encodeURIComponent(filter.component)}&page=${page}`;
}

function logsPage(context: WebContext, request: WebRequest): WebResult {
  flushLogs(context);
  const filter = logFilterOf(request.query, context.logs.files.app.generations().length > 0 ? 'app' : 'boot');
  const { lines, more } = readLogPage(context, filter);
  const body = html`<p><a class="button" href="${LOG_DOWNLOAD_PATH}">Download Logs</a> <small>the log package (.tgz): application and boot logs and call detail records, times in GMT; no call lists, directory or user profiles.</small></p>
<form method="get" action="${LOGS_PATH}" class="filters">
<label>Log <select name="log">${LOG_NAMES.map((n) => html`<option value="${n}"${n === filter.log ? html` selected` : ''}>${n}.log</option>`)}</select></label>
<label>Lowest level <select name="level">${LOG_LEVELS.map((name, level) => html`<option value="${level}"${level === filter.minLevel ? html` selected` : ''}>${level} ${name}</option>`)}</select></label>
<label>Component <select name="component"><option value="">all</option>${LOG_COMPONENTS.map((c) => html`<option value="${c.id}"${c.id === filter.component ? html` selected` : ''}>${c.id}: ${c.description}</option>`)}</select></label>
<button type="submit">Show</button>
</form>
${lines.length === 0 ? html`<p>No lines match.</p>` : html`<table class="log"><thead><tr><th>Time (GMT)</th><th>Component</th><th>Level</th><th>Text</th></tr></thead><tbody>
${lines.map((l) => html`<tr class="level-${l.level}"><td>${l.time}</td><td>${l.component}</td><td>${LOG_LEVELS[l.level] ?? l.level}</td><td>${l.text}</td></tr>`)}
</tbody></table>`}
<p>${filter.page > 0 ? html`<a href="${pageLink(filter, filter.page - 1)}">Newer</a> ` : ''}${more ? html`<a href="${pageLink(filter, filter.page + 1)}">Older</a>` : ''}</p>`;
  return { kind: 'page', title: 'Logs', body };
}

export const diagnosticsLogPages: WebPages = (context) => [
  {
    path: LOGS_PATH,
    nav: ['Diagnostics', 'Logs'],
    access: 'admin',
    get: (request) => logsPage(context, request),
  },
  {
    path: LOG_DOWNLOAD_PATH,
    access: 'admin',
    async get() {
      context.kernel.log.component('logs').notice('log package downloaded from the web interface');
      return { kind: 'download', fileName: `${context.kernel.hal.board.mac}-logs.tgz`, contentType: 'application/gzip', bytes: await context.logs.packageBytes() };
    },
  },
];
