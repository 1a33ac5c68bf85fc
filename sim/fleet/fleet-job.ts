/**
 * The unit of a fleet run: one simulated phone running one scenario. A
 * scenario file with `"phones": N` stands for N phones running the same steps
 * (an office of identical desk phones), named `<name> #001` … so each phone
 * is sharded and reported on its own.
 */
import type { LoadedScenario } from '../scenario/loader';

export interface FleetJob {
  /** Absolute path of the scenario file (a worker loads it itself: TS steps are code, not data). */
  file: string;
  /** Name of this phone's run: the scenario's, with ` #NNN` when the file stands for several phones. */
  name: string;
}

export function jobsOf(scenario: LoadedScenario): FleetJob[] {
  if (scenario.phones <= 1) return [{ file: scenario.file, name: scenario.name }];
  const width = String(scenario.phones).length;
  const jobs: FleetJob[] = [];
  for (let i = 1; i <= scenario.phones; i++) jobs.push({ file: scenario.file, name: `${scenario.name} #${String(i).padStart(width, '0')}` });
  return jobs;
}
