/** The step kinds a scenario may use. Later features add theirs with `registerStep`. */
import type { StepKind } from './scenario';
import { directorySteps } from './steps/directory';
import { callSteps } from './steps/calls';
import { farEndSteps } from './steps/far-end';
import { flashSteps } from './steps/flash';
import { loginSteps } from './steps/login';
import { logsSteps } from './steps/logs';
import { navigationSteps } from './steps/navigation';
import { networkSteps } from './steps/network';
import { phoneSteps } from './steps/phone';
import { powerSteps } from './steps/power';
import { resetSteps } from './steps/reset';

const registry = new Map<string, StepKind>();

export function registerStep(kind: StepKind): void {
  if (registry.has(kind.name)) throw new Error(`scenario step "${kind.name}" registered twice`);
  registry.set(kind.name, kind);
}

export function stepKind(name: string): StepKind | undefined {
  return registry.get(name);
}

export function stepKinds(): StepKind[] {
  return [...registry.values()];
}

for (const kind of [...phoneSteps, ...navigationSteps, ...farEndSteps, ...callSteps, ...powerSteps, ...flashSteps, ...loginSteps, ...logsSteps, ...directorySteps, ...resetSteps, ...networkSteps]) registerStep(kind);
