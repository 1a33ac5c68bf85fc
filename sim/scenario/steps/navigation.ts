/**
 * Getting to the idle screen and the main menu on any board. The desk-500 has
 * a Home key; the desk-99 does not, so there the steps back out instead.
 */
import type { Phone } from '../../phone';
import { fields } from '../argument';
import type { StepKind } from '../scenario';
import { describeScreen } from './phone';

/** Presses of Back before giving up: deeper than any menu the firmware has. */
const MAX_BACKS = 12;

/** To the idle screen: Home where the board has one, else Back until idle. */
export async function goIdle(phone: Phone): Promise<void> {
  if (phone.screen().id === 'idle') return;
  if (phone.profile.keys.includes('home')) {
    await phone.press('home');
  } else {
    for (let i = 0; i < MAX_BACKS && phone.screen().id !== 'idle'; i++) await phone.press('back');
  }
  if (phone.screen().id !== 'idle') throw new Error(`cannot get back to the idle screen on ${phone.board}: ${describeScreen(phone.screen())}`);
}

/** To the main menu: from idle, the Menu soft key (the fourth on every board). */
export async function openMainMenu(phone: Phone): Promise<void> {
  await goIdle(phone);
  await phone.press('soft4');
  if (phone.screen().id !== 'menu') throw new Error(`the Menu soft key did not open the menu on ${phone.board}: ${describeScreen(phone.screen())}`);
}

export const goIdleStep: StepKind<Record<string, never>> = {
  name: 'goIdle',
  help: 'back to the idle screen on any board: Home, or Back where the board has no Home key (desk-99)',
  example: {},
  parse: (a) => {
    fields(a, [], 'goIdle');
    return {};
  },
  label: () => 'back to idle',
  run: async ({ phone }) => goIdle(phone),
};

export const navigationSteps: StepKind[] = [goIdleStep];
