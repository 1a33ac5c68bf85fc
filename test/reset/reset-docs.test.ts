/**
 * Issue 13 point 6: docs/reset.md is the generator's current output from the
 * declarations, and the declarations keep the rules the reset relies on.
 */
import * as fs from 'fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { currentResetDocs, RESET_DOCS } from '../../build/generate-reset-docs';
import { mergeClasses, planReset } from '../../firmware/reset/reset-plan';
import { RESET_VARIANTS } from '../../firmware/reset/reset-variants';
import { DATA_CLASSES } from '../../firmware/storage/data-classes';
import { bootInProcess } from '../../sim/host/in-process-firmware';

const declared = bootInProcess({ board: 'desk-500' }).booted.kernel.modules.dataClasses();
const classes = mergeClasses(declared);

test('docs/reset.md is up to date (regenerate: npx ts-node build/generate-reset-docs.ts)', () => {
  const committed = fs.existsSync(RESET_DOCS) ? fs.readFileSync(RESET_DOCS, 'utf8') : '';
  assert.ok(committed === currentResetDocs(), 'docs/reset.md is stale: run npx ts-node build/generate-reset-docs.ts');
  for (const v of RESET_VARIANTS) assert.ok(committed.includes(`| ${v.label} |`), v.label);
});

test('every storage class is declared by a module, so every reset knows about it', () => {
  assert.equal(Object.keys(DATA_CLASSES).filter((c) => !classes.some((d) => d.storageClass === c)), []);
});

test('Reset to Factory and Format File System remove every fs class (so a format is exactly the class erases); nothing removes the reset journal', () => {
  for (const c of classes.filter((x) => x.partition === 'fs')) {
    assert.ok(c.removedBy.includes('formatFileSystem') && c.removedBy.includes('resetToFactory') && c.removedBy.includes('resetToFactoryPartial'), c.storageClass);
  }
  for (const v of RESET_VARIANTS) assert.not.ok(planReset(v.id, declared).removed.includes('resetJournal'), v.id);
  assert.equal(planReset('resetToFactory', declared).formats, ['fs']);
  assert.equal(planReset('formatFileSystem', declared).formats, ['fs']);
  assert.equal(planReset('resetDeviceSettings', declared).formats, []);
});

test('the spec\'s wording holds: device settings go with Reset Device Settings and the factory resets, not with Format File System', () => {
  const removes = (v: string, cls: string) => planReset(v as never, declared).removed.includes(cls);
  for (const cls of ['deviceSettings', 'certificates']) {
    assert.ok(removes('resetDeviceSettings', cls) && removes('resetToFactory', cls) && removes('resetToFactoryPartial', cls), cls);
    assert.not.ok(removes('formatFileSystem', cls), cls);
  }
  assert.equal(planReset('resetLocalConfig', declared).removed, ['localOverrides']);
  assert.equal(planReset('resetWebConfig', declared).removed, ['webOverrides']);
  assert.equal(planReset('resetCloudConfig', declared).removed, ['cloudOverrides']);
  assert.equal(planReset('resetUserData', declared).removed.sort(), ['callLists', 'cdr', 'directory']);
  assert.equal(planReset('outOfBoxWizard', declared).removed, []);
  const personal = planReset('clearPersonalInfo', declared, 'alice');
  assert.equal(personal.erases.filter((e) => e.user === 'alice').map((e) => e.cls).sort(), ['callLists', 'cdr', 'directory', 'userProfile']);
});

test.run();
