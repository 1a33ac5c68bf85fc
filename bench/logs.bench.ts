/**
 * Logger figures, measured side by side in one run:
 * - lines per second the logger sustains, and the longest wall time one burst
 *   interval took (what a key press could wait behind a burst and its flush) (bursts of LINES_PER_BURST lines every
 *   BURST_INTERVAL_MS of virtual time through the real logs module: formatting,
 *   serial console, RAM buffer, batched encrypted writes to the flash store,
 *   rotation), QuickJS vs Node on the same image, plain lines and redacted SIP
 *   message dumps (HMAC in the HAL crypto engine);
 * - flash bytes programmed per logged byte, batched (the logs module) vs one
 *   store append per line (what a naive logger does), and the erase spread
 *   of the fs partition after the run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware } from '../build/bundle';
import { createPhone } from '../sim/phone';
import type { EngineKind } from '../sim/phone-api';
import { BOARDS } from '../hal/boards';
import { FileStore } from '../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../sim/devices/crypto';
import { VirtualFlash } from '../sim/devices/flash';
import { BURST_INTERVAL_MS, LINES_PER_BURST } from './logs-bench-image';

const VIRTUAL_MS = 20_000;
/** The image logs redacted SIP dumps when its start time is odd. */
const PLAIN_START = Date.UTC(2026, 0, 1);
const SIP_START = PLAIN_START + 1;

interface Run { engine: EngineKind; kind: string; lines: number; wallMs: number; worstStepMs: number; dropped: number; perLoggedByte: number; eraseMax: number; eraseMean: number }

async function run(image: string, engine: EngineKind, startTime: number): Promise<Run> {
  const phone = await createPhone({ board: 'desk-500', engine, image, startTime, provisioningDir: null });
  try {
    await phone.boot();
    const fsBefore = phone.flashStats().partitions.find((p) => p.name === 'fs')!;
    // One burst interval at a time: the slowest step is how long a key press could wait behind a burst and its flush.
    let wallMs = 0;
    let worstStepMs = 0;
    for (let t = 0; t < VIRTUAL_MS; t += BURST_INTERVAL_MS) {
      const t0 = process.hrtime.bigint();
      await phone.advance(BURST_INTERVAL_MS);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      wallMs += ms;
      worstStepMs = Math.max(worstStepMs, ms);
    }
    const report = phone.log().filter((l) => l.startsWith('bench|')).pop()!;
    const f = Object.fromEntries(report.split('|').slice(1).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
    const fsAfter = phone.flashStats().partitions.find((p) => p.name === 'fs')!;
    const erase = fsAfter.eraseCounts;
    return {
      engine, worstStepMs, kind: startTime === SIP_START ? 'sip dumps, redacted' : 'plain lines', lines: f.lines, wallMs, dropped: f.dropped,
      perLoggedByte: (fsAfter.programBytes - fsBefore.programBytes) / f.bytes,
      eraseMax: Math.max(...erase), eraseMean: erase.reduce((a, b) => a + b, 0) / erase.length,
    };
  } finally {
    phone.dispose();
  }
}

/** Programmed bytes per logged byte when every line is its own store append. */
function perLineAppend(lines: number): number {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const store = FileStore.mount(flash.open('fs'), new NodeCryptoEngine(new Keystore()));
  const before = store.stats().programBytes;
  let bytes = 0;
  for (let i = 0; i < lines; i++) {
    const line = `2026-01-01T00:00:00.000Z|calls|1|0|call ${i} state connected remote party answered codec G722 rtp 10.0.0.${i % 250}:${20000 + (i % 1000)}\n`;
    bytes += line.length;
    if (i % 200 === 199) store.write('logs/naive.log', new Uint8Array(0), { cls: 'logs' }); // rotate: keep the file small
    else store.append('logs/naive.log', new Uint8Array(Buffer.from(line)), { cls: 'logs' });
  }
  return (store.stats().programBytes - before) / bytes;
}

export async function bench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-bench-'));
  const image = path.join(dir, 'firmware.js');
  await buildFirmware(image, path.join(__dirname, 'logs-bench-image.ts'));
  try {
    const runs: Run[] = [];
    for (const start of [PLAIN_START, SIP_START]) for (const engine of ['quickjs', 'node'] as EngineKind[]) runs.push(await run(image, engine, start));
    const offered = (VIRTUAL_MS / BURST_INTERVAL_MS) * LINES_PER_BURST;
    console.log(`logger: ${offered} lines offered in bursts of ${LINES_PER_BURST} every ${BURST_INTERVAL_MS} ms of virtual time (${(LINES_PER_BURST * 1000) / BURST_INTERVAL_MS} lines/s offered)`);
    for (const r of runs) {
      console.log(`  ${r.engine.padEnd(7)} ${r.kind.padEnd(20)} ${Math.round(r.lines / (r.wallMs / 1000)).toString().padStart(7)} lines/s sustained (${r.lines} lines in ${r.wallMs.toFixed(0)} ms wall), ` +
        `worst burst+flush ${r.worstStepMs.toFixed(0)} ms, ${r.dropped} dropped, ${r.perLoggedByte.toFixed(2)} flash bytes programmed per logged byte, fs erase counts max ${r.eraseMax} / mean ${r.eraseMean.toFixed(1)}`);
    }
    for (const kind of ['plain lines', 'sip dumps, redacted']) {
      const q = runs.find((r) => r.engine === 'quickjs' && r.kind === kind)!;
      const n = runs.find((r) => r.engine === 'node' && r.kind === kind)!;
      console.log(`  ${kind}: QuickJS sustains ${((q.lines / q.wallMs) / (n.lines / n.wallMs)).toFixed(2)}x the lines/s of Node`);
    }
    const naive = perLineAppend(4000);
    const batched = runs.find((r) => r.engine === 'quickjs' && r.kind === 'plain lines')!.perLoggedByte;
    console.log(`flash: ${batched.toFixed(2)} bytes programmed per logged byte batched vs ${naive.toFixed(2)} with one store append per line (${(naive / batched).toFixed(1)}x fewer)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
