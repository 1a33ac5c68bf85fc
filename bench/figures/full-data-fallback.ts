/**
 * Stand-in for bench/full-data.ts (issue 17 point 1, another branch) until
 * it lands: a desk-500 flash image provisioned the real way (the phone
 * downloads its files from a provisioning folder under the Node engine) with
 * 500 local contacts, as many global entries as this image accepts (the goal
 * is 10,000; the image's limits allow fewer), 300 call-list entries and a
 * ~150 KiB configuration file, then powered off and saved.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { boardProfile } from '../../hal/boards';
import { createPhone } from '../../sim/phone';
import type { FullDataImage } from './full-data-source';

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Dennis', 'Margaret', 'Edsger', 'Donald', 'Frances', 'John', 'Radia', 'Tim', 'Sophie', 'Niklaus'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Ritchie', 'Hamilton', 'Dijkstra', 'Knuth', 'Allen', 'Backus', 'Perlman', 'Berners', 'Wilson', 'Wirth'];
/** The most global entries a 256 KiB download of this format holds on the image before issue 17 point 1. */
export const FALLBACK_GLOBAL_ENTRIES = 2000;
/** The goal is 150 KiB; with it the merged directory no longer fits the fs partition of this image. */
const CONFIG_KIB = 40;

export function directoryXml(n: number, from: number, tag: string): string {
  const items: string[] = [];
  for (let i = from; i < from + n; i++) {
    items.push(`<item><fn>${FIRST[i % FIRST.length]}</fn><ln>${LAST[(i * 7) % LAST.length]}${tag}${i}</ln><ct>${1000000 + i}</ct></item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<directory><item_list>\n${items.join('\n')}\n</item_list></directory>\n`;
}

/** A site file of about `kib` KiB: hourly polling, log upload, and line attributes that fill it. */
function siteCfg(kib: number): string {
  const head = '<polycomConfig>\n  <prov prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="3600"/>\n  <dir dir.search.field="1" dir.local.readonly="0"/>\n  <callLists callLists.collapseDuplicates="0"/>\n';
  const lines: string[] = [];
  let size = head.length;
  for (let i = 0; size < kib * 1024 - 20; i++) {
    const l = `  <reg reg.${i}.address="user${i}@pbx.example.com" reg.${i}.label="Line ${i}"/>`;
    lines.push(l);
    size += l.length + 1;
  }
  return `${head}${lines.join('\n')}\n</polycomConfig>\n`;
}

/** A provisioning folder serving the data: master, site file, the personal (500) and the global directory files. */
export function writeDataFolder(prov: string, board: string, globalEntries: number, site: string, xml: typeof directoryXml = directoryXml): void {
  fs.mkdirSync(prov, { recursive: true });
  fs.writeFileSync(path.join(prov, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg" CALL_LISTS_DIRECTORY="calls" LOG_FILE_DIRECTORY="logs"/>\n');
  fs.writeFileSync(path.join(prov, 'site.cfg'), site);
  fs.writeFileSync(path.join(prov, `${boardProfile(board).mac}-directory.xml`), xml(500, 20000, 'P'));
  fs.writeFileSync(path.join(prov, '000000000000-directory.xml'), xml(globalEntries, 0, 'G'));
}

export async function buildFallbackImage(board = 'desk-500'): Promise<FullDataImage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'full-data-'));
  const prov = path.join(dir, 'prov');
  writeDataFolder(prov, board, FALLBACK_GLOBAL_ENTRIES, siteCfg(CONFIG_KIB));
  const flashImage = path.join(dir, 'flash.img');
  const phone = await createPhone({ board, engine: 'node', provisioningDir: prov, flashImage });
  try {
    await phone.boot();
    await phone.advance(5000);
    // 300 call-list entries: 100 missed, 100 received, 100 placed.
    for (let i = 0; i < 300; i++) {
      const number = `+4930${3000000 + i}`;
      if (i % 3 === 2) {
        phone.farEnd.script([{ target: '*', action: 'answer', afterMs: 1000, hangupAfterMs: 20000 }]);
        await phone.pressAll([...number.slice(1)].map((d) => d as any));
        await phone.press('soft1');
        await phone.advance(25000);
      } else {
        const id = phone.farEnd.ring(number, `Caller ${i}`);
        await phone.advance(2000);
        if (i % 3 === 1) {
          await phone.press('soft1');
          await phone.advance(20000);
        }
        phone.farEnd.hangup(id);
        await phone.settle();
        await phone.advance(2000);
      }
    }
    if (phone.faults.length > 0) throw new Error(`full-data image: firmware faults: ${phone.faults.map((f) => f.message).join('; ')}`);
    phone.saveFlash();
  } finally {
    phone.dispose();
  }
  return {
    flashImage,
    provisioningDir: prov,
    describe: `500 local + ${FALLBACK_GLOBAL_ENTRIES} global contacts (fallback builder: 10,000 not loadable yet), 300 calls through the call lists, ${CONFIG_KIB} KiB config (150 KiB does not fit the 1 MiB fs beside them yet)`,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
