/**
 * The configuration cache keeps each CONFIG_FILES copy's parameters as
 * parsed beside its text: a boot uses them instead of parsing the text
 * again, checks their values against the registry as it would the text's,
 * and parses the text whenever the two were not written together.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigBench, cfg } from './config-bench';

const big = (values: Record<string, string>) => cfg(values).replace('<polycomConfig>', `<polycomConfig>\n<!-- ${'site notes; '.repeat(2000)} -->`);

function attrsFiles(b: ConfigBench): string[] {
  return b.store.list('cfg/').map((f) => f.path).filter((p) => p.endsWith('.attrs'));
}

test('a cached file boots from its parsed parameters, with the same values and log lines, not from its text', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', big({ 'prov.login.automaticLogout': '15', 'dir.search.field': '7', 'no.such.param': 'x' })]]);
  assert.equal(attrsFiles(b), ['cfg/file-1.attrs']);
  const parsedAt = b.lines.length;
  const config = b.reboot();
  assert.is(config.get('prov.login.automaticLogout'), '15');
  const boot = b.lines.slice(parsedAt);
  assert.ok(boot.some((l) => /site\.cfg: 1 unknown parameters ignored \(no\.such\.param\)/.test(l)), boot.join('\n'));
  // dir.search.field accepts 0 or 1: rejected at boot as at download, one by one.
  assert.ok(boot.some((l) => /site\.cfg: rejected dir\.search\.field="7"/.test(l)), boot.join('\n'));
  assert.is(config.explain('prov.login.automaticLogout').source, 'site.cfg');
});

test('the boot does not read the cached text when its parsed parameters are there', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', big({ 'prov.login.automaticLogout': '15' })]]);
  // Reboot with a spy on the store's reads (the store is mounted afresh, so on its class).
  const spied: string[] = [];
  const proto = Object.getPrototypeOf(b.store) as { read: (p: string) => Uint8Array | null };
  const saved = proto.read;
  proto.read = function (this: unknown, p: string) { spied.push(p); return saved.call(this, p); };
  try {
    b.reboot();
  } finally {
    proto.read = saved;
  }
  assert.ok(spied.includes('cfg/file-1.attrs'), spied.join(', '));
  assert.not.ok(spied.includes('cfg/file-1.cfg'), spied.join(', '));
  assert.is(b.config.get('prov.login.automaticLogout'), '15');
});

test('a text rewritten without its parsed parameters (older firmware) is parsed again; a dropped file takes them along', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '15' })], ['other.cfg', cfg({ 'prov.polling.period': '7200' })]]);
  // Older firmware rewrites the text alone: the parsed parameters on flash are now those of the old text.
  b.store.write('cfg/file-1.cfg', new TextEncoder().encode(cfg({ 'prov.login.automaticLogout': '25' })), { cls: 'config' });
  assert.is(b.reboot().get('prov.login.automaticLogout'), '25');
  // Unreadable parsed parameters written with their text: logged, the text is parsed.
  b.store.transaction((tx) => {
    tx.write('cfg/file-2.cfg', new TextEncoder().encode(cfg({ 'prov.polling.period': '9000' })), { cls: 'config' });
    tx.write('cfg/file-2.attrs', new TextEncoder().encode('{not json'), { cls: 'config' });
  });
  assert.is(b.reboot().get('prov.polling.period'), '9000');
  assert.ok(b.logged(/parsed parameters of other\.cfg unreadable/).length === 1);
  // CONFIG_FILES without other.cfg: its text and parsed parameters both go.
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '25' })]]);
  assert.equal(attrsFiles(b), ['cfg/file-1.attrs']);
  assert.not.ok(b.store.exists('cfg/file-2.cfg'));
});

test('a copy cached without parsed parameters gets them (text and parameters rewritten once) when the same text comes again', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '15' })]]);
  // As older firmware left it: the text alone.
  b.store.delete('cfg/file-1.attrs');
  b.reboot();
  const writes = b.store.stats().programOps;
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '15' })]]);
  assert.equal(attrsFiles(b), ['cfg/file-1.attrs']);
  assert.is(b.store.version('cfg/file-1.cfg'), b.store.version('cfg/file-1.attrs'));
  const again = b.store.stats().programOps;
  assert.ok(again > writes, 'written once');
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '15' })]]);
  assert.is(b.store.stats().programOps, again, 'the same text again: nothing written');
});

test('parameters parsed by another parser version are not trusted: the text is parsed', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '15' })]]);
  b.store.transaction((tx) => {
    tx.write('cfg/file-1.cfg', new TextEncoder().encode(cfg({ 'prov.login.automaticLogout': '15' })), { cls: 'config' });
    tx.write('cfg/file-1.attrs', new TextEncoder().encode(JSON.stringify({ parse: 0, attributes: [['prov.login.automaticLogout', '99']] })), { cls: 'config' });
  });
  assert.is(b.reboot().get('prov.login.automaticLogout'), '15');
  assert.is(b.logged(/unreadable/).length, 0);
});

test.run();
