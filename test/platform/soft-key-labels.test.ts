/** Soft-key labels on the small display: a label too long for its slot spreads over an unlabelled neighbour, else it is cut. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS } from '../../hal/boards';
import { layoutFor } from '../../firmware/ui/layout';
import { ScreenRenderer } from '../../firmware/ui/renderer';
import { rowStride, VirtualDisplay } from '../../sim/devices/display';

const geometry = BOARDS['desk-99'].display;

/** x ranges of the soft-key boxes (ink runs of the mono bar) on the soft-key row. */
function softKeyBoxes(softKeys: string[]): [number, number][] {
  const display = new VirtualDisplay(geometry.width, geometry.height, geometry.format);
  const layout = layoutFor(geometry);
  new ScreenRenderer(display, layout).render({ id: 't', title: 'T', lines: [], softKeys, focus: -1, status: '' });
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

test('desk-99: "Select" with an empty neighbour gets a two-slot box; beside another label it keeps one slot', () => {
  const slot = Math.floor(geometry.width / 4);
  const wide = softKeyBoxes(['Select', '', '', 'Back']);
  assert.equal(wide.length, 2, JSON.stringify(wide));
  assert.ok(wide[0][1] - wide[0][0] + 1 > slot, `the Select box spans ${wide[0][1] - wide[0][0] + 1} px, more than one ${slot}-px slot`);
  const narrow = softKeyBoxes(['Select', 'Edit', '', 'Back']);
  assert.equal(narrow.length, 3, JSON.stringify(narrow));
  assert.ok(narrow[0][1] - narrow[0][0] + 1 <= slot, 'a labelled neighbour keeps its own slot');
  assert.ok(narrow[0][1] < narrow[1][0], 'boxes do not overlap');
});

test.run();
