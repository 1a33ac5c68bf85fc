/** Scenario results as a readable summary and as JUnit XML (one testsuite per scenario, one testcase per step). */
import * as path from 'path';
import junitReportBuilder from 'junit-report-builder';
import type { ScenarioResult, StepProgress } from './runner';

const MARK = { passed: 'ok  ', failed: 'FAIL', 'not-run': 'skip' } as const;

export function summary(results: ScenarioResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.passed ? 'PASS' : 'FAIL'} ${r.name} (${path.relative(process.cwd(), r.file)}, ${r.board}/${r.engine}, ${r.ms} ms)`);
    for (const s of r.steps) {
      lines.push(`  ${MARK[s.status]} ${String(s.index + 1).padStart(2)}. ${s.label}${s.status === 'not-run' ? '' : ` (${s.ms} ms)`}`);
      for (const n of s.notes) lines.push(`         ${n}`);
      if (s.error) lines.push(`         ${s.error}`);
    }
    if (r.failureArtifacts.length > 0) lines.push('  saved for the failure:', ...r.failureArtifacts.map((f) => `    ${path.relative(process.cwd(), f)}`));
    if (r.logTail.length > 0) lines.push('  last log lines:', ...r.logTail.map((l) => `    ${l}`));
  }
  const passed = results.filter((r) => r.passed).length;
  lines.push('', `${passed} passed, ${results.length - passed} failed`);
  return lines.join('\n');
}

/** One line per finished step while a scenario runs ("admin-menu  3/13 ok   press soft4 (12 ms)"). */
export function progressLine(folder: string, p: StepProgress): string {
  const n = `${String(p.step.index + 1).padStart(String(p.total).length)}/${p.total}`;
  return p.phase === 'start' ? `${folder}  ${n} run  ${p.step.label}` : `${folder}  ${n} ${MARK[p.step.status]} ${p.step.label} (${p.step.ms} ms)`;
}

export function writeJUnit(results: ScenarioResult[], file: string): void {
  const builder = junitReportBuilder.newBuilder();
  for (const r of results) {
    const suite = builder.testSuite().name(r.name).property('file', r.file).property('board', r.board).property('engine', r.engine);
    for (const s of r.steps) {
      const tc = suite.testCase().className(`scenario.${r.name}`).name(`${String(s.index + 1).padStart(2, '0')} ${s.label}`).time(s.ms / 1000);
      if (s.status === 'failed') tc.failure(s.error ?? 'failed').standardOutput(r.logTail.join('\n'));
      else if (s.status === 'not-run') tc.skipped();
      if (s.notes.length > 0 && s.status !== 'failed') tc.standardOutput(s.notes.join('\n'));
    }
  }
  builder.writeTo(file);
}
