/**
 * The firmware logger. Lines are `|`-separated, Polycom style:
 * `timestamp (GMT, ISO 8601)|component|level|missed|text`, levels 0 (debug)
 * … 6 (fatal). Logging never throws and never blocks the caller: sinks only
 * take the line (the flash log buffers it in RAM and writes in batches);
 * a sink that fails or refuses a line (returns false) counts a missed event,
 * reported in the next line that gets through. Every text is bounded and
 * escaped here (./log-line-safety.ts), so no caller has to.
 */
import { boundLogText, escapeLogText } from './log-line-safety';
import { replaceParties } from './party';

export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'fatal'] as const;
export type LogLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface LogRecord {
  time: number;
  component: string;
  level: LogLevel;
  missed: number;
  text: string;
}

/** Takes one line; `false` means the line was dropped (counted as missed). */
export type LogSink = (line: string, record: LogRecord) => unknown;

/** Rewrites the text of a line before it is formatted (redaction of personal data). */
export type LogTextFilter = (component: string, level: LogLevel, text: string) => string;

// Lines of a burst share their millisecond: formatting the time once saves most of a line's cost in QuickJS.
let stampTime = NaN;
let stampText = '';

export function formatLogLine(r: LogRecord): string {
  if (r.time !== stampTime) {
    stampTime = r.time;
    stampText = new Date(r.time).toISOString();
  }
  return `${stampText}|${r.component}|${r.level}|${r.missed}|${r.text}`;
}

export class Logger {
  private sinks: LogSink[] = [];
  private thresholds = new Map<string, LogLevel>();
  private missed = 0;
  private filter: LogTextFilter | null = null;
  private clearPartyUntil: number | null = null;
  /** Lines logged before a sink that keeps them took over (takeRecent); null from then on (an idle phone held up to 200 lines, ~25 KiB). */
  private ring: string[] | null = [];

  constructor(private readonly now: () => number, private defaultLevel: LogLevel = 1, private readonly ringSize = 200) {}

  addSink(sink: LogSink): void {
    this.sinks.push(sink);
  }

  /** Per-component threshold (`log.level.change.<component>`). */
  setLevel(component: string, level: LogLevel): void {
    this.thresholds.set(component, level);
  }

  setDefaultLevel(level: LogLevel): void {
    this.defaultLevel = level;
  }

  /** Lines of `component` at `level` would be logged. Lets callers skip building costly text (message dumps). */
  enabled(component: string, level: LogLevel): boolean {
    return level >= (this.thresholds.get(component) ?? this.defaultLevel);
  }

  /** One filter for all lines (null: none). A filter that throws leaves the text as it was. */
  setTextFilter(filter: LogTextFilter | null): void {
    this.filter = filter;
  }

  /** Set by the logs module: until when (wall-clock ms) party data is logged in clear; null while it is redacted. */
  setPartyInClearUntil(until: number | null): void {
    this.clearPartyUntil = until;
  }

  /** The end of the admin's clear-party window, null when party data is redacted (the status screen shows it). */
  partyInClearUntil(): number | null {
    return this.clearPartyUntil;
  }

  /** A logger bound to one component (1–5 characters). */
  component(name: string): ComponentLogger {
    return new ComponentLogger(this, name.slice(0, 5));
  }

  log(component: string, level: LogLevel, text: string): void {
    if (!this.enabled(component, level)) return;
    // Cut first, so a 300,000-character caller ID costs the filter nothing; escape last, after redaction saw the raw text.
    let shown = boundLogText(text);
    if (this.filter) {
      try {
        shown = this.filter(component, level, shown);
      } catch {
        shown = '[line withheld: redaction failed]';
      }
    } else {
      // No redaction yet (early boot): a marked party value is never shown.
      shown = replaceParties(shown, () => '[withheld]');
    }
    shown = escapeLogText(shown);
    const record: LogRecord = { time: this.now(), component, level, missed: this.missed, text: shown };
    const line = formatLogLine(record);
    if (this.ring) {
      this.ring.push(line);
      if (this.ring.length > this.ringSize) this.ring.shift();
    }
    let failed = false;
    for (const sink of this.sinks) {
      try {
        if (sink(line, record) === false) failed = true;
      } catch {
        failed = true;
      }
    }
    this.missed = failed ? this.missed + 1 : 0;
  }

  /** The most recent lines kept in RAM: those of the boot until a sink took them (takeRecent), none after. */
  recent(): string[] {
    return [...(this.ring ?? [])];
  }

  /** The lines kept so far, for a sink that keeps every line from now on (the flash log): RAM keeps none after this. */
  takeRecent(): string[] {
    const lines = this.ring ?? [];
    this.ring = null;
    return lines;
  }
}

export class ComponentLogger {
  constructor(private readonly logger: Logger, readonly name: string) {}
  debug(text: string): void { this.logger.log(this.name, 0, text); }
  info(text: string): void { this.logger.log(this.name, 1, text); }
  notice(text: string): void { this.logger.log(this.name, 2, text); }
  warning(text: string): void { this.logger.log(this.name, 3, text); }
  error(text: string): void { this.logger.log(this.name, 4, text); }
  critical(text: string): void { this.logger.log(this.name, 5, text); }
  fatal(text: string): void { this.logger.log(this.name, 6, text); }
  /** Whether a line at `level` would be logged (skip building costly text when not). */
  enabled(level: LogLevel): boolean { return this.logger.enabled(this.name, level); }
}
