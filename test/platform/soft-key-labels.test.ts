/** Soft-key labels on the small display: a label too long for its slot borrows the room its neighbours leave, else it is cut with '…' and marked. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS } from '../../hal/boards';
import { layoutFor, layoutForScreen } from '../../firmware/ui/layout';
import { ScreenRenderer } from '../../firmware/ui/renderer';
import { rowStride, VirtualDisplay } from '../../sim/devices/display';

const geometry = BOARDS['desk-99'].display;

/** x ranges of the soft-key boxes (ink runs of the mono bar) on the soft-key row. */
function softKeyBoxes(softKeys: string[]): [number, number][] {
  const display = new VirtualDisplay(geometry.width, geometry.height, geometry.format);
  const screen = { id: 't', title: 'T', lines: [], softKeys, focus: -1, status: '' };
  new ScreenRenderer(display, layoutFor(geometry)).render(screen);
  const layout = layoutForScreen(geometry, screen);
  // The box's first row is all bar (ink) except between boxes: glyphs start one row lower.
  const y = layout.softKeyTop;
  const stride = rowStride(display.format, display.width);
  const ink = (x: number) => ((display.framebuffer[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1) === 1;
  const boxes: [number, number][] = [];
  for (let x = 0; x < display.width; x++) {
    if (!ink(x)) continue;
    const start = x;
    while (x + 1 < display.width && ink(x + 1)) x++;
    boxes.push([start, x]);
  }
  return boxes;
}

test('desk-99: "Select" with an empty neighbour gets a box wider than its slot; beside another label it borrows only spare room', () => {
  const slot = Math.floor(geometry.width / 4);
  const wide = softKeyBoxes(['Select', '', '', 'Back']);
  assert.equal(wide.length, 2, JSON.stringify(wide));
  assert.ok(wide[0][1] - wide[0][0] + 1 > slot, `the Select box spans ${wide[0][1] - wide[0][0] + 1} px, more than one ${slot}-px slot`);
  const narrow = softKeyBoxes(['Select', 'Edit', '', 'Back']);
  assert.equal(narrow.length, 3, JSON.stringify(narrow));
  assert.ok(narrow[0][1] < narrow[1][0], 'boxes do not overlap');
  // Each box stays over its key: its middle within its slot.
  narrow.forEach(([a, b], i) => {
    const key = i === 2 ? 3 : i;
    assert.ok((a + b) / 2 >= key * slot && (a + b) / 2 < (key + 1) * slot, `box ${i} over key ${key}: ${a}-${b}`);
  });
});

test('desk-99: the idle and call-list keys fit whole ("Missed", "Delete"); a row too full is cut with an ellipsis and marked', () => {
  const display = new VirtualDisplay(geometry.width, geometry.height, geometry.format);
  const renderer = new ScreenRenderer(display, layoutFor(geometry));
  const fit = (softKeys: string[]) => renderer.fit({ id: 't', title: 'T', lines: [], softKeys, focus: -1, status: '' });
  assert.equal(fit(['', 'Calls', 'Missed', 'Menu']).softKeys, ['', 'Calls', 'Missed', 'Menu']);
  assert.is(fit(['', 'Calls', 'Missed', 'Menu']).cut, undefined);
  assert.equal(fit(['Dial', 'Delete', 'Clear', 'Back']).softKeys, ['Dial', 'Delete', 'Clear', 'Back']);
  const full = fit(['Transfer', 'Conference', 'Park', 'Hold']);
  assert.ok(full.softKeys.some((k) => k.endsWith('…')), JSON.stringify(full.softKeys));
  assert.equal(full.cut, full.softKeys.map((k, i) => (k.endsWith('…') ? `key ${i}` : '')).filter(Boolean));
});

test.run();
