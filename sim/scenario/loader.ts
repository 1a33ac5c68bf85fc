/**
 * Loads scenario files: JSON, or TypeScript exporting `scenario` (or a
 * default export). Every step is checked at load time, so a typo in step 37
 * is reported before step 1 runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MAX_NETWORK_PHONES } from '../phone-network';
import { BOARDS, isBoardId } from '../../hal/boards';
import { asObject } from './argument';
import { didYouMean } from './did-you-mean';
import { JsonSyntaxError, jsonPositions, positionAt, type TextPosition } from './json-positions';
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
  /** Phones running these steps in a fleet run (`phone fleet run`; `phone scenario run` runs one). */
  phones: number;
  /** `"phones": ["A", "B"]`: these phones on one virtual SIP network (extensions 1001, 1002, …); steps address one with `onPhone`. */
  networkPhones?: string[];
  /** Absolute folder the scenario names as its provisioning server. */
  provisioningDir?: string;
  steps: PreparedStep[];
}

export class ScenarioFileError extends Error {}

/** One thing wrong in a scenario, at a path into it ("steps/3/press"; "" for the whole file). */
export interface ScenarioProblem { path: string; message: string }

/** Every problem found in a scenario, not just the first: QA fixes them in one go. */
export class ScenarioValidationError extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

