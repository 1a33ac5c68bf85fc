/**
 * Issue 12 point 5: a power cut cannot roll the failure count back. For the
 * admin password (Settings > Advanced), the user password (the current-
 * password step of Settings > Basic > Change User Password) and the user
 * login screen (phone-based authentication), on the QuickJS phone: measure
 * the flash operations of one wrong attempt, then for every operation k of
 * it, guess wrong again and again, each time cutting the power at operation
 * k and powering on. Every guess that was checked at all (PBKDF2 ran, or the
 * login fetched the user's profile) counts: the prompt locks by the 5th
 * checked guess. A cut before the attempt's pre-record is committed stops
 * the phone before the password is checked, so such a guess teaches nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';
import { bootOn, logLines, profileFolder, provisioned, until, USER, USER_PASSWORD, type ProfileFolder } from '../login/login-fixture';
import { openAdvanced, openChangeUserPassword, typeDigits } from './phone-prompts';

const GUESSES = 12;
const WRONG = '9999';

interface PromptCase {
  name: string;
  site: Record<string, string>;
  /** From idle to the prompt (its screen shows a lock when there is one). */
  open(phone: Phone): Promise<void>;
  /** Type a guess; Enter is pressed by the harness. */
  type(phone: Phone, password: string): Promise<void>;
  /** The guess was checked against the password (not just typed). */
  checks(phone: Phone): () => number;
}

/** PBKDF2 runs of the phone's crypto engine: the menu prompts' password check. */
function pbkdf2Calls(phone: Phone): () => number {
  const crypto = phone.devices.crypto;
  const state = crypto as unknown as { __pbkdf2Calls?: number };
  if (state.__pbkdf2Calls === undefined) {
    state.__pbkdf2Calls = 0;
    const original = crypto.pbkdf2Sha256.bind(crypto);
    crypto.pbkdf2Sha256 = (...args) => {
      state.__pbkdf2Calls!++;
      return original(...args);
    };
  }
  return () => state.__pbkdf2Calls!;
}

const PROMPTS: PromptCase[] = [
  {
    name: 'admin password (Settings > Advanced)',
    site: { 'prov.login.enabled': '0' },
    open: openAdvanced,
    type: typeDigits,
    checks: pbkdf2Calls,
  },
  {
    name: 'user password (current password of Change User Password)',
    site: { 'prov.login.enabled': '0' },
    open: openChangeUserPassword,
    type: typeDigits,
    checks: pbkdf2Calls,
  },
  {
    name: 'user login (phone-based authentication)',
    site: {},
    open: async (phone) => {
      if (phone.screen().id !== 'idle') await phone.press('home');
      await phone.press('soft1'); // Login
    },
    type: async (phone, password) => {
      await phone.pressAll([...USER.split(''), 'down', ...password.split('')] as never);
    },
    // The login checks the password against the user's files: no fetch of them, no check.
    checks: (phone) => () => phone.devices.net.requests.filter((r) => r.url.endsWith(`/${USER}.cfg`)).length,
  },
];

/** The prompt's screen says it is locked. */
function showsLock(phone: Phone): boolean {
  return phone.screen().lines.some((l) => /Locked/.test(l));
}

/** Press Enter and let the attempt run to its end (the login waits for the server) or to the power cut. */
async function enter(phone: Phone): Promise<void> {
  await phone.press('soft1');
  await until(phone, () => !phone.devices.flash.powered || phone.state === 'off' || !phone.screen().lines.includes('Logging in...'), 'the attempt\'s end');
}

/** Power on and wait for this boot's provisioning cycle and a log flush, so nothing else writes flash during the next attempt. */
async function powerOnQuiet(phone: Phone): Promise<void> {
  const before = phone.log().filter((l) => /\|prov\|\d\|\d+\|provisioned from/.test(l)).length;
  await phone.powerOn();
  await until(phone, () => phone.log().filter((l) => /\|prov\|\d\|\d+\|provisioned from/.test(l)).length > before, 'the boot provisioning cycle');
  await phone.advance(11_000);
}

