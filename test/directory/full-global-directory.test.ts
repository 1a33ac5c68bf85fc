/**
 * A desk-500 holding the 10,000-entry global directory the issue names
 * (issue 17, "hold the data"), provisioned from a real nginx and run on the
 * real bundle in QuickJS: downloaded, merged and searchable, with the QuickJS
 * heap's peak (sampled at every interrupt poll and host call, not an
 * after-value) within 4 MiB during the merge and during the boot that
 * follows; an oversize or malformed global file is refused alone and the last
 * good directory stays, across a reboot too.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';
import { boardProfile } from '../../hal/boards';
import type { NginxServer } from '../servers/nginx';
import { PASSWORD, USER, cfg, cycles, masterCfg, provisioningServerFor } from '../provisioning/provisioning-fixture';
import { directoryXml, people } from './directory-fixture';

const MIB = 1024 * 1024;
const HEAP_PEAK_GOAL = 4 * MIB;
const GLOBAL_PATH = 'contacts/000000000000-directory.xml';
/** 9,999 people plus one Alan Turing to search for and to ring. */
const GLOBAL = directoryXml([...people(9999), { fn: 'Alan', ln: 'Turing', ct: '4711' }]);

let server: NginxServer;
provisioningServerFor(test, { auth: { user: USER, password: PASSWORD } }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.cfg'));
  s.put('site.cfg', cfg({}));
  s.put(GLOBAL_PATH, GLOBAL);
});

