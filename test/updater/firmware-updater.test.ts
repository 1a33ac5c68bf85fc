/**
 * The firmware updater against a scripted server (the nginx suite does the
 * real network): what it installs, and every bad input refused alone with one
 * clear error line while the boot record and the running slot stay as they were.
 */
import { randomBytes } from 'crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { NetRequest, NetResponse } from '../../hal/contract';
import { Logger } from '../../firmware/kernel/logger';
import { readBootRecord } from '../../firmware/updater/boot-record';
import { FirmwareUpdater, type UpdateCheck } from '../../firmware/updater/firmware-updater';
import { updaterLayout } from '../../firmware/updater/updater-layout';
import { generateSigningKey } from '../../build/image/signing-key';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import type { VirtualFlash } from '../../sim/devices/flash';
import { RUNNING_VERSION, factoryFlash, standInBundle, updateFile } from './update-fixture';

const URL_BASE = 'http://prov.example/';

function harness(files: Record<string, Uint8Array>, o: { allowDowngrade?: boolean; flash?: VirtualFlash; board?: string } = {}) {
  const flash = o.flash ?? factoryFlash();
  const logger = new Logger(() => 0);
  const lines: string[] = [];
  logger.addSink((l) => lines.push(l));
  const requests: NetRequest[] = [];
  const reboots: string[] = [];
  const updater = new FirmwareUpdater({
    net: {
      request: async (r: NetRequest): Promise<NetResponse> => {
        requests.push(r);
        const body = files[r.url.slice(URL_BASE.length)];
        if (!body) return { status: 404, headers: {}, body: new Uint8Array(0) };
        if (r.maxBodyBytes !== undefined && body.length > r.maxBodyBytes) throw new Error('too-large: body over limit');
        return { status: 200, headers: { etag: '"1"' }, body };
      },
      linkUp: () => true,
      onLink: () => {},
    },
    crypto: new NodeCryptoEngine(),
    updater: flash.open('updater'),
    board: o.board ?? 'desk-500',
    runningVersion: RUNNING_VERSION,
    log: logger.component('updt'),
    server: () => ({ baseUrl: URL_BASE, timeoutMs: 1000 }),
    appFilePath: () => 'phone.upd',
    allowDowngrade: () => o.allowDowngrade === true,
    reboot: (r) => reboots.push(r),
    monotonic: () => 0,
  });
  return { flash, updater, lines, requests, reboots };
}

async function refused(file: Uint8Array, reason: RegExp, o: Parameters<typeof harness>[1] = {}): Promise<void> {
  const h = harness({ 'phone.upd': file }, o);
  const before = Buffer.from(h.flash.image());
  const outcome: UpdateCheck = await h.updater.check();
  assert.is(outcome, 'refused');
  const errors = h.lines.filter((l) => /\|updt\|4\|/.test(l));
  assert.is(errors.length, 1, h.lines.join('\n'));
  assert.match(errors[0], reason);
  assert.match(errors[0], /phone\.upd refused: .* keeps running/);
  assert.equal(h.reboots, []);
  assert.ok(Buffer.from(h.flash.image()).equals(before), 'flash untouched');
}

test('a newer signed image for this board is installed into slot A and the phone reboots into it on trial', async () => {
  const h = harness({ 'phone.upd': updateFile({ version: '9.0.0', bundle: standInBundle('9.0.0') }) });
  const outcome = await h.updater.check();
  assert.equal(typeof outcome === 'object' && outcome.slot, 'A');
  assert.equal(h.reboots, ['firmware update to 9.0.0']);
  const r = readBootRecord(h.flash.open('updater'))!;
  assert.is(r.active, 'A');
  assert.is(r.fallback, null);
  assert.is(r.slots.A.state, 'trial');
  assert.is(r.trialBootsLeft, 1);
  assert.match(h.lines.join('\n'), /installed version 9\.0\.0 into slot A/);
});

test('bad signature: signed by another key', async () => {
  await refused(updateFile({ version: '9.0.0', bundle: standInBundle('9.0.0'), key: generateSigningKey() }), /bad signature: not signed by the phone's update key/);
});

test('an ECDSA P-256 file against the Ed25519 key of the phone', async () => {
  await refused(updateFile({ version: '9.0.0', bundle: standInBundle('9.0.0'), key: generateSigningKey('ecdsa-p256') }), /signed with ecdsa-p256, the phone's key .* is ed25519/);
});

test('altered payload (the signature still covers the original manifest)', async () => {
  const file = updateFile({ version: '9.0.0', bundle: standInBundle('9.0.0') });
  file[file.length - 3] ^= 0x55;
  await refused(file, /payload does not match the hash its signature covers/);
});

test('wrong board', async () => {
  await refused(updateFile({ version: '9.0.0', bundle: standInBundle('9.0.0'), board: 'desk-99' }), /built for board desk-99, this phone is desk-500/);
});

test('truncated download', async () => {
  const file = updateFile({ version: '9.0.0', bundle: standInBundle('9.0.0') });
  await refused(file.subarray(0, file.length - 10), /truncated: \d+ of \d+ bytes/);
});

test('not an update file at all', async () => {
  await refused(Buffer.from('sip.ld: a Polycom image, not ours'.padEnd(64)), /not an update file/);
});

test('too big for the slot', async () => {
  const slot = updaterLayout(factoryFlash().open('updater')).slots.A.size;
  // Random bytes do not compress: the file is larger than the slot.
  const noise = randomBytes(slot + 1000);
  await refused(updateFile({ version: '9.0.0', bundle: noise }), new RegExp(`larger than the ${slot}-byte slot`));
});

test('a downgrade is refused unless prov.softwareUpdate.allowDowngrade=1', async () => {
  const older = updateFile({ version: '0.0.1', bundle: standInBundle('0.0.1') });
  await refused(older, /version 0\.0\.1 is older than the running .*allowDowngrade=1/);
  const h = harness({ 'phone.upd': older }, { allowDowngrade: true });
  const outcome = await h.updater.check();
  assert.ok(typeof outcome === 'object' && outcome.installed === '0.0.1');
});

test('the running version is not installed again; an unchanged file is not downloaded again', async () => {
  const h = harness({ 'phone.upd': updateFile({ version: RUNNING_VERSION, bundle: standInBundle(RUNNING_VERSION) }) });
  assert.is(await h.updater.check(), 'same-version');
  await h.updater.check();
  assert.equal(h.requests[1].headers?.['If-None-Match'], '"1"');
  assert.equal(h.reboots, []);
  assert.is(readBootRecord(h.flash.open('updater')), null);
});

test('no key in the updater partition: nothing is installed', async () => {
  const { VirtualFlash } = await import('../../sim/devices/flash');
  const { boardProfile } = await import('../../hal/boards');
  await refused(updateFile({ version: '9.0.0', bundle: standInBundle('9.0.0') }), /no update signing key in the updater partition/, { flash: new VirtualFlash(boardProfile('desk-500').flash) });
});

test.run();
