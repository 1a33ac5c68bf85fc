/** `phone config explain|params|docs` run in this process against a provisioning folder and a flash image. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configCommand } from '../../sim/cli/commands/config';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-cli-'));
const dir = path.join(tmp, 'prov');
fs.mkdirSync(path.join(dir, 'overrides'), { recursive: true });
fs.writeFileSync(path.join(dir, '000000000000.cfg'), `<APPLICATION CONFIG_FILES="[PHONE_MAC_ADDRESS]-line.cfg, site.cfg" OVERRIDES_DIRECTORY="overrides">
  <APPLICATION_DESK99 CONFIG_FILES_DESK99="site.cfg"/>
</APPLICATION>`);
fs.writeFileSync(path.join(dir, '0004f2a1b2c3-line.cfg'), '<polycomConfig prov.login.automaticLogout="30"/>');
fs.writeFileSync(path.join(dir, 'site.cfg'), '<polycomConfig><ALL prov.login.automaticLogout="60" dir.search.field="1" sec.pwd.length.admin="99"/></polycomConfig>');
fs.writeFileSync(path.join(dir, 'overrides', '0004f2a1b2c3-phone.cfg'), '<PHONE_CONFIG><OVERRIDES dir.search.field="0"/></PHONE_CONFIG>');

async function run(...args: string[]): Promise<string> {
  const out: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  try {
    await new Command('phone').exitOverride().addCommand(configCommand()).parseAsync(['node', 'phone', 'config', ...args]);
  } finally {
    console.log = original;
  }
  return out.join('\n');
}

test('explain: value, layer and file from a provisioning folder; first file wins; the override wins over files', async () => {
  const out = await run('explain', 'prov.login.automaticLogout', 'dir.search.field', '--prov-dir', dir);
  assert.match(out, /prov\.login\.automaticLogout = "30"\n\s+set by: files \(0004f2a1b2c3-line\.cfg\)/);
  assert.match(out, /dir\.search\.field = "0"\n\s+set by: local \(0004f2a1b2c3-phone\.cfg\)/);
  assert.match(out, /site\.cfg \(1 values rejected\)/);
});

test('explain: the model-specific master entry applies on desk-99; --save keeps it in the flash image', async () => {
  const image = path.join(tmp, 'd99.img');
  const first = await run('explain', 'prov.login.automaticLogout', '-b', 'desk-99', '-p', dir, '-f', image, '--save');
  assert.match(first, /= "60"\n\s+set by: files \(site\.cfg\)/);
  const again = await run('explain', 'prov.login.automaticLogout', '-b', 'desk-99', '-f', image);
  assert.match(again, /= "60"\n\s+set by: files \(site\.cfg\)/);
  assert.not.match(again, /provisioned from/);
});

test('explain: an unknown name says so and sets exit code 2', async () => {
  const before = process.exitCode;
  const out = await run('explain', 'no.such.parameter');
  const code = process.exitCode;
  process.exitCode = before;
  assert.match(out, /no\.such\.parameter: not a parameter of this phone/);
  assert.is(code, 2);
});

test('unknown: every parameter of the folder this phone does not have, by file, with the value length only', async () => {
  const u = path.join(tmp, 'unknown');
  fs.mkdirSync(path.join(u, 'overrides'), { recursive: true });
  fs.writeFileSync(path.join(u, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg, sip.cfg" OVERRIDES_DIRECTORY="overrides"/>');
  fs.writeFileSync(path.join(u, 'site.cfg'), '<polycomConfig><ALL dir.search.field="1" voice.volume.persist.handset="1" bg.color.selection="pool.ntp.org"/></polycomConfig>');
  fs.writeFileSync(path.join(u, 'sip.cfg'), '<polycomConfig reg.99.auth.password="TopSecret-1"/>');
  fs.writeFileSync(path.join(u, 'overrides', '0004f2a1b2c3-phone.cfg'), '<PHONE_CONFIG><OVERRIDES up.unheard.of="x"/></PHONE_CONFIG>');
  fs.writeFileSync(path.join(u, 'unlisted.cfg'), '<polycomConfig feature.notListed="1"/>');
  const out = await run('unknown', '--prov-dir', u);
  assert.match(out, /^site\.cfg: 2 unknown parameters$/m);
  assert.match(out, /^  voice\.volume\.persist\.handset\s+value 1 characters$/m);
  assert.match(out, /^  bg\.color\.selection\s+value 12 characters$/m);
  assert.match(out, /^sip\.cfg: 1 unknown parameters$/m);
  assert.match(out, /^  reg\.99\.auth\.password\s+value 11 characters$/m);
  assert.match(out, /^overrides\/0004f2a1b2c3-phone\.cfg: 1 unknown parameters$/m);
  assert.match(out, /^4 unknown parameters in 3 files$/m);
  assert.not.match(out, /TopSecret|pool\.ntp|dir\.search\.field|feature\.notListed/, 'no values, no known parameters, no unlisted files');
  const all = await run('unknown', '--prov-dir', u, '--all');
  assert.match(all, /^unlisted\.cfg: 1 unknown parameters$/m);
  assert.not.match(all, /000000000000\.cfg:/);
});

test('params lists the registry; docs --check passes on the committed docs', async () => {
  const out = await run('params', '--module', 'analytics');
  assert.match(out, /da\.supported\.services\s+string ≤2048 default "all" \[reboot\]\s+\(analytics\)/);
  assert.not.match(out, /callLists/);
  assert.match(await run('docs', '--check'), /up to date/);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
