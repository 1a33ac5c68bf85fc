/**
 * Issue 13 point 6: modules declare their dependencies and boot starts them
 * in that declared order (firmware/main.ts has no hand-kept sequence).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModuleRegistry } from '../../firmware/kernel/module-registry';
import { bootInProcess } from '../../sim/host/in-process-firmware';

const mod = (name: string, dependsOn?: string[]) => ({ declaration: { name, parameters: [], dataClasses: [], screens: [], ...(dependsOn ? { dependsOn } : {}) } });

test('the start order puts every module after its declared dependencies, otherwise registration order', () => {
  const r = new ModuleRegistry();
  r.register(mod('ui', ['config']));
  r.register(mod('calls', ['ui', 'config']));
  r.register(mod('config'));
  r.register(mod('stats'));
  assert.equal(r.startOrder().map((m) => m.declaration.name), ['config', 'ui', 'calls', 'stats']);
});

test('an unknown dependency or a cycle is refused with the modules named', () => {
  const unknown = new ModuleRegistry();
  unknown.register(mod('calls', ['nope']));
  assert.throws(() => unknown.startOrder(), /"calls" depends on unknown module "nope"/);
  const cycle = new ModuleRegistry();
  cycle.register(mod('a', ['b']));
  cycle.register(mod('b', ['a']));
  assert.throws(() => cycle.startOrder(), /cycle among a, b/);
});

test('the firmware\'s modules start in their declared order: config, logs, ui, provisioning, calls, login, directory, reset', () => {
  const phone = bootInProcess({ board: 'desk-500' });
  const order = phone.booted.kernel.modules.startOrder().map((m) => m.declaration.name);
  const started = ['config', 'logs', 'ui', 'provisioning', 'calls', 'login', 'directory', 'reset'];
  assert.equal(order.filter((n) => started.includes(n)), started);
  for (const m of phone.booted.kernel.modules.all()) {
    for (const d of m.declaration.dependsOn ?? []) assert.ok(order.indexOf(d) < order.indexOf(m.declaration.name), `${m.declaration.name} after ${d}`);
  }
});

test.run();
