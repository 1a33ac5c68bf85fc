/**
 * The parameter registry as the phone holds it: the modules' own declaration
 * objects (a copy only where a board limit applies), found by exact name and
 * then case-insensitively, each with its module and a position in
 * registration order.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ParameterRegistry, type ParameterModule } from '../../firmware/config/parameter-registry';
import type { ParameterDeclaration } from '../../firmware/kernel/declaration';
import { declaredModules } from './config-bench';

const param = (name: string, extra: Partial<ParameterDeclaration> = {}): ParameterDeclaration => ({ name, type: 'string', default: '', description: name, ...extra });

const modules: ParameterModule[] = [
  { name: 'alpha', parameters: [param('b.two'), param('a.One'), param('z.last')] },
  { name: 'empty', parameters: [] },
  { name: 'beta', parameters: [param('dir.local.readonly'), param('X.Upper.CASE'), param('m.max', { type: 'integer', default: 500, max: 500, boardLimit: 'contactLimit' })] },
];

test('holds the modules\' own declarations, a copy only for a board limit', () => {
  const r = new ParameterRegistry(modules, { contactLimit: 99 });
  assert.is(r.lookup('b.two'), modules[0].parameters[0]);
  assert.is(r.lookup('X.Upper.CASE'), modules[2].parameters[1]);
  const limited = r.lookup('m.max')!;
  assert.is.not(limited, modules[2].parameters[2]);
  assert.is(limited.default, 99);
  assert.is(limited.max, 99);
  assert.is(modules[2].parameters[2].default, 500, 'the declaration itself is left as declared');
  assert.is(new ParameterRegistry(modules).lookup('m.max'), modules[2].parameters[2], 'no board: as declared');
});

test('exact names first, then case-insensitively; unknown names are undefined', () => {
  const r = new ParameterRegistry(modules);
  for (const name of ['a.One', 'a.one', 'A.ONE', 'x.upper.case', 'X.UPPER.CASE', 'Dir.Local.ReadOnly', 'dir.local.readOnly', 'B.TWO', 'z.last']) {
    assert.ok(r.lookup(name), name);
    assert.is(r.lookup(name)!.name.toLowerCase(), name.toLowerCase());
  }
  for (const name of ['', 'a', 'a.On', 'a.One.', 'zz', 'A', '~', 'b.two ', 'constructor', '__proto__']) {
    assert.is(r.lookup(name), undefined, name);
    assert.is(r.position(name), -1, name);
  }
  assert.is(r.position('a.one', true), -1, 'exact only');
  assert.is(r.position('a.One', true), 1);
});

test('positions follow registration order, with each parameter\'s module', () => {
  const r = new ParameterRegistry(modules);
  assert.is(r.size, 6);
  assert.equal([0, 1, 2, 3, 4, 5].map((i) => `${r.moduleAt(i)}:${r.at(i).name}`), ['alpha:b.two', 'alpha:a.One', 'alpha:z.last', 'beta:dir.local.readonly', 'beta:X.Upper.CASE', 'beta:m.max']);
  assert.equal(r.all().map((p) => `${p.module}:${p.name}`), ['alpha:b.two', 'alpha:a.One', 'alpha:z.last', 'beta:dir.local.readonly', 'beta:X.Upper.CASE', 'beta:m.max']);
});

test('every declared parameter of the firmware is found by its name, upper-cased and lower-cased', () => {
  const declared = declaredModules();
  const r = new ParameterRegistry(declared);
  let i = 0;
  for (const m of declared) {
    for (const p of m.parameters) {
      assert.is(r.position(p.name), i, p.name);
      assert.is(r.position(p.name.toUpperCase()), i, p.name);
      assert.is(r.position(p.name.toLowerCase()), i, p.name);
      assert.is(r.moduleAt(i), m.name);
      i++;
    }
  }
  assert.is(r.size, i);
});

test.run();
