/**
 * Through a real simulated phone: a class erase cut short by a power cut
 * (written on the host) is finished by the firmware's mount inside QuickJS
 * at the next boot; the saved dump then holds no trace of the class and
 * the other files are intact.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BOARDS } from '../../hal/boards';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError, VirtualFlash } from '../../sim/devices/flash';
import { findRawStrings } from '../../sim/forensics/scan';
import { withPhone } from '../helpers/sim';
import { cloneKeystore, content, mountStore } from './store-harness';

const desk500 = BOARDS['desk-500'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erase-recovery-'));

test('the firmware in QuickJS finishes an interrupted class erase at boot', async () => {
  const flash = new VirtualFlash(desk500.flash);
  const ks = new Keystore();
  const store = mountStore(flash.open('fs'), new NodeCryptoEngine(ks));
  for (let i = 0; i < 40; i++) {
    store.write(`cfg/f${i % 12}.cfg`, new Uint8Array(Buffer.from(`PlainSecret${i} `.repeat(60))), { cls: 'config' });
    store.write(`dir/d${i % 5}.xml`, content(`dir${i}`, 2500), { cls: 'directory' });
  }
  const keep = new Map(store.list().filter((f) => f.cls === 'directory').map((f) => [f.path, store.read(f.path)!]));
  // How many flash operations the whole erase takes, on a copy.
  const probe = new VirtualFlash(desk500.flash, flash.image());
  const before = probe.operationCount();
  mountStore(probe.open('fs'), new NodeCryptoEngine(cloneKeystore(ks))).eraseClass('config');
  const total = probe.operationCount() - before;
  flash.cutPowerAfter(Math.floor(total / 2));
  assert.throws(() => store.eraseClass('config'), (e: Error) => e instanceof PowerCutError);
  flash.restorePower();
  const needles = ['PlainSecret0 ', 'PlainSecret39', 'cfg/f3.cfg'];
  assert.ok(findRawStrings(flash.image(), needles, desk500.flash).length > 0, 'the cut left class data on flash');
  const image = path.join(dir, 'cut.img');
  fs.writeFileSync(image, flash.image());
  ks.save(image + '.keys.json');

  await withPhone({ flashImage: image, engine: 'quickjs' }, async (phone) => {
    assert.ok(phone.log().some((l) => /fs: store: finishing interrupted erase of class config/.test(l)), phone.log().join('\n'));
    assert.ok(phone.log().some((l) => /fs: mounted, 5 files/.test(l)), 'the directory files are all there');
    phone.saveFlash(path.join(dir, 'after.img'));
  });
  const after = fs.readFileSync(path.join(dir, 'after.img'));
  assert.equal(findRawStrings(after, needles, desk500.flash), [], 'nothing of the class is left');
  const remounted = mountStore(new VirtualFlash(desk500.flash, after).open('fs'), new NodeCryptoEngine(Keystore.load(path.join(dir, 'after.img.keys.json'))));
  for (const [p, data] of keep) assert.equal(remounted.read(p), data, `${p} intact`);
  console.log(`interrupted erase: cut after ${Math.floor(total / 2)} of ${total} flash operations, finished by the QuickJS firmware at boot`);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test.run();
