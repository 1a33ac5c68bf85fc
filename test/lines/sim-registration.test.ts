/**
 * SIP lines from configuration on the simulated phone (real bundle in
 * QuickJS), registering with the simulator's virtual registrar: each line's
 * label and state on the idle screen of both boards, line LEDs, the line key
 * showing that line, a wrong password failing with a backoff of 30 s
 * doubling, and the registrar going away and coming back.
 */
import { showsText } from '../../sim/shown-text';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import { BUILT_IN_FOLDER } from '../../sim/provisioning/staging';
import { describeHit, findRawStrings } from '../../sim/forensics/scan';
import type { StepContext } from '../../sim/scenario/scenario';
import { registrar } from '../../sim/scenario/steps/far-end';
import { bootPhone } from '../helpers/sim';

const dirs: string[] = [];

/** A provisioning folder whose site.cfg holds these parameters. */
function provisioningFolder(params: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lines-prov-'));
  dirs.push(dir);
  fs.cpSync(BUILT_IN_FOLDER, dir, { recursive: true });
  const attrs = Object.entries(params).map(([k, v]) => `${k}="${v}"`).join(' ');
  fs.writeFileSync(path.join(dir, 'site.cfg'), `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig ${attrs}/>\n`);
  return dir;
}

/** Boot, let the first provisioning cycle and the registrations run. */
async function provisioned(board: string, params: Record<string, string>, before?: (p: Phone) => void): Promise<Phone> {
  const phone = await bootPhone({ board, provisioningDir: provisioningFolder(params) });
  before?.(phone);
  await phone.advance(1000);
  await phone.settle();
  await phone.advance(10);
  return phone;
}

function lineParams(n: number, password = 'Line-Secret-42'): Record<string, string> {
  const p: Record<string, string> = { 'voIpProt.server.1.address': 'pbx.example.com', 'voIpProt.server.1.expires': '600' };
  const names = ['Alice', 'Sales', 'Support', 'Night'];
  for (let x = 1; x <= n; x++) {
    p[`reg.${x}.address`] = `${1000 + x}`;
    p[`reg.${x}.label`] = names[x - 1];
    p[`reg.${x}.auth.password`] = password;
  }
  return p;
}

test('desk-500: four configured lines register; idle shows each label and state, the four line LEDs are on', async () => {
  const phone = await provisioned('desk-500', lineParams(4));
  try {
    const s = phone.screen();
    assert.is(s.id, 'idle');
    assert.equal(s.lines.slice(1, 5), ['Alice: registered', 'Sales: registered', 'Support: registered', 'Night: registered'], s.lines.join(' | '));
    assert.equal(phone.farEnd.registrar.bindings().map((b) => `${b.line}:${b.user}`), ['1:1001', '2:1002', '3:1003', '4:1004']);
    for (const led of ['line1', 'line2', 'line3', 'line4'] as const) assert.is(phone.devices.leds.state[led], 'on', led);
    assert.ok(!phone.log().some((l) => l.includes('Line-Secret-42')), 'the password is never logged');
    // Cached configuration is sealed: the password is nowhere on flash in clear (any encoding).
    assert.equal(findRawStrings(phone.dumpFlash(), ['Line-Secret-42']).map(describeHit), []);
    assert.equal(phone.faults, []);
  } finally {
    phone.dispose();
  }
});

test('desk-99: two lines (reg.3 is logged as beyond the board), labels and states on the small screen', async () => {
  const phone = await provisioned('desk-99', lineParams(3));
  try {
    const s = phone.screen();
    assert.equal(s.lines.slice(1, 3), ['Alice: registered', 'Sales: registered'], s.lines.join(' | '));
    assert.ok(!s.lines.some((l) => l.startsWith('Support')));
    assert.is(phone.farEnd.registrar.bindings().length, 2);
    assert.ok(phone.log().some((l) => l.includes('reg.3.address ignored: this board has 2 lines')));
    assert.is(phone.devices.leds.state.line1, 'on');
    assert.is(phone.devices.leds.state.line2, 'on');
    assert.equal(phone.faults, []);
  } finally {
    phone.dispose();
  }
});

test('no line configured: line 1 as the host set it up, as before', async () => {
  const phone = await provisioned('desk-500', {});
  try {
    assert.ok(phone.screen().lines.includes('Line 1: registered'), phone.screen().lines.join(' | '));
    assert.is(phone.farEnd.registrar.bindings().length, 0);
  } finally {
    phone.dispose();
  }
});

