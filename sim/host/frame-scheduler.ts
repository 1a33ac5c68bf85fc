/**
 * When the firmware's frames are drawn (HAL `Display.requestFrame`). A panel
 * that is always seen (the board's framebuffer) gets each frame at its time on
 * the host clock. A panel that can hold frames (the simulator's, see
 * `HeldFrames`) gets them at their time only while someone watches it, and
 * otherwise just before it is read: a phone run unseen through 30 virtual days
 * draws nothing, and a test that reads the screen sees exactly what a frame
 * drawn now shows.
 */
import type { Clock, Display, TimerId } from '../../hal/contract';
import type { EventGate } from './event-gate';

/** What a panel that can hold frames tells the scheduler. */
export interface HeldFrames {
  /** Someone looks at the panel all the time (a screen listener): frames come at their time. */
  readonly watched: boolean;
  /**
   * `look` runs before every read of the panel and when it becomes watched;
   * null when the firmware that asked stops (power off, reboot).
   */
  setLookHook(look: (() => void) | null): void;
}

/** The display a host hands over: everything of the HAL's but frame requests, which the scheduler adds. */
export type PanelDevice = Omit<Display, 'requestFrame'> & Partial<HeldFrames>;

export function scheduledDisplay(panel: PanelDevice, clock: Clock, gate: EventGate): Display {
  let pending: { at: number; draw: () => void } | null = null;
  let timer: TimerId | null = null;
  const holds = typeof panel.setLookHook === 'function';

  const disarm = () => {
    if (timer !== null) clock.clearTimer(timer);
    timer = null;
  };
  const fire = () => {
    disarm();
    const frame = pending;
    pending = null;
    if (frame) gate.deliver('frame', frame.draw);
  };
  const arm = () => {
    disarm();
    if (pending) timer = clock.setTimer(Math.max(0, pending.at - clock.monotonic()), fire);
  };
  if (holds) {
    panel.setLookHook!(() => {
      if (pending && pending.at <= clock.monotonic()) fire();
      else if (pending && panel.watched && timer === null) arm();
    });
  }

  return {
    width: panel.width,
    height: panel.height,
    format: panel.format,
    blit: (x, y, w, h, pixels) => panel.blit(x, y, w, h, pixels),
    setBacklight: (level) => panel.setBacklight(level),
    describe: (screen) => panel.describe(screen),
    requestFrame: (at, draw) => {
      pending = { at, draw };
      if (!holds || panel.watched) arm();
      else disarm();
    },
  };
}
