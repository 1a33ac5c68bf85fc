/**
 * Inside a fleet worker thread: takes one job at a time from the main thread,
 * runs it on a fresh simulated phone (sim/scenario/runner.ts) and posts the
 * result back. Scenario files are loaded here (a TS scenario's code steps
 * cannot cross threads), once per file.
 */
import { parentPort } from 'worker_threads';
import { loadScenarioFile, type LoadedScenario } from '../scenario/loader';
import { runScenario, type ScenarioResult } from '../scenario/runner';
import type { FleetJob } from './fleet-job';

export interface JobMessage { job: FleetJob; artifactsDir: string; image?: string }
export interface ResultMessage { name: string; result: ScenarioResult }

const loaded = new Map<string, LoadedScenario>();

async function run(m: JobMessage): Promise<ScenarioResult> {
  let scenario = loaded.get(m.job.file);
  if (!scenario) {
    scenario = loadScenarioFile(m.job.file);
    loaded.set(m.job.file, scenario);
  }
  return runScenario({ ...scenario, name: m.job.name }, { artifactsDir: m.artifactsDir, image: m.image });
}

parentPort!.on('message', (m: JobMessage) => {
  run(m).then(
    (result) => parentPort!.postMessage({ name: m.job.name, result } satisfies ResultMessage),
    (e) => parentPort!.postMessage({
      name: m.job.name,
      result: { file: m.job.file, name: m.job.name, board: '?', engine: '?', passed: false, ms: 0, logTail: [], failureArtifacts: [], steps: [{ index: 0, label: 'load', status: 'failed', ms: 0, notes: [], error: `fleet worker: ${(e as Error).message}` }] },
    } satisfies ResultMessage),
  );
});