export function loadScenarioFile(file: string): LoadedScenario {
  const abs = path.resolve(file);
  let raw: unknown;
  let text: string | undefined;
  try {
    if (/\.tsx?$/.test(abs)) {
      // The compiled CLI runs without ts-node; a TS scenario brings it in on demand.
      if (!require.extensions['.ts']) require('ts-node').register({ transpileOnly: true, project: path.resolve(__dirname, '../../tsconfig.json') });
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const mod = require(abs);
      raw = mod.scenario ?? mod.default;
    } else {
      text = fs.readFileSync(abs, 'utf8');
      raw = JSON.parse(text);
    }
  } catch (e) {
    const message = (e as Error).message;
    // The line and column an editor jumps to (JSON.parse does not always give the position).
    const syntax = text !== undefined ? syntaxError(text) : undefined;
    if (syntax) throw new ScenarioFileError(`${file}:${formatPosition(positionAt(text!, syntax.offset))}: cannot load scenario: ${syntax.message}`);
    throw new ScenarioFileError(`${file}: cannot load scenario: ${message.split('\n')[0]}`);
  }
  let prepared: Omit<LoadedScenario, 'file'>;
  try {
    prepared = prepareScenario(raw);
  } catch (e) {
    if (!(e instanceof ScenarioValidationError)) throw new ScenarioFileError(`${file}: ${(e as Error).message}`);
    const positions = text !== undefined ? jsonPositions(text) : new Map<string, TextPosition>();
    throw new ScenarioFileError(e.problems.map((p) => `${file}${located(positions, p.path)}: ${p.message}`).join('\n'));
  }
  if (prepared.provisioningDir !== undefined) {
    // Relative to the scenario file, so a scenario and its folder move together.
    prepared.provisioningDir = path.resolve(path.dirname(abs), prepared.provisioningDir);
    if (!fs.statSync(prepared.provisioningDir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ScenarioFileError(`${file}${located(text !== undefined ? jsonPositions(text) : new Map(), 'provisioning')}: scenario: "provisioning" folder ${prepared.provisioningDir} does not exist`);
    }
  }
  return { file: abs, ...prepared };
}

function syntaxError(text: string): JsonSyntaxError | undefined {
  try {
    jsonPositions(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
  }
  return undefined;
}

function formatPosition(p: TextPosition): string {
  return `${p.line}:${p.column}`;
}

/** ":LINE:COL" of the deepest known part of `where` ("steps/3/press" falls back to "steps/3"), or "" (TS files). */
function located(positions: Map<string, TextPosition>, where: string): string {
  for (let p = where; ; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
    const at = positions.get(p);
    if (at && p !== '') return `:${formatPosition(at)}`;
    if (p === '') return '';
  }
}

export function prepareScenario(raw: unknown): Omit<LoadedScenario, 'file'> {
  const s = asObject(raw, 'scenario') as unknown as Scenario;
  const problems: ScenarioProblem[] = [];
  const problem = (where: string, message: string) => problems.push({ path: where, message });
  onlyScenarioFields(s, problem);
  if (typeof s.name !== 'string' || s.name.trim() === '') problem('name', 'scenario: "name" (a non-empty string) is required');
  const board = s.board ?? 'desk-500';
  if (!isBoardId(board)) problem('board', `scenario: unknown board "${board}"${didYouMean(String(board), Object.keys(BOARDS))} (known: ${Object.keys(BOARDS).join(', ')})`);
  const engine = s.engine ?? 'quickjs';
  if (engine !== 'quickjs' && engine !== 'node') problem('engine', `scenario: engine must be quickjs or node, not "${engine}"`);
  let startTime: number | undefined;
  if (s.startTime !== undefined) {
    startTime = Date.parse(s.startTime);
    if (Number.isNaN(startTime)) problem('startTime', `scenario: startTime "${s.startTime}" is not an ISO 8601 time`);
  }
  let networkPhones: string[] | undefined;
  let phones = 1;
  if (Array.isArray(s.phones)) {
    networkPhones = s.phones as string[];
    const bad = networkPhones.find((n) => typeof n !== 'string' || !/^[A-Za-z0-9]{1,8}$/.test(n));
    if (networkPhones.length < 1 || networkPhones.length > MAX_NETWORK_PHONES || bad !== undefined || new Set(networkPhones).size !== networkPhones.length) {
      problem('phones', `scenario: "phones" as a list names 1–${MAX_NETWORK_PHONES} different phones on one SIP network (letters and digits, e.g. ["A", "B"]), not ${JSON.stringify(s.phones)}`);
    }
  } else {
    phones = s.phones ?? 1;
    if (!Number.isInteger(phones) || phones < 1 || phones > 10000) problem('phones', `scenario: "phones" must be a whole number 1–10000 (copies in a fleet run) or a list of phone names on one SIP network, not ${JSON.stringify(s.phones)}`);
  }
  if (s.provisioning !== undefined && (typeof s.provisioning !== 'string' || s.provisioning.trim() === '')) {
    problem('provisioning', 'scenario: "provisioning" must be a folder path (relative to the scenario file)');
  }
  const steps: PreparedStep[] = [];
  if (!Array.isArray(s.steps) || s.steps.length === 0) problem('steps', 'scenario: "steps" must be a non-empty list');
  else {
    s.steps.forEach((spec, index) => {
      try {
        steps.push(prepareStep(spec, index, isBoardId(board) ? board : undefined));
      } catch (e) {
        const kind = spec && typeof spec === 'object' && !Array.isArray(spec) ? Object.keys(spec)[0] : undefined;
        problem(kind ? `steps/${index}/${kind}` : `steps/${index}`, (e as Error).message);
      }
    });
  }
  if (problems.length > 0) throw new ScenarioValidationError(problems);
  return { name: s.name, board, engine, startTime, phones, ...(networkPhones ? { networkPhones } : {}), provisioningDir: s.provisioning, steps };
}

const SCENARIO_FIELDS = ['name', 'board', 'engine', 'startTime', 'phones', 'provisioning', 'steps', 'description'];

function onlyScenarioFields(s: object, problem: (where: string, message: string) => void): void {
  for (const key of Object.keys(s)) {
    if (!SCENARIO_FIELDS.includes(key)) problem(key, `scenario: unknown field "${key}"${didYouMean(key, SCENARIO_FIELDS)} (allowed: ${SCENARIO_FIELDS.join(', ')})`);
  }
}

function prepareStep(spec: unknown, index: number, board: keyof typeof BOARDS | undefined): PreparedStep {
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
  const known = stepKinds().map((k) => k.name);
  if (!kind) throw new Error(`${where}: unknown step "${kindName}"${didYouMean(kindName, known)} (known: ${known.join(', ')})`);
  let argument: unknown;
  try {
    argument = kind.parse(o[kindName]);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  // Keys are known per board: a key the scenario's board lacks fails here, not at step 37.
  if (kindName === 'press' && board) {
    const boardKeys = BOARDS[board].keys as readonly string[];
    const missing = (argument as string[]).filter((k) => !boardKeys.includes(k));
    if (missing.length > 0) {
      throw new Error(`${where}: press: board ${board} has no key ${missing.map((k) => `"${k}"${didYouMean(k, boardKeys)}`).join(', ')}${missing.includes('home') ? ' (use the goIdle step: it works on every board)' : ''}`);
    }
  }
  return { index, kind: kindName, label: kind.label ? kind.label(argument) : kindName, argument };
}
