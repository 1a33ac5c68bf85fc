/** A screen: a pure view of some state as text, and what keys do to it. */
import type { KeyName, ScreenText } from '../../hal/contract';

export interface Navigator {
  /** Open a screen on top of this one. */
  push(screen: Screen): void;
  /** Close this screen. */
  pop(): void;
  /** Replace this screen. */
  replace(screen: Screen): void;
  /** Back to the idle screen. */
  home(): void;
  /** Redraw (state changed). */
  redraw(): void;
}

export interface Screen {
  /** The screen's text model; the renderer draws exactly this. */
  view(): ScreenText;
  /** A key went down. Return false to let the manager apply default handling (back, home). */
  onKey(key: KeyName, nav: Navigator): boolean;
  /** Called when the screen becomes visible again or is first shown. */
  onShow?(nav: Navigator): void;
  /** Milliseconds until the view changes by itself (a call timer's next second); null or absent: only when state changes. */
  nextChangeIn?(): number | null;
}

/** The last resort of a screen's key handler: Back (soft key 4 or the Back key) closes the screen; other keys are not handled. */
export function closeOnBack(key: KeyName, nav: Navigator): boolean {
  if (key !== 'soft4' && key !== 'back') return false;
  nav.pop();
  return true;
}
