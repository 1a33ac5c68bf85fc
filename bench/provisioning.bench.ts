/**
 * Provisioning figures against a local nginx (HTTP and HTTPS, basic auth),
 * measured side by side in one run:
 * - time from power-on (createPhone) to "provisioned" (the boot-time cycle
 *   ended: master, CONFIG_FILES, overrides, directory), QuickJS vs Node,
 *   same image, same server; and how much of it is provisioning (vs idle screen);
 * - bytes per provisioning cycle when nothing changed (conditional GET) as a
 *   share of the first, full cycle, counted by nginx ($request_length,
 *   $bytes_sent) — goal: near zero file bytes.
 */
import type { Phone } from '../sim/phone';
import { createPhone } from '../sim/phone';
import type { EngineKind } from '../sim/phone-api';
import { NginxServer } from '../test/servers/nginx';
import { PASSWORD, USER, cfg, cycles, masterCfg } from '../test/provisioning/provisioning-fixture';

const RUNS = Number(process.env.BENCH_PROV_RUNS ?? 9);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function settings(server: NginxServer, https: boolean): Record<string, string> {
  return {
    'device.prov.serverName': https ? server.httpsUrl : server.httpUrl,
    'device.prov.user': USER,
    'device.prov.password': PASSWORD,
    ...(https ? { 'device.sec.TLS.customCaCert1': server.tls.caPem } : {}),
  };
}

/** Power-on → idle screen and → provisioned, ms of wall time (network is real, phone time virtual). */
async function powerOnToProvisioned(server: NginxServer, engine: EngineKind, https: boolean): Promise<{ idle: number; provisioned: number; phone: Phone }> {
  const t0 = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const phone = await createPhone({ board: 'desk-500', engine, provisioningDir: null, deviceSettings: settings(server, https) });
  await phone.boot();
  const idle = ms();
  const [line] = await cycles(phone, 1);
  const provisioned = ms();
  if (!/provisioned from/.test(line)) throw new Error(`${engine}: not provisioned: ${line}`);
  return { idle, provisioned, phone };
}

async function bootFigures(server: NginxServer, https: boolean): Promise<void> {
  const t: Record<EngineKind, { idle: number[]; provisioned: number[] }> = { quickjs: { idle: [], provisioned: [] }, node: { idle: [], provisioned: [] } };
  // One unmeasured run each: module loading and JIT warm-up are not provisioning.
  for (const engine of ['quickjs', 'node'] as const) (await powerOnToProvisioned(server, engine, https)).phone.dispose();
  for (let i = 0; i < RUNS; i++) {
    for (const engine of ['quickjs', 'node'] as const) {
      const r = await powerOnToProvisioned(server, engine, https);
      r.phone.dispose();
      t[engine].idle.push(r.idle);
      t[engine].provisioned.push(r.provisioned);
    }
  }
  const q = median(t.quickjs.provisioned);
  const n = median(t.node.provisioned);
  const qi = median(t.quickjs.idle);
  const ni = median(t.node.idle);
  console.log(`${https ? 'HTTPS' : 'HTTP '}: power-on to provisioned, median of ${RUNS}: QuickJS ${q.toFixed(1)} ms, Node ${n.toFixed(1)} ms, ratio ${(q / n).toFixed(2)}x;` +
    ` of which provisioning (after idle screen): QuickJS ${(q - qi).toFixed(1)} ms, Node ${(n - ni).toFixed(1)} ms`);
}

async function bytesFigures(server: NginxServer): Promise<void> {
  for (const engine of ['quickjs', 'node'] as const) {
    await server.quiesce();
    const mark = server.accessLog().length;
    const { phone } = await powerOnToProvisioned(server, engine, false);
    try {
      await phone.settle();
      await server.quiesce();
      const afterFirst = server.accessLog().length;
      phone.farEnd.notify('check-sync');
      await cycles(phone, 2);
      await server.quiesce();
      const first = server.accessLog().slice(mark, afterFirst).filter((e) => e.method === 'GET');
      const unchanged = server.accessLog().slice(afterFirst).filter((e) => e.method === 'GET');
      const sum = (log: typeof first, f: 'requestBytes' | 'responseBytes' | 'bodyBytes') => log.reduce((s, e) => s + e[f], 0);
      const files = (log: typeof first) => log.filter((e) => e.status === 200 || e.status === 304).reduce((s, e) => s + e.bodyBytes, 0);
      const total = (log: typeof first) => sum(log, 'requestBytes') + sum(log, 'responseBytes');
      console.log(`${engine.padEnd(7)}: cycle with nothing changed: ${unchanged.length} requests, phone sent ${sum(unchanged, 'requestBytes')} B, server sent ${sum(unchanged, 'responseBytes')} B` +
        ` (file bodies ${files(unchanged)} B, statuses ${[...new Set(unchanged.map((e) => e.status))].join('/')});` +
        ` first cycle ${total(first)} B (file bodies ${files(first)} B): unchanged/first = ${(total(unchanged) / total(first)).toFixed(2)}, file bytes ${files(unchanged)}/${files(first)}`);
    } finally {
      phone.dispose();
    }
  }
}

export async function bench(): Promise<void> {
  const server = await NginxServer.start({ auth: { user: USER, password: PASSWORD } });
  try {
    server.put('000000000000.cfg', masterCfg('site.cfg,features.cfg'));
    server.put('site.cfg', cfg({ 'prov.polling.period': '3600', 'dir.search.field': '1', 'callLists.collapseDuplicates': '1' }));
    server.put('features.cfg', cfg({ 'dir.local.UIenabled': '1', 'feature.uploadDir.enabled': '1', 'prov.polling.enabled': '1' }));
    const items = Array.from({ length: 60 }, (_, i) => `<item><fn>Contact${i}</fn><ln>Sample</ln><ct>${1000 + i}</ct></item>`).join('');
    server.put('contacts/000000000000-directory.xml', `<directory><item_list>${items}</item_list></directory>\n`);
    await bootFigures(server, false);
    await bootFigures(server, true);
    await bytesFigures(server);
  } finally {
    await server.stop();
  }
}

if (require.main === module) bench().catch((e) => { console.error(e); process.exit(1); });
