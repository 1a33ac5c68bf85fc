/**
 * The figures of the performance table (issue 17) as one list: each with its
 * goal, whether it is met, written to bench/results.json and printed as a
 * table. `--check` turns a missed goal into a failing exit code, so CI can
 * hold the goals.
 *
 * Not named results.ts: with ts-node, `require('./results')` resolves the
 * bench/results.json a previous run wrote before a .ts file of that name.
 */
import * as fs from 'fs';

/** A goal: the value must be at most (`<=`) or at least (`>=`) the bound. */
export interface Goal { op: '<=' | '>='; bound: number }

export interface Figure {
  id: string;
  value: number;
  unit: string;
  /** null: reported for context (e.g. the Node side of a ratio), no goal. */
  goal: Goal | null;
  /** How it was measured, one line for the printed table. */
  note?: string;
  /** The run did not go as the figure defines it (e.g. the firmware was stopped by its budget): the goal counts as missed whatever the value. */
  incomplete?: boolean;
}

/** One line of bench/results.json. */
export interface Result { id: string; value: number; unit: string; goal: string | null; met: boolean | null; note?: string }

export function meets(value: number, goal: Goal): boolean {
  // NaN (a figure that could not be measured) never meets a goal.
  if (!Number.isFinite(value)) return false;
  return goal.op === '<=' ? value <= goal.bound : value >= goal.bound;
}

export function toResults(figures: Figure[]): Result[] {
  return figures.map((f) => ({
    id: f.id,
    value: Number.isFinite(f.value) ? Math.round(f.value * 1000) / 1000 : f.value,
    unit: f.unit,
    goal: f.goal ? `${f.goal.op} ${f.goal.bound}` : null,
    met: f.goal ? !f.incomplete && meets(f.value, f.goal) : null,
    ...(f.note ? { note: f.note } : {}),
  }));
}

/** Goals the run must hold: these ids, when missing from a run, count as missed (a figure that silently stopped being measured is no pass). */
export const REQUIRED_IDS = [
  'boot.fullData.quickjs.ms', 'boot.fullData.ratio', 'boot.blank.ratio', 'heap.fullData.peak.bytes',
  'flash.perCall.maxRatio', 'days30.quickjs.s', 'phones.perGiB.desk500', 'directory.keystroke.worst.ms',
];

/** Ids of the goals missed, required ids absent included. */
export function missedGoals(results: Result[], required: string[] = REQUIRED_IDS): string[] {
  const missed = results.filter((r) => r.met === false).map((r) => r.id);
  for (const id of required) if (!results.some((r) => r.id === id)) missed.push(`${id} (not measured)`);
  return missed;
}

/** Exit code of `npm run bench -- --check`: 0 when every goal is met. */
export function checkExitCode(results: Result[], required: string[] = REQUIRED_IDS): number {
  return missedGoals(results, required).length === 0 ? 0 : 1;
}

export function formatTable(results: Result[]): string {
  const rows = results.map((r) => [r.id, formatValue(r.value), r.unit, r.goal ?? '', r.met === null ? '' : r.met ? 'met' : 'MISSED', r.note ?? '']);
  const head = ['figure', 'value', 'unit', 'goal', 'met', 'how'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

export function writeResults(file: string, results: Result[]): void {
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}
