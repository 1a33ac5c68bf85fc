/**
 * Configuration figures, measured side by side in one run: cold boot to the
 * idle screen with configuration cached in flash (master + one CONFIG_FILES
 * file of N attributes + a local override) against a blank phone, in QuickJS
 * and in Node, on the small board (desk-99, the tightest CPU budget). The
 * images are prepared by the firmware's own config service in this process.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPhone } from '../sim/phone';
import type { EngineKind } from '../sim/phone-api';
import { bootInProcess } from '../sim/host/in-process-firmware';

const RUNS = 7;
const BOARD = 'desk-99';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function imageWith(dir: string, attributes: number): { file: string; kib: number } {
  const phone = bootInProcess({ board: BOARD });
  const file = path.join(dir, `cfg-${attributes}.img`);
  let kib = 0;
  if (attributes > 0) {
    const lines = [];
    for (let i = 0; i < attributes; i++) lines.push(`  <reg reg.${i}.address="user${i}@pbx.example.com" reg.${i}.label="Line ${i}"/>`);
    const text = `<polycomConfig prov.login.automaticLogout="30" dir.search.field="1">\n${lines.join('\n')}\n</polycomConfig>\n`;
    kib = text.length / 1024;
    const c = phone.booted.config;
    c.applyMaster('<APPLICATION CONFIG_FILES="site.cfg"/>');
    const r = c.applyConfigFile('site.cfg', text);
    if (!r.ok) throw new Error(r.error);
    c.setOverride('local', 'up.echoPasswordDigits', '0');
  }
  phone.save(file);
  return { file, kib };
}

async function bootMs(engine: EngineKind, flashImage: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const phone = await createPhone({ board: BOARD, engine, flashImage });
  await phone.boot();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const ok = phone.screen().id === 'idle' && phone.faults.length === 0;
  phone.dispose();
  if (!ok) throw new Error(`${engine} did not boot cleanly from ${flashImage}`);
  return ms;
}

export async function bench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-bench-'));
  try {
    const sizes = [0, 200, 2000];
    const images = sizes.map((n) => ({ n, ...imageWith(dir, n) }));
    const results: Record<string, Record<EngineKind, number>> = {};
    for (const img of images) {
      const t: Record<EngineKind, number[]> = { quickjs: [], node: [] };
      for (let i = 0; i < RUNS; i++) for (const e of ['quickjs', 'node'] as EngineKind[]) t[e].push(await bootMs(e, img.file));
      results[img.n] = { quickjs: median(t.quickjs), node: median(t.node) };
    }
    const base = results[0];
    console.log(`cold boot to idle on ${BOARD}, median of ${RUNS}, with cached configuration vs a blank phone:`);
    for (const img of images) {
      const r = results[img.n];
      console.log(`  ${String(img.n * 2).padStart(5)} attributes (${img.kib.toFixed(0).padStart(4)} KiB cfg): QuickJS ${r.quickjs.toFixed(0).padStart(5)} ms (${(r.quickjs / base.quickjs).toFixed(2)}x blank), Node ${r.node.toFixed(0).padStart(4)} ms (${(r.node / base.node).toFixed(2)}x blank); QuickJS/Node ${(r.quickjs / r.node).toFixed(1)}x`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
