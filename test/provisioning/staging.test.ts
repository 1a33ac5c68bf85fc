/** Staging the simulator's provisioning: a refused staging leaves no temporary folder behind. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import type { Crypto, Flash } from '../../hal/contract';
import { HostNet } from '../../sim/devices/net';
import { stageProvisioning } from '../../sim/provisioning/staging';

test('explicit device settings on an nvram that does not mount: refused, and the temporary folder copy is removed', () => {
  const made: string[] = [];
  // The module object itself: staging.ts reads fs.mkdtempSync through it at each call.
  const nodeFs = require('fs') as typeof fs;
  const mkdtemp = nodeFs.mkdtempSync;
  nodeFs.mkdtempSync = ((prefix: string) => {
    const dir = mkdtemp(prefix);
    made.push(dir);
    return dir;
  }) as typeof fs.mkdtempSync;
  const flash = { open: () => { throw new Error('no nvram partition'); } } as unknown as Flash;
  try {
    assert.throws(() => stageProvisioning({ deviceSettings: { 'device.prov.user': 'alice' } }, flash, {} as Crypto, new HostNet()), /nvram does not mount/);
  } finally {
    nodeFs.mkdtempSync = mkdtemp;
  }
  assert.is(made.length, 1);
  assert.not.ok(fs.existsSync(made[0]), `${made[0]} left behind`);
});

test.run();
