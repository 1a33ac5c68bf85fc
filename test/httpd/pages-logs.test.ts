/**
 * Diagnostics > Logs: newest line first, filtered by lowest level and by
 * component, paged; party data as redacted as in the log itself; "Download
 * Logs" is the phone's own log package (opened here with GNU tar).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { party } from '../../firmware/kernel/party';
import { packageFileNames } from '../../firmware/logs/log-package';
import { LINES_PER_PAGE } from '../../firmware/web/pages/diagnostics-logs';
import { BOOT_PHASE_MS } from '../../firmware/logs/logs-module';
import { bootPages as bootAny, decodeHtmlText, htmlOf, type PageHarness } from './page-requests';

/** A phone past its boot phase: lines go to app.log (before, to boot.log). */
function bootPages(): PageHarness {
  const h = bootAny();
  h.phone.devices.clock.advance(BOOT_PHASE_MS);
  return h;
}

/** The rows of the log table: [time, component, level, text]. */
function rows(html: string): string[][] {
  return [...html.matchAll(/<tr class="level-\d"><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1).map(decodeHtmlText));
}

test('newest first; lowest level and component filters; pages of the older lines', async () => {
  const h = bootPages();
  const log = h.phone.booted.kernel.log;
  for (let i = 0; i < 120; i++) log.component('da').notice(`paged line ${i}`);
  log.component('dir').warning('a directory warning');
  log.component('dir').info('a directory info line');
  log.component('cfg').error('a configuration error');

  const all = rows(htmlOf(await h.get('/diagnostics/logs')));
  assert.is(all.length, LINES_PER_PAGE);
  assert.equal(all.slice(0, 3).map((r) => r[3]), ['a configuration error', 'a directory info line', 'a directory warning']);

  const warnings = rows(htmlOf(await h.get('/diagnostics/logs?level=3')));
  assert.ok(warnings.every((r) => ['warning', 'error', 'critical', 'fatal'].includes(r[2])), 'only warning and above');
  assert.equal(warnings.slice(0, 2).map((r) => r[3]), ['a configuration error', 'a directory warning']);

  const dir = rows(htmlOf(await h.get('/diagnostics/logs?component=dir')));
  assert.equal(dir.slice(0, 2).map((r) => r[3]), ['a directory info line', 'a directory warning']);
  assert.ok(dir.every((r) => r[1] === 'dir'));

  const da0 = htmlOf(await h.get('/diagnostics/logs?component=da&level=2'));
  assert.equal(rows(da0).map((r) => r[3]).slice(0, 2), ['paged line 119', 'paged line 118']);
  assert.match(da0, /href="\/diagnostics\/logs\?log=app&amp;level=2&amp;component=da&amp;page=1">Older</);
  const da1 = rows(htmlOf(await h.get('/diagnostics/logs?component=da&level=2&page=1')));
  assert.is(da1[0][3], 'paged line 69');
  const da2 = htmlOf(await h.get('/diagnostics/logs?component=da&level=2&page=2'));
  assert.is(rows(da2)[0][3], 'paged line 19');
  assert.not.ok(da2.includes('>Older<'), 'the last page');

  const boot = rows(htmlOf(await h.get('/diagnostics/logs?log=boot')));
  assert.ok(boot.some((r) => r[3].startsWith('boot: firmware')), 'the boot log');
  // Unknown filter values fall back to the defaults instead of failing.
  assert.is(rows(htmlOf(await h.get('/diagnostics/logs?level=9&component=<script>&page=-3'))).length, LINES_PER_PAGE);
});

test('during the boot phase (lines go to boot.log) the page shows boot.log by default', async () => {
  const h = bootAny();
  h.phone.booted.kernel.log.component('auth').notice('a login during the boot phase');
  const html = htmlOf(await h.get('/diagnostics/logs'));
  assert.match(html, /<option value="boot" selected>/);
  assert.is(rows(html)[0][3], 'a login during the boot phase');
});

test('party data stays redacted as in the log; markup in a line is shown as text', async () => {
  const h = bootPages();
  h.phone.booted.kernel.log.component('calls').info(`call from ${party('+4930555123', 'address')} named ${party('<b>Eve</b>', 'name')}`);
  h.phone.booted.kernel.log.component('calls').info('a <script>alert(1)</script> line');
  const html = htmlOf(await h.get('/diagnostics/logs?component=calls'));
  assert.not.ok(html.includes('4930555123'));
  assert.not.ok(html.includes('Eve'));
  assert.not.ok(html.includes('<script>alert'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('Download Logs: the log package, as the phone uploads it', async () => {
  const h = bootPages();
  h.phone.booted.kernel.log.component('da').notice('line for the package');
  const r = await h.get('/diagnostics/logs/download');
  assert.is(r.kind, 'download');
  if (r.kind !== 'download') return;
  const mac = h.phone.profile.mac;
  assert.is(r.fileName, `${mac}-logs.tgz`);
  assert.is(r.contentType, 'application/gzip');
  const dir = mkdtempSync(join(tmpdir(), 'pages-logs-'));
  try {
    writeFileSync(join(dir, 'p.tgz'), r.bytes);
    mkdirSync(join(dir, 'out'));
    const tar = spawnSync('tar', ['-xzf', '../p.tgz'], { cwd: join(dir, 'out'), encoding: 'utf8' });
    assert.is(tar.status, 0, tar.stderr);
    assert.equal(readdirSync(join(dir, 'out')).sort(), packageFileNames(mac).sort());
    assert.match(readFileSync(join(dir, 'out', `${mac}-app.log`), 'utf8'), /\|da\|2\|\d+\|line for the package/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.is(h.pages.find((p) => p.path === '/diagnostics/logs/download')!.access, 'admin');
  assert.is(h.pages.find((p) => p.path === '/diagnostics/logs')!.access, 'admin');
});

test.run();
