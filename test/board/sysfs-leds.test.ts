import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SysfsLeds } from '../../hal/linux/sysfs-leds';

function fakeLed(root: string, name: string, max = 255): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'brightness'), '0');
  fs.writeFileSync(path.join(dir, 'max_brightness'), String(max));
  fs.writeFileSync(path.join(dir, 'trigger'), '[none] timer heartbeat');
  return dir;
}
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

test('on writes max_brightness, off 0, blink selects the timer trigger (with its delays once the kernel shows them)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leds-'));
  try {
    const mwi = fakeLed(root, 'phone:red:mwi', 1);
    const mute = fakeLed(root, 'phone:red:mute', 255);
    const leds = new SysfsLeds({ map: { messageWaiting: 'phone:red:mwi', mute: 'phone:red:mute' }, ledsDir: root, log: () => {} });
    leds.set('mute', 'on');
    assert.is(read(mute, 'brightness'), '255');
    assert.is(read(mute, 'trigger'), 'none');
    leds.set('mute', 'off');
    assert.is(read(mute, 'brightness'), '0');
    fs.writeFileSync(path.join(mwi, 'delay_on'), '0');
    fs.writeFileSync(path.join(mwi, 'delay_off'), '0');
    leds.set('messageWaiting', 'blink');
    assert.is(read(mwi, 'trigger'), 'timer');
    assert.is(read(mwi, 'delay_on'), '500');
    assert.is(read(mwi, 'delay_off'), '500');
    leds.set('messageWaiting', 'on');
    assert.is(read(mwi, 'trigger'), 'none');
    assert.is(read(mwi, 'brightness'), '1');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an LED the board file does not list is not fitted: ignored silently', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leds-'));
  try {
    const log: string[] = [];
    new SysfsLeds({ map: {}, ledsDir: root, log: (l) => log.push(l) }).set('headset', 'on');
    assert.equal(log, []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a listed LED missing from sysfs is logged once, not at every change, and works once it appears', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leds-'));
  try {
    const log: string[] = [];
    const leds = new SysfsLeds({ map: { line1: 'phone:green:line1' }, ledsDir: root, log: (l) => log.push(l) });
    leds.set('line1', 'on');
    leds.set('line1', 'off');
    leds.set('line1', 'blink');
    assert.is(log.length, 1);
    assert.match(log[0], /leds: line1 \(phone:green:line1\) cannot be set on: no LED .*phone:green:line1/);
    const dir = fakeLed(root, 'phone:green:line1');
    leds.set('line1', 'on');
    assert.is(read(dir, 'brightness'), '255');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
