/**
 * The out-of-box wizard: the first-setup choices a new phone asks for
 * (provisioning server, a new admin password, the language), shown over the idle screen on
 * the first boot and after a reset that clears its state (Out-of-Box Wizard,
 * Reset Device Settings, the factory resets). Its state is one device
 * setting in nvram; Finish sets it, so the wizard does not come back.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from '../ui/screen';
import { t, tLabel } from '../ui/i18n/messages';

export const WIZARD_STEPS = ['Provisioning Server', 'Admin Password', 'Language'] as const;

export interface WizardDeps {
  /** The screen of a step (the modules' own screens), null when that module is missing. */
  open(step: (typeof WIZARD_STEPS)[number]): Screen | null;
  finish(): void;
}

export class OutOfBoxWizard implements Screen {
  private focus = 0;
  private readonly visited = new Set<number>();

  constructor(private readonly d: WizardDeps) {}

  view(): ScreenText {
    const lines = [...WIZARD_STEPS.map((s, i) => {
      const step = tLabel('wizard.step.', s);
      return `${i + 1}. ${this.visited.has(i) ? t('wizard.done', { step }) : step}`;
    }), `${WIZARD_STEPS.length + 1}. ${t('wizard.finish')}`];
    return { id: 'wizard', title: t('wizard.title'), lines, softKeys: [t('softkey.select'), '', '', t('softkey.finish')], focus: this.focus };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    const n = WIZARD_STEPS.length + 1;
    let pick = -1;
    if (key === 'up') this.focus = (this.focus + n - 1) % n;
    else if (key === 'down') this.focus = (this.focus + 1) % n;
    else if (key === 'select' || key === 'soft1') pick = this.focus;
    else if (key.length === 1 && key >= '1' && Number(key) <= n) pick = Number(key) - 1;
    else if (key === 'soft4') pick = n - 1;
    // Back does not skip first setup: Finish (or Home, which brings it back at the next boot) leaves it.
    else return key !== 'home';
    if (pick === n - 1) {
      this.d.finish();
      nav.pop();
      return true;
    }
    if (pick >= 0) {
      this.focus = pick;
      const screen = this.d.open(WIZARD_STEPS[pick]);
      if (screen) {
        this.visited.add(pick);
        nav.push(screen);
      }
    }
    nav.redraw();
    return true;
  }
}
