/**
 * Runs a loaded scenario on a fresh simulated phone, step by step, stopping
 * at the first failing step (later steps are reported as not run). Firmware
 * faults raised during a step fail that step too.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPhone, type Phone } from '../phone';
import { createNetworkedPhones } from '../phone-network';
import { formatScreen } from '../cli/screen-text';
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
  /** Files saved on their own when a step failed: screenshot, text model, flash dump, log. */
  failureArtifacts: string[];
}

export interface RunOptions {
  artifactsDir: string;
  /** Firmware image to run (default dist/firmware.js). */
  image?: string;
  /** Told as each step starts and ends, for progress while a long scenario runs. */
  onStep?: (event: StepProgress) => void;
}

export interface StepProgress {
  scenario: string;
  step: StepResult;
  total: number;
  phase: 'start' | 'end';
}

export async function runScenario(scenario: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const artifactsDir = path.join(options.artifactsDir, artifactFolderName(scenario));
  fs.mkdirSync(artifactsDir, { recursive: true });
  const results: StepResult[] = scenario.steps.map((s) => ({ index: s.index, label: s.label, status: 'not-run', ms: 0, notes: [] }));
  let phone: Phone | null = null;
  /** With a network: every phone of it. */
  let all: Phone[] = [];
  let logTail: string[] = [];
  let failureArtifacts: string[] = [];
  const cleanups: string[] = [];
  try {
    const phoneOptions = { board: scenario.board, engine: scenario.engine, startTime: scenario.startTime, image: options.image, provisioningDir: provisioningCopy(scenario, (dir) => cleanups.push(dir)) };
    let phones: Map<string, Phone> | undefined;
    let network: StepContext['network'];
    if (scenario.networkPhones) {
      const made = await createNetworkedPhones(scenario.networkPhones, phoneOptions);
      phones = new Map(made.phones.map((p) => [p.name, p.phone]));
      all = made.phones.map((p) => p.phone);
      network = made.network;
      phone = made.phones[0].phone;
    } else {
      phone = await createPhone(phoneOptions);
    }
    const ctx: StepContext = {
      phone, phones, network, artifactsDir, scenarioDir: path.dirname(scenario.file), names: new Map(), note: () => {},
      artifact: (file) => {
        const out = path.resolve(artifactsDir, file);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        return out;
      },
    };
    for (const step of scenario.steps) {
      const result = results[step.index];
      ctx.note = (text) => result.notes.push(text);
      phone = ctx.phone;
      const faultsBefore = phone.faults.length;
      const t0 = Date.now();
      options.onStep?.({ scenario: scenario.name, step: result, total: results.length, phase: 'start' });
      try {
        if (step.code) await step.code(ctx);
        else await stepKind(step.kind)!.run(ctx, step.argument);
        // What the step did reaches the other phones of the network before the next step looks.
        await ctx.network?.settle();
        const faults = phone.faults.slice(faultsBefore);
        if (faults.length > 0) throw new Error(`firmware fault: ${faults.map((f) => `${f.kind}: ${f.message}`).join('; ')}`);
        result.status = 'passed';
      } catch (e) {
        result.status = 'failed';
        result.error = (e as Error).message ?? String(e);
      }
      result.ms = Date.now() - t0;
      phone = ctx.phone;
      if (result.status === 'failed') {
        logTail = phone.log().slice(-15);
        failureArtifacts = saveFailureArtifacts(phone, path.join(artifactsDir, `failed-step-${step.index + 1}`), (e) => result.notes.push(e));
      }
      options.onStep?.({ scenario: scenario.name, step: result, total: results.length, phase: 'end' });
      if (result.status === 'failed') break;
    }
  } catch (e) {
    results[0].status = 'failed';
    results[0].error = `cannot start the simulated phone: ${(e as Error).message}`;
  } finally {
    if (all.length > 0) for (const p of all) p.dispose();
    else phone?.dispose();
    for (const dir of cleanups) fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    file: scenario.file, name: scenario.name, board: scenario.board, engine: scenario.engine,
    passed: results.every((r) => r.status === 'passed'), ms: Date.now() - started, steps: results, logTail, failureArtifacts,
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

/**
 * A short folder per scenario: the file's name ("admin-menu"), not the
 * scenario's sentence-long title; the path stays readable in a CI log.
 */
export function artifactFolderName(scenario: { file: string; name: string }): string {
  const base = path.basename(scenario.file).replace(/\.(json|tsx?)$/, '');
  const short = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return short || 'scenario';
}

/** What a developer needs to see why a step failed, saved at once (each file on its own: one that fails is noted, the others still saved). */
function saveFailureArtifacts(phone: Phone, dir: string, note: (text: string) => void): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const saved: string[] = [];
  const save = (file: string, make: () => string | Buffer) => {
    try {
      const out = path.join(dir, file);
      fs.writeFileSync(out, make());
      saved.push(out);
    } catch (e) {
      note(`could not save ${file}: ${(e as Error).message}`);
    }
  };
  const running = phone.state === 'running';
  if (running) save('screen.png', () => phone.screenshotPng());
  if (running) save('screen.txt', () => formatScreen(phone.screen()) + '\n\n' + JSON.stringify(phone.screen(), null, 2) + '\n');
  save('flash.img', () => phone.dumpFlash());
  save('log.txt', () => phone.log().join('\n') + '\n');
  return saved;
}
