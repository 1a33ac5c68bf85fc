/**
 * After the boot, a merge runs one bounded step per event (firmware/directory/stepwise.ts):
 * the index before it stays readable until its commit, an edit made meanwhile
 * is in the new index (the merge starts again with it), a power cut half-way
 * leaves the old index whole, and a new file supersedes a merge still running.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS } from '../../hal/boards';
import { DirectoryService, GLOBAL_ENTRIES_PER_LOCAL_CONTACT } from '../../firmware/directory/directory-service';
import { FileStore } from '../../firmware/storage/file-store';
import { Logger } from '../../firmware/kernel/logger';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { GLOBAL_FILE, MAC, directoryXml, people } from './directory-fixture';

function stepwiseService(flash: VirtualFlash, keys: Keystore, files: Map<string, string>, reads: string[] = []) {
  const store = FileStore.mount(flash.open('fs'), new NodeCryptoEngine(keys));
  const events: (() => void)[] = [];
  const log: string[] = [];
  const logger = new Logger(() => 0);
  logger.addSink((line) => { log.push(line); });
  const service = new DirectoryService({
    fs: store, log: logger.component('dir'), mac: MAC, maxLocal: () => 500,
    maxGlobal: BOARDS['desk-500'].contactLimit * GLOBAL_ENTRIES_PER_LOCAL_CONTACT,
    byFirstName: () => false, enabled: () => true, sourceText: (n) => { reads.push(n); return files.get(n) ?? null; }, upload: () => {},
    inEvents: (step) => { events.push(step); },
  });
  /** Run queued events; returns how many ran. */
  const drain = (max = Infinity): number => {
    let n = 0;
    while (events.length > 0 && n < max) { events.shift()!(); n++; }
    return n;
  };
  return { service, drain, log, store };
}

const count = (s: DirectoryService) => s.search('').count;

test('a 2,000-entry merge after the boot runs over many events; the old index is read meanwhile; the new one after the last step', () => {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const files = new Map([[GLOBAL_FILE, directoryXml(people(100))]]);
  const { service, drain } = stepwiseService(flash, new Keystore(), files);
  service.start();
  assert.is(count(service), 100, 'at boot the merge runs whole');
  const big = directoryXml(people(2000));
  files.set(GLOBAL_FILE, big);
  service.fileArrived(GLOBAL_FILE, big);
  assert.is(count(service), 100, 'nothing merged in the arriving event');
  assert.ok(drain(3) === 3 && count(service) === 100, 'the old index in force between steps');
  const steps = 3 + drain();
  assert.ok(steps > 10, `${steps} events`);
  assert.is(count(service), 2000);
});

test('an edit during a merge is kept: the merge starts again with it', () => {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const files = new Map<string, string>();
  const { service, drain } = stepwiseService(flash, new Keystore(), files);
  service.start();
  const big = directoryXml(people(1000));
  files.set(GLOBAL_FILE, big);
  service.fileArrived(GLOBAL_FILE, big);
  drain(4);
  assert.ok(service.put({ fn: 'Zed', ln: 'Zulu', ct: '555' }).ok);
  drain();
  assert.is(count(service), 1001);
  assert.is(service.lookup('555')?.c.ln, 'Zulu');
});

test('a power cut half-way through a stepwise merge: the next boot finds the old index whole and merges again', () => {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const keys = new Keystore();
  const files = new Map([[GLOBAL_FILE, directoryXml(people(50))]]);
  const first = stepwiseService(flash, keys, files);
  first.service.start();
  const big = directoryXml(people(1500));
  files.set(GLOBAL_FILE, big);
  first.service.fileArrived(GLOBAL_FILE, big);
  first.drain(12); // pages written ahead, no commit yet
  assert.is(count(first.service), 50);
  // Power cut: the phone boots again from its flash (the file's digest differs from the index's: merged at boot).
  files.set(GLOBAL_FILE, directoryXml(people(50)));
  const again = stepwiseService(flash, keys, files);
  again.service.start();
  assert.is(count(again.service), 50, 'the old index, whole');
  files.set(GLOBAL_FILE, big);
  again.service.fileArrived(GLOBAL_FILE, big);
  again.drain();
  assert.is(count(again.service), 1500);
});

test('a new file while a merge runs supersedes it', () => {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const files = new Map<string, string>();
  const { service, drain } = stepwiseService(flash, new Keystore(), files);
  service.start();
  const a = directoryXml(people(1200));
  const b = directoryXml(people(300, 0, 'Other'));
  files.set(GLOBAL_FILE, a);
  service.fileArrived(GLOBAL_FILE, a);
  drain(3);
  files.set(GLOBAL_FILE, b);
  service.fileArrived(GLOBAL_FILE, b);
  drain();
  assert.is(count(service), 300);
  assert.ok(service.entry(0)!.c.fn!.startsWith('Other') || service.entry(0)!.c.ln!.startsWith('Other'), JSON.stringify(service.entry(0)));
});

test('deleting a personal contact that stands in for a global one hides the global one without reading the file (a key event cannot scan 10,000 items)', () => {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const files = new Map([[GLOBAL_FILE, directoryXml([...people(300), { fn: 'Alan', ln: 'Turing', ct: '4711' }])]]);
  const reads: string[] = [];
  const { service, drain } = stepwiseService(flash, new Keystore(), files, reads);
  service.start();
  const turing = service.lookup('4711')!;
  assert.is(turing.o, 'g');
  assert.ok(service.put({ ...turing.c, ln: 'Turing-Edited' }, turing.c.ct).ok);
  assert.ok(service.put({ fn: 'Zed', ct: '555' }).ok);
  drain();
  reads.length = 0;
  assert.ok(service.remove('4711').ok);
  assert.ok(service.remove('555').ok);
  assert.equal(reads, [], 'the global file was not read');
  assert.is(service.lookup('4711'), undefined, 'the global Turing stays hidden');
  assert.is(count(service), 300);
});

test.run();
