/** Settings > Basic > Language and the wizard's Language step: the UI languages, each in its own name; Select applies one. */
import type { KeyName, ScreenText } from '../../hal/contract';
import { currentLanguage, LANGUAGES, t, type Language } from './i18n/messages';
import type { Navigator, Screen } from './screen';

export class LanguageScreen implements Screen {
  private focus = Math.max(0, LANGUAGES.indexOf(currentLanguage()));

  /** `choose` stores the choice (`lcl.ml.lang` as a local override) and applies it. */
  constructor(private readonly choose: (language: Language) => void) {}

  view(): ScreenText {
    const lines = LANGUAGES.map((l, i) => {
      const name = l === currentLanguage() ? t('language.current', { language: l.name }) : l.name;
      return `${i + 1}. ${name}`;
    });
    return { id: 'language', title: t('language.title'), lines, softKeys: [t('softkey.select'), '', '', t('softkey.back')], focus: this.focus };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    const n = LANGUAGES.length;
    if (key === 'up') this.focus = (this.focus + n - 1) % n;
    else if (key === 'down') this.focus = (this.focus + 1) % n;
    else if (key === 'select' || key === 'soft1' || (key.length === 1 && key >= '1' && Number(key) <= n)) {
      if (key.length === 1) this.focus = Number(key) - 1;
      this.choose(LANGUAGES[this.focus]);
      nav.pop();
      return true;
    } else if (key === 'soft4' || key === 'back') {
      nav.pop();
      return true;
    } else return false;
    nav.redraw();
    return true;
  }
}
