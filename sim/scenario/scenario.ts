/**
 * What a QA scenario is: a named list of steps run against one simulated
 * phone. Written as JSON (`*.json`) or, where code is needed, TypeScript
 * (`*.ts` exporting `scenario`). Each step is an object with exactly one key,
 * the step kind, whose value is the step's argument:
 *
 *   { "name": "admin menu needs the password",
 *     "board": "desk-500",
 *     "steps": [ { "boot": {} }, { "press": "soft4 1 2" }, { "expectScreen": { "title": "Password" } } ] }
 *
 * The step kinds are in sim/scenario/steps/ (docs/scenarios.md lists them).
 */
import type { EngineKind } from '../phone-api';
import type { Phone } from '../phone';

/** A step of code, for TS scenarios. */
export interface CodeStep { run: (ctx: StepContext) => Promise<void> | void }

/** One step as written: `{ kind: argument }`, or in a TS scenario `{ run: async (ctx) => ... }`. */
export type StepSpec = CodeStep | Record<string, unknown>;

export interface Scenario {
  name: string;
  /** Board profile id (default desk-500). */
  board?: string;
  engine?: EngineKind;
  /** Wall clock at power-on, ISO 8601 (default 2026-01-01T09:00:00Z). */
  startTime?: string;
  /**
   * A number: phones running these steps in a fleet run (default 1): `phone fleet run` runs each as `<name> #NNN`.
   * A list of names (`["A", "B"]`): these phones on one virtual SIP network, A at extension 1001, B at 1002, …;
   * steps address phone A until an `onPhone` step names another.
   */
  phones?: number | string[];
  /** Folder served as the provisioning server `sim://prov/`, relative to the scenario file (default: the built-in folder). The phone gets a copy, so uploads never land in it. */
  provisioning?: string;
  steps: StepSpec[];
}

/** What a step sees while it runs. */
export interface StepContext {
  /** The phone steps address (the one the last `onPhone` step named). */
  phone: Phone;
  /** With `"phones": [...]`: every phone by name, and the network to settle after each step. */
  phones?: Map<string, Phone>;
  network?: { settle(): Promise<void> };
  /** Directory for files the scenario writes (flash dumps, screenshots). */
  artifactsDir: string;
  /** Absolute path of an artifact file (its folder created). */
  artifact(file: string): string;
  /** Directory of the scenario file: relative paths in steps resolve against it. */
  scenarioDir: string;
  /** Names given by steps (e.g. a far-end call id under the name a `ring` step gave it). */
  names: Map<string, string>;
  /** Record a note printed in the summary (e.g. "dump: 1.6 MiB, 0 hits"). */
  note(text: string): void;
}

/** A step kind: checks its argument when the scenario is loaded, runs it later. */
export interface StepKind<A = any> {
  name: string;
  /** One line for `phone scenario steps` and docs. */
  help: string;
  /** Example argument, shown in the help. */
  example: unknown;
  /** Validate and normalise the argument; throw an Error with a clear message when it is wrong. */
  parse(argument: unknown): A;
  /** Throws when the step fails (the message says what was expected and what was found). */
  run(ctx: StepContext, argument: A): Promise<void>;
  /** Short label for reports. */
  label?(argument: A): string;
}
