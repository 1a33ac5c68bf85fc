/**
 * Utilities > Reset: each variant an admin may run is listed behind a
 * confirmation form; a confirmed one goes through the reset module's one
 * entry point (intent committed, audit line "requested by web admin",
 * reboot), and the reboot completes it (Reset Web Configuration clears the
 * web layer). Unknown variants and a second reset under way are refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RESET_TO_DEFAULTS_MENU } from '../../firmware/reset/reset-variants';
import { bootPages, harnessFor, htmlOf } from './page-requests';
import { bootInProcess } from '../../sim/host/in-process-firmware';

test('every Reset to Defaults variant is offered, with the keypad\'s label and detail; a GET only asks for confirmation', async () => {
  const h = bootPages();
  const html = htmlOf(await h.get('/utilities/reset'));
  for (const id of RESET_TO_DEFAULTS_MENU) assert.ok(html.includes(`?variant=${id}"`), id);
  assert.match(html, /Reset Web Configuration<\/td><td>Clears the web override file/);
  assert.ok(html.includes('?variant=clearPersonalInfo"'), 'Clear Personal Information while its menu is enabled');
  const confirm = htmlOf(await h.get('/utilities/reset?variant=resetToFactory'));
  assert.match(confirm, /<input type="hidden" name="variant" value="resetToFactory">/);
  assert.match(confirm, /Are you sure\?/);
  assert.is(h.phone.booted.resets.inProgress(), null, 'nothing runs on a GET');
  assert.is(h.phone.devices.power.rebootRequested, null);
  // Without the confirm button's value, a POST only shows the confirmation again.
  htmlOf(await h.post('/utilities/reset', { variant: 'resetToFactory' }));
  assert.is(h.phone.booted.resets.inProgress(), null);

  h.phone.booted.config.setOverride('local', 'feature.clearPerInfoMenu.enabled', '0');
  const hidden = htmlOf(await h.get('/utilities/reset'));
  assert.not.ok(hidden.includes('clearPersonalInfo'), 'hidden with its menu');
  const refused = await h.post('/utilities/reset', { variant: 'clearPersonalInfo', confirm: 'yes' });
  assert.is(refused.kind === 'page' && refused.status, 400);
  const unknown = await h.post('/utilities/reset', { variant: 'formatEverything', confirm: 'yes' });
  assert.match(htmlOf(unknown), /No reset &quot;formatEverything&quot;/);
  assert.is(h.phone.booted.resets.inProgress(), null);
});

test('a confirmed Reset Web Configuration goes through the reset service as "web admin"; the reboot clears the web layer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pages-reset-'));
  try {
    const h = bootPages();
    const { config } = h.phone.booted;
    config.setOverride('web', 'reg.1.displayName', 'Set On The Web');
    config.setOverride('local', 'up.echoPasswordDigits', '0');
    const r = await h.post('/utilities/reset', { variant: 'resetWebConfig', confirm: 'yes' });
    assert.match(htmlOf(r), /Reset Web Configuration: requested/);
    assert.is(h.phone.booted.resets.inProgress(), 'resetWebConfig');
    assert.is(h.phone.devices.power.rebootRequested, 'reset: Reset Web Configuration');
    assert.ok(h.phone.log().some((l) => /\|reset\|2\|\d+\|reset: Reset Web Configuration requested by web admin: committed/.test(l)), 'audit line');
    const second = await h.post('/utilities/reset', { variant: 'resetToFactory', confirm: 'yes' });
    assert.match(htmlOf(second), /Another reset \(resetWebConfig\) is under way/);

    const image = join(dir, 'flash.bin');
    h.phone.save(image);
    const after = harnessFor(bootInProcess({ board: 'desk-500', flashImage: image }));
    const c = after.phone.booted.config;
    assert.is(c.explain('reg.1.displayName').layer, 'default', 'the web layer is gone');
    assert.is(c.explain('up.echoPasswordDigits').layer, 'local', 'the local layer stays');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reset is an admin page', () => {
  const h = bootPages();
  assert.is(h.pages.find((p) => p.path === '/utilities/reset')!.access, 'admin');
});

test.run();
