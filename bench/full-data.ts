/**
 * The full-data phone of issue 17, as a reusable flash image: a desk-500 with
 * 500 local contacts (its personal directory file, adopted at first boot),
 * the 10,000-entry global directory merged under them, 300 calls through its
 * call lists and CDR store (the lists keep their newest 3 × 30), and a
 * 150 KiB configuration file, all provisioned from a folder the way a real
 * server would serve them. Benches boot this image cold to time the boot and
 * sample the QuickJS heap peak (PhoneOptions.trackMemoryPeak).
 *
 *   const image = await buildFullDataPhone(file);       // writes file, file.keys.json, file.power.json
 *   const phone = await createPhone({ board: image.board, engine: 'quickjs', flashImage: file, provisioningDir: null, trackMemoryPeak: true });
 *   await phone.boot();   // cold boot: time it; phone.memoryPeak() is the boot's peak
 *
 * Nothing here reads outside the repository; the data is generated.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPhone, type Phone } from '../sim/phone';

export interface FullDataOptions {
  /** Local contacts (default 500, the desk-500's limit). */
  localContacts?: number;
  /** Global directory entries (default 10,000). */
  globalContacts?: number;
  /** Calls placed through the phone (default 300). */
  calls?: number;
  /** Size of the configuration file (default 150 KiB). */
  configBytes?: number;
  /** Firmware image to build with (default dist/firmware.js). */
  image?: string;
}

export interface FullDataPhone {
  board: 'desk-500';
  /** The flash image file (nvram + fs + updater) with its keys beside it (`.keys.json`, `.power.json`): PhoneOptions.flashImage. */
  file: string;
  /** What the image holds, as the firmware logged it at the end of the build. */
  contacts: number;
  localContacts: number;
  callListEntries: number;
  configBytes: number;
  globalXmlBytes: number;
}

const MAC = '0004f2a1b2c3';
const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Dennis', 'Margaret', 'Edsger', 'Donald', 'Frances', 'John', 'Radia', 'Tim', 'Sophie', 'Niklaus'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Ritchie', 'Hamilton', 'Dijkstra', 'Knuth', 'Allen', 'Backus', 'Perlman', 'Berners', 'Wilson', 'Wirth'];

export function directoryFileXml(n: number, from: number, tag: string): string {
  const items: string[] = [];
  for (let i = from; i < from + n; i++) {
    items.push(`<item><fn>${FIRST[i % FIRST.length]}</fn><ln>${LAST[(i * 7) % LAST.length]}${tag}${i}</ln><ct>${1000000 + i}</ct>${i % 50 === 0 ? `<sd>${(i / 50) % 99 + 1}</sd>` : ''}</item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<directory><item_list>\n${items.join('\n')}\n</item_list></directory>\n`;
}

/**
 * A configuration file of about `bytes`: real parameters set to their usual
 * values, padded with the admin comments real site files carry.
 */
export function configFile(bytes: number): string {
  const attrs = ['prov.polling.period="3600"', 'dir.search.field="0"', 'callLists.collapseDuplicates="1"', 'feature.uploadDir.enabled="0"'];
  let out = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig ${attrs.join(' ')}/>\n`;
  let n = 0;
  while (out.length < bytes) out += `<!-- site note ${n++}: ${'desk phones of the third floor follow the office profile; '.repeat(4)}-->\n`;
  return out;
}

async function until(phone: Phone, what: string, done: () => boolean, limitMs = 300_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`full-data phone: timed out waiting for ${what}; log:\n${phone.log().slice(-20).join('\n')}`);
    await phone.advance(1000);
    await phone.settle();
  }
}

/**
 * Build the issue's full-data desk-500 into the flash image `file` (Node
 * engine: the data is the same, the build faster). The phone's keys are saved
 * beside it, as the secure element keeps them across power cycles.
 */
export async function buildFullDataPhone(file: string, o: FullDataOptions = {}): Promise<FullDataPhone> {
  const local = o.localContacts ?? 500;
  const global = o.globalContacts ?? 10000;
  const calls = o.calls ?? 300;
  const configBytes = o.configBytes ?? 150 * 1024;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'full-data-'));
  const globalXml = directoryFileXml(global, 0, 'G');
  const config = configFile(configBytes);
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg" CONTACTS_DIRECTORY="" OVERRIDES_DIRECTORY="overrides" CALL_LISTS_DIRECTORY="calls" LOG_FILE_DIRECTORY="logs"/>\n');
  fs.writeFileSync(path.join(dir, 'site.cfg'), config);
  fs.writeFileSync(path.join(dir, '000000000000-directory.xml'), globalXml);
  fs.writeFileSync(path.join(dir, `${MAC}-directory.xml`), directoryFileXml(local, global, 'P'));
  if (fs.existsSync(file)) fs.rmSync(file);
  const phone = await createPhone({ board: 'desk-500', engine: 'node', provisioningDir: dir, image: o.image, flashImage: file });
  try {
    await phone.boot();
    const merged = () => phone.log().filter((l) => /directory: merged \d+ local and \d+ global contacts: (\d+)/.test(l)).pop();
    await until(phone, 'the merged directory', () => (merged() ?? '').includes(`merged ${local} local and ${global} global`));
    for (let i = 0; i < calls; i++) {
      const id = phone.farEnd.ring(`+49301${String(i).padStart(6, '0')}`, `Caller ${i}`);
      await phone.settle();
      if (i % 3 !== 0) await phone.press('soft1'); // two of three answered, one missed
      await phone.advance(i % 3 !== 0 ? 60_000 : 20_000);
      if (phone.farEnd.calls().some((c) => c.callId === id && c.state !== 'ended')) phone.farEnd.hangup(id);
      await phone.settle();
    }
    await phone.advance(10_000);
    await phone.settle();
    const size = Number(/: (\d+) for the phone/.exec(merged() ?? '')?.[1] ?? 0);
    phone.saveFlash(file);
    return { board: 'desk-500', file, contacts: size, localContacts: local, callListEntries: calls, configBytes: config.length, globalXmlBytes: globalXml.length };
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
