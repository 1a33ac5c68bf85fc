/**
 * The stack of open screens: routes keys to the top one, applies the common
 * keys (back, home), scrolls body lines to keep the focus visible, adds the
 * status bar and draws the result — in display frames: a state change asks
 * for one, and each frame asks for the next at the instant the view changes
 * by itself (the status clock's minute, a call timer's second). No timer
 * redraws; a host whose panel nobody reads draws nothing meanwhile.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Layout } from './layout';
import type { ScreenRenderer } from './renderer';
import type { Navigator, Screen } from './screen';

/** Where frames come from: the HAL display's requests on the monotonic clock. */
export interface FrameSource {
  /** Monotonic ms now. */
  now(): number;
  /** HAL `Display.requestFrame`. */
  request(at: number, draw: () => void): void;
  /** Ms until the status bar's clock shows another minute. */
  untilClockChange(): number;
}

export class ScreenManager implements Navigator {
  private stack: Screen[] = [];
  private scrollTop = new WeakMap<Screen, number>();
  /** When the frame asked for will be drawn; null: none asked. */
  private frameAt: number | null = null;

  constructor(
    private readonly renderer: ScreenRenderer,
    private readonly layout: Layout,
    private readonly statusText: () => string,
    private readonly idle: () => Screen,
    private readonly frames: FrameSource,
  ) {}

  get top(): Screen | undefined {
    return this.stack[this.stack.length - 1];
  }

  depth(): number {
    return this.stack.length;
  }

  push(screen: Screen): void {
    this.stack.push(screen);
    screen.onShow?.(this);
    this.redraw();
  }

  pop(): void {
    if (this.stack.length > 1) this.stack.pop();
    this.top?.onShow?.(this);
    this.redraw();
  }

  replace(screen: Screen): void {
    if (this.stack.length > 0) this.stack.pop();
    this.push(screen);
  }

  home(): void {
    this.stack = [this.idle()];
    this.top!.onShow?.(this);
    this.redraw();
  }

  key(key: KeyName): void {
    const top = this.top;
    if (!top) return;
    if (top.onKey(key, this)) return;
    if (key === 'back' || key === 'left') this.pop();
    else if (key === 'home') this.home();
    else if ((key === 'up' || key === 'down') && top.view().focus < 0) this.scroll(top, key === 'up' ? -1 : 1);
  }

  /** Scroll a screen without a focus line (e.g. Status on the 3-line desk-99 display) one line. */
  private scroll(screen: Screen, by: number): void {
    this.scrollTop.set(screen, (this.scrollTop.get(screen) ?? 0) + by);
    this.redraw();
  }

  /** State changed: a frame as soon as possible (several changes in one event make one frame). */
  redraw(): void {
    this.askFrame(this.frames.now());
  }

  private askFrame(at: number): void {
    if (this.frameAt !== null && this.frameAt <= at) return;
    this.frameAt = at;
    this.frames.request(at, this.drawFrame);
  }

  private readonly drawFrame = (): void => {
    this.frameAt = null;
    const top = this.top;
    if (!top) return;
    const { screen, layout } = this.visible(top);
    this.renderer.render(screen, layout);
    const next = Math.min(this.frames.untilClockChange(), top.nextChangeIn?.() ?? Infinity);
    this.askFrame(this.frames.now() + Math.max(0, next));
  };

  /** The top screen's own view (its id and title, say) without laying it out: what logic asks, where `current` is what is drawn. */
  topView(): ScreenText | null {
    return this.top?.view() ?? null;
  }

  /** What is on screen now (after scrolling). */
  current(): ScreenText | null {
    if (!this.top) return null;
    const { screen, layout } = this.visible(this.top);
    return this.renderer.fit(screen, layout);
  }

  /** What is on screen now (after scrolling), and the layout chosen from the whole screen. */
  private visible(screen: Screen): { screen: ScreenText; layout: Layout } {
    const view = screen.view();
    const status = view.status ?? this.statusText();
    const layout = this.renderer.layoutOf({ ...view, status });
    const rows = layout.bodyRows;
    let top = this.scrollTop.get(screen) ?? 0;
    if (view.focus >= 0) {
      if (view.focus < top) top = view.focus;
      if (view.focus >= top + rows) top = view.focus - rows + 1;
    }
    top = Math.max(0, Math.min(top, Math.max(0, view.lines.length - rows)));
    this.scrollTop.set(screen, top);
    const above = top > 0;
    const below = top + rows < view.lines.length;
    return {
      layout,
      screen: {
        ...view,
        ...(above || below ? { more: above && below ? 'both' : above ? 'up' : 'down' } : {}),
        lines: view.lines.slice(top, top + rows),
        focus: view.focus >= 0 ? view.focus - top : -1,
        status,
      },
    };
  }
}
