/**
 * The firmware logger. Lines are `|`-separated, Polycom style:
 * `timestamp (GMT, ISO 8601)|component|level|missed|text`, levels 0 (debug)
 * … 6 (fatal). Logging never throws and never blocks the caller: sinks that
 * fail are counted as missed events.
 */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'fatal'] as const;
export type LogLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface LogRecord {
  time: number;
  component: string;
  level: LogLevel;
  missed: number;
  text: string;
}

export type LogSink = (line: string, record: LogRecord) => void;

export function formatLogLine(r: LogRecord): string {
  return `${new Date(r.time).toISOString()}|${r.component}|${r.level}|${r.missed}|${r.text.replace(/[\r\n]+/g, ' ')}`;
}

export class Logger {
  private sinks: LogSink[] = [];
  private thresholds = new Map<string, LogLevel>();
  private missed = 0;
  private readonly ring: string[] = [];

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

  /** A logger bound to one component (1–5 characters). */
  component(name: string): ComponentLogger {
    return new ComponentLogger(this, name.slice(0, 5));
  }

  log(component: string, level: LogLevel, text: string): void {
    if (level < (this.thresholds.get(component) ?? this.defaultLevel)) return;
    const record: LogRecord = { time: this.now(), component, level, missed: this.missed, text };
    const line = formatLogLine(record);
    this.ring.push(line);
    if (this.ring.length > this.ringSize) this.ring.shift();
    let failed = false;
    for (const sink of this.sinks) {
      try {
        sink(line, record);
      } catch {
        failed = true;
      }
    }
    this.missed = failed ? this.missed + 1 : 0;
  }

  /** The most recent lines kept in RAM. */
  recent(): string[] {
    return [...this.ring];
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
}
