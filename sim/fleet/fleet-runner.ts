/**
 * `phone fleet run`: fleet jobs spread over worker threads (each a Node
 * isolate with its own QuickJS module, so phones run in parallel on every
 * core), results gathered in the order of the jobs for one merged report.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { ScenarioResult } from '../scenario/runner';
import type { FleetJob } from './fleet-job';
import type { JobMessage, ResultMessage } from './fleet-worker-main';

export interface FleetOptions {
  workers: number;
  artifactsDir: string;
  image?: string;
  /** Called as each phone finishes (progress lines). */
  onResult?: (result: ScenarioResult, done: number, total: number) => void;
}

const WORKER_SCRIPT = path.join(__dirname, 'fleet-worker.js');

export async function runFleet(jobs: FleetJob[], o: FleetOptions): Promise<ScenarioResult[]> {
  const results = new Array<ScenarioResult>(jobs.length);
  if (jobs.length === 0) return [];
  let next = 0;
  let done = 0;
  const workerCount = Math.max(1, Math.min(o.workers, jobs.length));
  const one = (): Promise<void> => new Promise<void>((resolve) => {
    const worker = new Worker(WORKER_SCRIPT);
    let current = -1;
    const feed = () => {
      if (next >= jobs.length) {
        void worker.terminate().then(() => resolve());
        return;
      }
      current = next++;
      worker.postMessage({ job: jobs[current], artifactsDir: o.artifactsDir, image: o.image } satisfies JobMessage);
    };
    worker.on('message', (m: ResultMessage) => {
      results[current] = m.result;
      o.onResult?.(m.result, ++done, jobs.length);
      feed();
    });
    // A worker that dies (a thread-level crash) fails its phone alone; a fresh worker takes the remaining jobs.
    worker.on('error', (e) => {
      if (current >= 0 && !results[current]) {
        const job = jobs[current];
        results[current] = { file: job.file, name: job.name, board: '?', engine: '?', passed: false, ms: 0, logTail: [], failureArtifacts: [], steps: [{ index: 0, label: 'run', status: 'failed', ms: 0, notes: [], error: `fleet worker died: ${e.message}` }] };
        o.onResult?.(results[current], ++done, jobs.length);
      }
      void worker.terminate();
      resolve(next < jobs.length ? one() : undefined);
    });
    feed();
  });
  await Promise.all(Array.from({ length: workerCount }, one));
  return results;
}
