/** Waiting for the running board's screen (runs in the guest). */
import type { ScreenText } from '../../../hal/contract';
import type { RunningBoard } from '../../../hal/linux/board-host';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitScreen(board: RunningBoard, what: string, match: (s: ScreenText) => boolean, timeoutMs: number): Promise<ScreenText> {
  const deadline = Date.now() + timeoutMs;
  while (!match(board.screen())) {
    if (Date.now() > deadline || board.state !== 'running') {
      throw new Error(`no ${what} screen after ${timeoutMs} ms (board ${board.state}); last ${JSON.stringify(board.screen())}; log:\n${board.log().slice(-20).join('\n')}`);
    }
    await sleep(50);
  }
  return board.screen();
}

