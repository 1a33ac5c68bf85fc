/**
 * Runs a loaded scenario on a fresh simulated phone, step by step, stopping
 * at the first failing step (later steps are reported as not run). Firmware
 * faults raised during a step fail that step too.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPhone, type Phone } from '../phone';
import type { LoadedScenario } from './loader';
import type { StepContext } from './scenario';
import { stepKind } from './step-registry';

export type StepStatus = 'passed' | 'failed' | 'not-run';

export interface StepResult {
  index: number;
  label: string;
  status: StepStatus;
  ms: number;
  error?: string;
  notes: string[];
}

export interface ScenarioResult {
  file: string;
  name: string;
  board: string;
  engine: string;
  passed: boolean;
  ms: number;
  steps: StepResult[];
  /** Last log lines of the phone when a step failed. */
  logTail: string[];
}

export interface RunOptions {
  artifactsDir: string;
  /** Firmware image to run (default dist/firmware.js). */
  image?: string;
}

export async function runScenario(scenario: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const artifactsDir = path.join(options.artifactsDir, slug(scenario.name));
  fs.mkdirSync(artifactsDir, { recursive: true });
  const results: StepResult[] = scenario.steps.map((s) => ({ index: s.index, label: s.label, status: 'not-run', ms: 0, notes: [] }));
  let phone: Phone | null = null;
  let logTail: string[] = [];
  const cleanups: string[] = [];
  try {
    phone = await createPhone({ board: scenario.board, engine: scenario.engine, startTime: scenario.startTime, image: options.image, provisioningDir: provisioningCopy(scenario, (dir) => cleanups.push(dir)) });
    const ctx: StepContext = {
      phone, artifactsDir, scenarioDir: path.dirname(scenario.file), names: new Map(), note: () => {},
      artifact: (file) => {
        const out = path.resolve(artifactsDir, file);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        return out;
      },
    };
    for (const step of scenario.steps) {
      const result = results[step.index];
      ctx.note = (text) => result.notes.push(text);
      const faultsBefore = phone.faults.length;
      const t0 = Date.now();
      try {
        if (step.code) await step.code(ctx);
        else await stepKind(step.kind)!.run(ctx, step.argument);
        const faults = phone.faults.slice(faultsBefore);
        if (faults.length > 0) throw new Error(`firmware fault: ${faults.map((f) => `${f.kind}: ${f.message}`).join('; ')}`);
        result.status = 'passed';
      } catch (e) {
        result.status = 'failed';
        result.error = (e as Error).message ?? String(e);
      }
      result.ms = Date.now() - t0;
      if (result.status === 'failed') {
        logTail = phone.log().slice(-15);
        break;
      }
    }
  } catch (e) {
    results[0].status = 'failed';
    results[0].error = `cannot start the simulated phone: ${(e as Error).message}`;
  } finally {
    phone?.dispose();
    for (const dir of cleanups) fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    file: scenario.file, name: scenario.name, board: scenario.board, engine: scenario.engine,
    passed: results.every((r) => r.status === 'passed'), ms: Date.now() - started, steps: results, logTail,
  };
}

/** A scenario's own provisioning folder, copied so the phone's uploads never land next to the scenario. */
function provisioningCopy(scenario: LoadedScenario, cleanup: (dir: string) => void): string | undefined {
  if (!scenario.provisioningDir) return undefined;
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-prov-'));
  cleanup(copy);
  fs.cpSync(scenario.provisioningDir, copy, { recursive: true });
  return copy;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'scenario';
}
