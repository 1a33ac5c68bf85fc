/**
 * 30 virtual days of an office phone on one desk-500: a call every 40–80
 * minutes (received, placed or missed), 1–5 minutes of talk with the call
 * screen up, hourly provisioning polls, log rotation and daily log upload to
 * the provisioning folder. The same seeded schedule runs under QuickJS and
 * Node; the figure is the wall time of the whole run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPhone } from '../../sim/phone';
import type { EngineKind } from '../../sim/phone-api';
import type { KeyName } from '../../hal/contract';

const DAY_MS = 24 * 3600 * 1000;
const MINUTE_MS = 60 * 1000;

/** mulberry32: the same schedule on every run and both engines. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function officeProvisioning(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'office-month-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg" LOG_FILE_DIRECTORY="logs" CALL_LISTS_DIRECTORY="calls"/>\n');
  fs.writeFileSync(path.join(dir, 'site.cfg'), '<polycomConfig>\n' +
    '  <prov prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="3600"/>\n' +
    '  <log log.render.file.size="32" log.render.file.upload.period="86400"/>\n' +
    '</polycomConfig>\n');
  fs.mkdirSync(path.join(dir, 'logs'));
  fs.mkdirSync(path.join(dir, 'calls'));
  return dir;
}

export interface MonthRun { wallSeconds: number; calls: number; talkMinutes: number; uploadedLogBytes: number }

export async function officeMonth(engine: EngineKind, days = 30): Promise<MonthRun> {
  const prov = officeProvisioning();
  const random = seeded(17);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const t0 = process.hrtime.bigint();
  const phone = await createPhone({ board: 'desk-500', engine, provisioningDir: prov });
  let calls = 0;
  let talkMinutes = 0;
  try {
    await phone.boot();
    const clock = phone.devices.clock;
    const end = clock.monotonic() + days * DAY_MS;
    for (;;) {
      await phone.advance(between(40, 80) * MINUTE_MS);
      if (clock.monotonic() >= end) break;
      const talkMs = between(60, 300) * 1000;
      const kind = random();
      const number = `+4930${5000000 + calls}`;
      if (kind < 0.4) {
        const id = phone.farEnd.ring(number, `Caller ${calls}`);
        await phone.advance(3000);
        await phone.press('soft1');
        await phone.advance(talkMs);
        phone.farEnd.hangup(id);
        await phone.settle();
        talkMinutes += talkMs / MINUTE_MS;
      } else if (kind < 0.8) {
        phone.farEnd.script([{ target: '*', action: 'answer', afterMs: 3000, hangupAfterMs: talkMs }]);
        await phone.pressAll([...String(200 + (calls % 50))] as KeyName[]);
        await phone.press('soft1');
        await phone.advance(3000 + talkMs + 1000);
        talkMinutes += talkMs / MINUTE_MS;
      } else {
        const id = phone.farEnd.ring(number, `Caller ${calls}`);
        await phone.advance(20000);
        phone.farEnd.hangup(id);
        await phone.settle();
      }
      calls++;
      if (phone.state !== 'running') throw new Error(`office month (${engine}): the phone is ${phone.state} after ${calls} calls`);
    }
    if (phone.faults.length > 0) throw new Error(`office month (${engine}): firmware faults: ${phone.faults.map((f) => f.message).join('; ')}`);
    const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const logs = path.join(prov, 'logs');
    const uploadedLogBytes = fs.readdirSync(logs).reduce((n, f) => n + fs.statSync(path.join(logs, f)).size, 0);
    return { wallSeconds, calls, talkMinutes, uploadedLogBytes };
  } finally {
    phone.dispose();
    fs.rmSync(prov, { recursive: true, force: true });
  }
}