for (const board of ['desk-500', 'desk-99']) {
  test(`${board}: a wrong password shows "registration failed", the line key tells why, retries back off 30 s, 60 s, 120 s; the right password registers`, async () => {
    const phone = await provisioned(board, lineParams(1, 'wrong'), (p) => p.farEnd.registrar.setUsers({ '1001': 'right' }));
    try {
      // desk-99's 132 pixels cut the line: the text model says so with '…'.
      assert.ok(phone.screen().lines.some((l) => showsText(l, 'Alice: registration failed', 14)), phone.screen().lines.join(' | '));
      assert.is(phone.devices.leds.state.line1, 'off');
      await phone.press('line1');
      const d = phone.screen();
      assert.is(d.title, 'Alice');
      assert.is(d.lines[0], 'registration failed', d.lines.join(' | '));
      assert.ok(d.lines.includes('Reason: 403 Forbidden'), d.lines.join(' | '));
      assert.ok(d.lines.some((l) => /^Retry in (2\d|3\d) s$/.test(l)), d.lines.join(' | '));
      // desk-99 shows three body lines: the server is below them.
      if (board === 'desk-500') assert.ok(d.lines.includes('Server: pbx.example.com;UDP'), d.lines.join(' | '));
      await phone.press('soft1');
      assert.is(phone.screen().id, 'idle');
      // Attempts at ~30 s (+ up to 10 % jitter), then ~60 s later, then ~120 s later.
      const r = () => phone.farEnd.registrar.requests();
      assert.is(r(), 1);
      await phone.advance(25_000);
      assert.is(r(), 1, 'not before 30 s');
      await phone.advance(9_000);
      assert.is(r(), 2, 'first retry after about 30 s');
      await phone.advance(55_000);
      assert.is(r(), 2, 'second retry waits about 60 s');
      await phone.advance(12_000);
      assert.is(r(), 3);
      await phone.advance(115_000);
      assert.is(r(), 3, 'third retry waits about 120 s');
      await phone.advance(20_000);
      assert.is(r(), 4);
      assert.ok(phone.screen().lines.some((l) => showsText(l, 'Alice: registration failed', 14)));
      assert.ok(phone.log().some((l) => /line 1: registration failed \(403 Forbidden\); retry 3 in 1[23]\d s/.test(l)), phone.log().filter((l) => l.includes('|sip|')).join('\n'));
      // The administrator fixes the registrar's user: the next retry registers.
      phone.farEnd.registrar.setUsers({ '1001': 'wrong' });
      await phone.advance(270_000);
      assert.ok(phone.screen().lines.includes('Alice: registered'), phone.screen().lines.join(' | '));
      assert.is(phone.devices.leds.state.line1, 'on');
      assert.ok(!phone.log().some((l) => l.includes('wrong') || l.includes('right')), 'no password in the log');
      assert.equal(phone.faults, []);
    } finally {
      phone.dispose();
    }
  });
}

test('the registrar goes away: the line fails at its refresh and comes back registered after a backoff once the registrar is back', async () => {
  const params = { ...lineParams(1), 'reg.1.server.1.address': 'pbx2.example.com', 'reg.1.server.1.expires': '60' };
  const phone = await provisioned('desk-500', params);
  try {
    assert.ok(phone.screen().lines.includes('Alice: registered'));
    phone.farEnd.registrar.goAway();
    await phone.advance(31_000); // refresh at half of 60 s
    // desk-99's 132 pixels cut the line: the text model says so with '…'.
      assert.ok(phone.screen().lines.some((l) => showsText(l, 'Alice: registration failed', 14)), phone.screen().lines.join(' | '));
    assert.is(phone.devices.leds.state.line1, 'off');
    await phone.advance(34_000);
    assert.ok(phone.screen().lines.includes('Alice: registration failed'), 'still away at the first retry');
    phone.farEnd.registrar.comeBack();
    await phone.advance(67_000);
    assert.ok(phone.screen().lines.includes('Alice: registered'), phone.screen().lines.join(' | '));
    assert.is(phone.devices.leds.state.line1, 'on');
    assert.ok(phone.log().some((l) => l.includes('line 1: registration failed (408 Request Timeout)')));
  } finally {
    phone.dispose();
  }
});

test('the scenario step "registrar" scripts the registrar: a refusal at the refresh fails the line, accepting again registers it', async () => {
  const phone = await provisioned('desk-500', lineParams(1));
  try {
    const step = (arg: unknown) => registrar.run({ phone } as unknown as StepContext, registrar.parse(arg));
    assert.throws(() => registrar.parse({ action: 'explode' }), /registrar.action: "explode" is not one of/);
    await step({ action: 'reject', status: '503 Service Unavailable' });
    await phone.advance(541_000); // refresh 60 s before the 600 s expiry
    // desk-99's 132 pixels cut the line: the text model says so with '…'.
      assert.ok(phone.screen().lines.some((l) => showsText(l, 'Alice: registration failed', 14)), phone.screen().lines.join(' | '));
    await step('accept');
    await phone.advance(35_000);
    assert.ok(phone.screen().lines.includes('Alice: registered'), phone.screen().lines.join(' | '));
    assert.ok(phone.log().some((l) => l.includes('line 1: registration failed (503 Service Unavailable)')));
  } finally {
    phone.dispose();
  }
});

test.after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test.run();
