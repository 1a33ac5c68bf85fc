/**
 * Loads scenario files: JSON, or TypeScript exporting `scenario` (or a
 * default export). Every step is checked at load time, so a typo in step 37
 * is reported before step 1 runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BOARDS, isBoardId } from '../../hal/boards';
import { asObject } from './argument';
import type { Scenario } from './scenario';
import { stepKind, stepKinds } from './step-registry';

/** A step checked and ready to run. */
export interface PreparedStep {
  index: number;
  kind: string;
  label: string;
  argument: unknown;
  /** A code step from a TS scenario. */
  code?: (ctx: import('./scenario').StepContext) => Promise<void> | void;
}

export interface LoadedScenario {
  file: string;
  name: string;
  board: string;
  engine: 'quickjs' | 'node';
  startTime?: number;
  /** Absolute folder the scenario names as its provisioning server. */
  provisioningDir?: string;
  steps: PreparedStep[];
}

export class ScenarioFileError extends Error {}

export function loadScenarioFile(file: string): LoadedScenario {
  const abs = path.resolve(file);
  let raw: unknown;
  try {
    if (/\.tsx?$/.test(abs)) {
      // The compiled CLI runs without ts-node; a TS scenario brings it in on demand.
      if (!require.extensions['.ts']) require('ts-node').register({ transpileOnly: true, project: path.resolve(__dirname, '../../tsconfig.json') });
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const mod = require(abs);
      raw = mod.scenario ?? mod.default;
    } else {
      raw = JSON.parse(fs.readFileSync(abs, 'utf8'));
    }
  } catch (e) {
    throw new ScenarioFileError(`${file}: cannot load scenario: ${(e as Error).message}`);
  }
  let prepared: Omit<LoadedScenario, 'file'>;
  try {
    prepared = prepareScenario(raw);
  } catch (e) {
    throw new ScenarioFileError(`${file}: ${(e as Error).message}`);
  }
  if (prepared.provisioningDir !== undefined) {
    // Relative to the scenario file, so a scenario and its folder move together.
    prepared.provisioningDir = path.resolve(path.dirname(abs), prepared.provisioningDir);
    if (!fs.statSync(prepared.provisioningDir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ScenarioFileError(`${file}: scenario: "provisioning" folder ${prepared.provisioningDir} does not exist`);
    }
  }
  return { file: abs, ...prepared };
}

export function prepareScenario(raw: unknown): Omit<LoadedScenario, 'file'> {
  const s = asObject(raw, 'scenario') as unknown as Scenario;
  if (typeof s.name !== 'string' || s.name.trim() === '') throw new Error('scenario: "name" (a non-empty string) is required');
  const board = s.board ?? 'desk-500';
  if (!isBoardId(board)) throw new Error(`scenario: unknown board "${board}" (known: ${Object.keys(BOARDS).join(', ')})`);
  const engine = s.engine ?? 'quickjs';
  if (engine !== 'quickjs' && engine !== 'node') throw new Error(`scenario: engine must be quickjs or node, not "${engine}"`);
  let startTime: number | undefined;
  if (s.startTime !== undefined) {
    startTime = Date.parse(s.startTime);
    if (Number.isNaN(startTime)) throw new Error(`scenario: startTime "${s.startTime}" is not an ISO 8601 time`);
  }
  if (s.provisioning !== undefined && (typeof s.provisioning !== 'string' || s.provisioning.trim() === '')) {
    throw new Error('scenario: "provisioning" must be a folder path (relative to the scenario file)');
  }
  if (!Array.isArray(s.steps) || s.steps.length === 0) throw new Error('scenario: "steps" must be a non-empty list');
  const steps = s.steps.map((spec, index): PreparedStep => {
    const where = `step ${index + 1}`;
    const o = asObject(spec, where);
    const keys = Object.keys(o);
    if (keys.length !== 1) throw new Error(`${where}: a step has exactly one key, the step kind (got ${keys.join(', ') || 'none'})`);
    const kindName = keys[0];
    if (kindName === 'run') {
      if (typeof o.run !== 'function') throw new Error(`${where}: "run" takes a function (TS scenarios only)`);
      return { index, kind: 'run', label: `run ${(o.run as Function).name || 'code'}`, argument: undefined, code: o.run as PreparedStep['code'] };
    }
    const kind = stepKind(kindName);
    if (!kind) throw new Error(`${where}: unknown step "${kindName}" (known: ${stepKinds().map((k) => k.name).join(', ')})`);
    let argument: unknown;
    try {
      argument = kind.parse(o[kindName]);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    return { index, kind: kindName, label: kind.label ? kind.label(argument) : kindName, argument };
  });
  return { name: s.name, board, engine, startTime, provisioningDir: s.provisioning, steps };
}