/** Run virtual time until `done` (a 10,000-entry merge takes seconds of real time in QuickJS: 120 s limit). */
async function advanceUntil(phone: Phone, what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; log:\n${phone.log().slice(-20).join('\n')}`);
    await phone.advance(1000);
    await phone.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The same phone booted again from its flash, as a new simulated phone (a
 * fresh QuickJS runtime: see the note on dispose in sim/host/quickjs-engine.ts).
 */
async function bootAgain(phone: Phone): Promise<Phone> {
  const image = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'full-dir-')), 'flash.bin');
  // With the phone's keys (its secure element): the directory pages are sealed.
  phone.saveFlash(image);
  phone.dispose();
  const again = await phoneAtServer(image);
  again.onDispose(() => fs.rmSync(path.dirname(image), { recursive: true, force: true }));
  await again.settle();
  return again;
}

async function phoneAtServer(flashImage?: string): Promise<Phone> {
  return bootPhone({
    board: 'desk-500',
    engine: 'quickjs',
    provisioningDir: null,
    trackMemoryPeak: true,
    ...(flashImage ? { flashImage } : {}),
    deviceSettings: { 'device.prov.serverName': server.httpUrl, 'device.prov.user': USER, 'device.prov.password': PASSWORD, 'device.prov.timeoutMs': '5000' },
  });
}

const merges = (phone: Phone) => phone.log().filter((l) => /\|dir\|\d\|\d+\|directory: merged \d+ local and [1-9]/.test(l));

async function openLocalDirectory(phone: Phone): Promise<void> {
  await phone.press('home');
  if (phone.screen().id !== 'menu') await phone.press('home');
  for (const label of ['Contacts', 'Local Directory']) {
    const line = phone.screen().lines.find((l) => l.includes(label));
    assert.ok(line, `menu entry ${label} in ${JSON.stringify(phone.screen().lines)}`);
    await phone.press(line!.split('.')[0] as KeyName);
  }
}

async function searchTuring(phone: Phone): Promise<string[]> {
  await openLocalDirectory(phone);
  assert.is(phone.screen().title, 'Local Directory (10000/10000)');
  // "t" (8 once), pause, "u" (8 twice).
  await phone.press('8');
  await phone.advance(1100);
  await phone.pressAll(['8', '8']);
  const s = phone.screen();
  assert.is(s.title, 'Local Directory (1/10000)');
  return s.lines.slice(1);
}

test('10,000-entry global directory from nginx: held, searchable, a caller named; heap peak ≤ 4 MiB in the merge and in the next boot', async () => {
  let phone = await phoneAtServer();
  try {
    phone.memoryPeak(true);
    // The merge's own peak: from its first log line to its last (the heap is sampled from inside the log call).
    let downloadPeak = 0;
    let mergePeak = 0;
    phone.onLog((line) => {
      if (line.includes('directory: merging 000000000000-directory.xml')) downloadPeak = phone.memoryPeak(true);
      else if (/directory: merged \d+ local and [1-9]/.test(line)) mergePeak = phone.memoryPeak(true);
    });
    await cycles(phone, 1);
    await advanceUntil(phone, 'the merge of the global directory', () => merges(phone).length > 0);
    assert.match(merges(phone)[0], 'directory: merged 0 local and 10000 global contacts: 10000 for the phone');
    // The merge (about 5,000-10,000 interrupt polls in all) ran step by step, every event within
    // desk-500's ordinary allowance: an event over it would be a fault.
    assert.equal(boardProfile('desk-500').cpuBudget, { pollsPerEvent: 2000, pollsAtBoot: 20000, msPerEvent: 1000, msAtBoot: 10000 });
    assert.equal(phone.faults, [], 'no event over its CPU allowance');
    // The body streams to flash as it arrives (NetRequest.onBodyChunk): the download holds no copy of the whole file.
    assert.ok(downloadPeak > 0 && downloadPeak <= HEAP_PEAK_GOAL, `heap peak in the boot and download ${(downloadPeak / MIB).toFixed(2)} MiB > 4 MiB`);
    assert.ok(mergePeak > 0 && mergePeak <= HEAP_PEAK_GOAL, `heap peak in the merge ${(mergePeak / MIB).toFixed(2)} MiB > 4 MiB (download: ${(downloadPeak / MIB).toFixed(2)} MiB)`);
    assert.equal(await searchTuring(phone), ['Alan Turing  4711']);

    phone = await bootAgain(phone);
    const bootPeak = phone.memoryPeak(true);
    assert.ok(bootPeak <= HEAP_PEAK_GOAL, `heap peak in the boot ${(bootPeak / MIB).toFixed(2)} MiB > 4 MiB`);
    assert.ok(phone.log().some((l) => l.includes('directory: 10000 contacts (0 local) for the phone')), 'held across the reboot');
    assert.is(merges(phone).length, 0, 'the boot does not merge the unchanged file again');
    phone.farEnd.ring('4711', '');
    await phone.settle();
    assert.ok(JSON.stringify(phone.screen()).includes('Alan Turing'), JSON.stringify(phone.screen()));
    const mib = (peak: number) => `${(peak / MIB).toFixed(2)} MiB`;
    console.log(`  full global directory: QuickJS heap peak ${mib(downloadPeak)} in the boot and download, ${mib(mergePeak)} in the merge, ${mib(bootPeak)} in the next boot (glyphs read through the HAL)`);
  } finally {
    phone.dispose();
  }
});

test('an oversize, then a malformed global file: each refused alone with a log line; the last good 10,000 stay, also after a reboot', async () => {
  let phone = await phoneAtServer();
  try {
    await cycles(phone, 1);
    await advanceUntil(phone, 'the first merge', () => merges(phone).length > 0);
    // Oversize: 2.7 MiB of items (past the 2 MiB a directory file may have).
    server.put(GLOBAL_PATH, directoryXml(people(40000)));
    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    assert.ok(phone.log().some((l) => /000000000000-directory\.xml: refused, file larger than 2097152 bytes/.test(l)), phone.log().slice(-10).join('\n'));
    // Malformed: an unclosed item.
    server.put(GLOBAL_PATH, GLOBAL.replace('<item><fn>Alan</fn>', '<item><fn>Alan</fn'));
    phone.farEnd.notify('check-sync');
    await cycles(phone, 3);
    await advanceUntil(phone, 'the malformed file refused', () => phone.log().some((l) => /directory: 000000000000-directory\.xml refused: malformed XML/.test(l)));
    assert.ok(phone.log().some((l) => /keeping the last good directory \(10000 contacts\)/.test(l)));
    assert.equal(await searchTuring(phone), ['Alan Turing  4711']);
    phone = await bootAgain(phone);
    assert.equal(await searchTuring(phone), ['Alan Turing  4711']);
  } finally {
    phone.dispose();
  }
});

test.run();