/** A phone booted on the prompt's folder and saved: every cut point starts from this image. */
async function baseImage(c: PromptCase, scratch: string): Promise<{ folder: ProfileFolder; image: string }> {
  const folder = profileFolder(c.site);
  const image = path.join(scratch, 'base.img');
  const phone = await bootOn(folder);
  try {
    assert.ok(provisioned(phone));
    await phone.advance(11_000);
    phone.saveFlash(image);
  } finally {
    phone.dispose();
  }
  return { folder, image };
}

/** Flash operations of one uncut wrong attempt (the Enter key to the answer). */
async function opsOfWrongAttempt(c: PromptCase, folder: ProfileFolder, image: string): Promise<number> {
  const phone = await bootPhone({ flashImage: image, provisioningDir: folder.dir });
  try {
    await until(phone, () => provisioned(phone), 'provisioning');
    await phone.advance(11_000);
    await c.open(phone);
    await c.type(phone, WRONG);
    const before = phone.devices.flash.operationCount();
    await enter(phone);
    assert.match(phone.screen().lines.join('|'), /Incorrect/);
    return phone.devices.flash.operationCount() - before;
  } finally {
    phone.dispose();
  }
}

for (const c of PROMPTS) {
  test(`${c.name}: ${GUESSES} wrong guesses, each cut by a power loss at flash operation k, for every k: every checked guess counts, the prompt locks`, async () => {
    const started = Date.now();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lockout-cut-'));
    const { folder, image } = await baseImage(c, scratch);
    try {
      const total = await opsOfWrongAttempt(c, folder, image);
      assert.ok(total >= 2, `a wrong attempt writes flash (${total} operations)`);
      const summary: string[] = [];
      let firstLocking = 0;
      for (let k = 1; k <= total; k++) {
        const phone = await bootPhone({ flashImage: image, provisioningDir: folder.dir });
        try {
          await until(phone, () => provisioned(phone), 'provisioning');
          await phone.advance(11_000);
          const checks = c.checks(phone);
          let checked = 0;
          let locked = false;
          for (let guess = 1; guess <= GUESSES; guess++) {
            await c.open(phone);
            if (showsLock(phone)) {
              locked = true;
              break;
            }
            await c.type(phone, WRONG);
            const before = checks();
            phone.cutPower(k);
            await enter(phone);
            if (checks() > before) checked++;
            if (phone.devices.flash.powered && phone.state !== 'off') {
              if (showsLock(phone)) {
                locked = true;
                break;
              }
              // The attempt ended before operation k (a later guess may write less): no cut this time.
              phone.devices.flash.cutPowerAfter(null);
              await phone.press('home');
              await phone.advance(11_000);
              continue;
            }
            await powerOnQuiet(phone);
            assert.is(phone.lastBootReason(), 'power-cut');
          }
          if (checked > 0) {
            assert.ok(locked, `cut at operation ${k}: ${checked} guesses were checked, yet no lock after ${GUESSES} guesses`);
            assert.ok(checked <= 5, `cut at operation ${k}: ${checked} guesses checked before the lock`);
            assert.ok(logLines(phone, /\|auth\|5\|.*locked/).length >= 1, `cut at operation ${k}: the lock is in the audit log`);
            assert.is(logLines(phone, /\|auth\|3\|.*interrupted by a restart before its outcome was recorded: counted as failed/).length, checked, `cut at operation ${k}: each checked guess is in the audit log as an interrupted failure`);
            firstLocking = firstLocking || k;
          } else {
            assert.not.ok(locked, `cut at operation ${k}: nothing checked, nothing counted`);
            assert.is(firstLocking, 0, `cut at operation ${k}: a cut later than one whose guesses were checked must let the check run too`);
          }
          summary.push(`k=${k}: ${checked} checked${locked ? ', locked' : ''}`);
        } finally {
          phone.dispose();
        }
      }
      // Only the pre-record (its record and Commit, a fresh block at most adds two) can be cut before the check.
      assert.ok(firstLocking > 0 && firstLocking <= 5, `from the cut points after the pre-record on, every guess counts (first locking cut point ${firstLocking})`);
      console.log(`${c.name}: wrong attempt = ${total} flash operations; ${summary.join('; ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } finally {
      folder.remove();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
}

test.run();
