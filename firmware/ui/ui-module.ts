/**
 * The UI module: the menu skeleton of the spec (Settings > Basic, Advanced
 * behind a password, Administration Settings, Reset to Defaults, Status),
 * the idle screen, and the access gate that asks for passwords.
 */
import type { ModuleDeclaration } from '../kernel/declaration';
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { AuthService } from '../auth/auth-service';
import { changePasswordScreen } from '../auth/change-password-screens';
import type { Role } from '../auth/password-vault';
import { DEFAULT_DATE_FORMAT, formatDate, formatTime } from '../time/date-time-format';
import { IdleScreen, type IdleExtension } from './idle-screen';
import { installGlyphBlob } from './glyph-blob';
import { layoutFor } from './layout';
import { addMenuEntry, MenuScreen, type Access, type AccessGate, type MenuNode } from './menu';
import { PasswordScreen } from './password-screen';
import { entrySchedule } from './entry-schedule';
import { LANGUAGES, languageOf, setLanguage, shown, t, tLabel, type Language } from './i18n/messages';
import { LanguageScreen } from './language-screen';
import type { Navigator } from './screen';
import type { KeyName } from '../../hal/contract';
import { ScreenRenderer } from './renderer';
import { ScreenManager } from './screen-manager';
import { StatusScreen, isStatusPage } from './status-screen';

export const uiDeclaration: ModuleDeclaration = {
  name: 'ui',
  // The password gate and menus read configuration; the log is up.
  dependsOn: ['config', 'logs'],
  parameters: [
    // Polycom UC Software's name for it; the privacy guide (the spec) names no language parameter.
    // A string, not an enum: fleets set every Polycom language (English_United_Kingdom, Francais_France, ...);
    // a region of one of ours selects it, any other keeps English with one logged line.
    { name: 'lcl.ml.lang', type: 'string', default: 'English_United_States', maxLength: 64, description: 'Language of the phone\'s screens: a Polycom name (any region of English, Deutsch, Chinese: English_United_Kingdom is English) or an ISO 639-1 code (en, de, zh); another language shows English. Also set in Settings > Basic > Language and the Out-of-Box Wizard.' },
  ],
  dataClasses: [],
  screens: [
    { menu: ['Settings'], label: 'Basic', access: 'anyone' },
    { menu: ['Settings', 'Basic'], label: 'Language', screen: 'language', access: 'anyone' },
    { menu: ['Settings'], label: 'Advanced', access: 'admin' },
    { menu: ['Settings', 'Advanced'], label: 'Administration Settings', access: 'admin' },
    { menu: ['Settings', 'Advanced', 'Administration Settings'], label: 'Reset to Defaults', access: 'admin' },
    { menu: ['Settings'], label: 'Status', screen: 'status', access: 'anyone' },
  ],
};

const RANK: Record<Access, number> = { anyone: 0, user: 1, admin: 2 };

/** The phone's screens and menus for one boot. */
export class PhoneUi {
  readonly manager: ScreenManager;
  private readonly menuRoot: MenuNode = { label: 'Menu', access: 'anyone', children: [] };
  /** Line 1 as the host reports it (until the lines module shows the lines). */
  private lineState: { state: string; reason: string } = { state: 'unregistered', reason: '' };
  /** Role unlocked by a password since the phone last went idle. */
  private session: Role | null = null;
  /** Set by the calls module: dialing and call-list keys on the idle screen. */
  idleExtension: IdleExtension | null = null;

  private parameter: (name: string) => string | undefined = () => undefined;
  private readonly statusExtras: (() => string)[] = [];
  /** Indicators before the clock in the status bar (e.g. "Ringing"), '' when off. */
  private readonly statusIndicators: (() => string)[] = [];
  /** Date and time as shown (local time, configured formats): set by the time module; GMT with Polycom's default formats until then. */
  private clockText: ClockText = { date: (utc) => formatDate(utc, DEFAULT_DATE_FORMAT, true), time: (utc) => formatTime(utc, true) };

  /** Login hooks (user profiles): set by the login module once it runs. */
  private login: IdleLogin | null = null;
  /** Line labels, states and line keys: set by the lines module once it runs. */
  private lines: IdleLines | null = null;

  constructor(private readonly kernel: Kernel, private readonly auth: () => AuthService) {
    // The font's glyphs for every script, read from the image on demand (hal.resources).
    const noGlyphs = installGlyphBlob(kernel.hal.resources);
    if (noGlyphs) kernel.log.component('ui').error(noGlyphs);
    const layout = layoutFor(kernel.hal.board.display);
    const renderer = new ScreenRenderer(kernel.hal.display, layout);
    const idle = () => new IdleScreen(
      {
        date: () => this.clockText.date(kernel.hal.clock.now()), lineState: () => hostLineText(this.lineState.state, this.lineState.reason), lineLabel: () => kernel.hal.board.model,
        loginKey: () => this.login?.softKey() ?? '',
        loginPressed: (nav) => this.login?.pressed(nav),
        notice: () => this.login?.notice() ?? '',
        lineLines: () => this.lines?.idleLines() ?? null,
        lineKey: (key, nav) => this.lines?.lineKey(key, nav) ?? false,
      },
      (nav) => {
        // Login required and nobody logged in: the phone is unusable except for emergency calls.
        if (this.login?.blocksMenus()) this.login.pressed(nav);
        else nav.push(new MenuScreen(this.menuRoot, this.gate, (n) => this.visible(n)));
      },
      // Back at idle (by home or by backing out): a password unlock ends there.
      () => { this.session = null; },
      () => this.idleExtension,
    );
    const status = () => [...this.statusIndicators.map((s) => s()).filter((s) => s), this.clockText.time(kernel.hal.clock.now())].join(' ');
    const hal = kernel.hal;
    this.manager = new ScreenManager(renderer, layout, status, idle, {
      now: () => hal.clock.monotonic(),
      request: (at, draw) => hal.display.requestFrame(at, kernel.guard('frame', draw)),
      untilClockChange: () => 60000 - (hal.clock.now() % 60000),
    });
  }

  /** Build the menu tree from every module's screen declarations. */
  buildMenus(): void {
    for (const decl of this.kernel.modules.screens()) {
      // Pages of Status open from its soft keys, not from a menu of their own.
      if (isStatusPage(decl.menu)) continue;
      const factory = decl.screen ? this.kernel.modules.screenFactory(decl.screen) : undefined;
      addMenuEntry(this.menuRoot, decl.menu, {
        label: decl.label,
        access: decl.access,
        children: [],
        ...(factory ? { open: () => factory(this.kernel) } : {}),
        ...(decl.shownWhen ? { shownWhen: decl.shownWhen } : {}),
      });
    }
  }

  setLogin(login: IdleLogin): void {
    this.login = login;
    this.manager.redraw();
  }

  /** How the date and time are shown (the time module: time zone, DST, formats); redraws. */
  setClockText(clock: ClockText): void {
    this.clockText = clock;
    this.manager.redraw();
  }

  /** The wall clock was stepped (SNTP): redraw now; the frame after it falls on the new time's minute. */
  clockStepped(): void {
    this.manager.redraw();
  }

  setLines(lines: IdleLines): void {
    this.lines = lines;
    this.manager.redraw();
  }

  /** Forget a password unlock (logout, automatic logout). */
  endSession(): void {
    this.session = null;
  }

  start(): void {
    const k = this.kernel;
    k.bus.on('key', (e) => {
      if (e.down) this.manager.key(e.key);
    });
    k.bus.on('line', (e) => {
      if (e.type !== 'registration') return;
      this.lineState = { state: e.state, reason: e.reason ?? '' };
      this.manager.redraw();
    });
    k.bus.on('redraw', () => this.manager.redraw());
    this.manager.home();
  }

  private readonly gate: AccessGate = (access, nav, label, then) => {
    if (access === 'anyone' || (this.session && RANK[this.session] >= RANK[access])) {
      then();
      return;
    }
    const auth = this.auth();
    const schedule = entrySchedule(this.kernel);
    nav.push(new PasswordScreen(
      t('password.gate', { label: tLabel('menu.', label), access }),
      (password, n) => {
        const result = auth.tryMenuPassword(label, access, password);
        if (result.kind === 'refused') return shown(result.message);
        if (result.kind === 'mustChangeAdmin') {
          // SB-327: no admin access on the default admin password; the new one opens the entry.
          n.replace(changePasswordScreen({
            role: 'admin', auth, schedule, forced: true,
            done: () => {
              this.session = 'admin';
              then();
            },
          }));
          return null;
        }
        // The user password where admin is required opens a limited set (admin-only entries hidden).
        this.session = result.role;
        n.pop();
        then();
        return null;
      },
      auth.echoDigits(),
      schedule,
      ((wait) => (wait ? shown(wait) : ''))(auth.throttled('menu')),
    ));
  };

  /** Entries the current session may see (admin-only ones hidden from a user session; `shownWhen` parameters at 1). */
  visible(node: MenuNode): MenuNode[] {
    return node.children.filter((c) => !(this.session === 'user' && c.access === 'admin' && RANK[c.access] > RANK[this.session])
      && (!c.shownWhen || this.parameter(c.shownWhen) === '1'));
  }

  /** Parameter values for `shownWhen` (bound once configuration runs; before that, such entries stay hidden). */
  setParameterLookup(lookup: (name: string) => string | undefined): void {
    this.parameter = lookup;
    this.applyLanguage();
  }

  /** How the language screen stores a choice (configuration: `lcl.ml.lang` as a local override); bound once configuration runs. */
  private storeLanguage: ((language: Language) => void) | null = null;

  bindLanguageStore(store: (language: Language) => void): void {
    this.storeLanguage = store;
  }

  /** `lcl.ml.lang` (re)read: the screens switch language; a value of no language we have keeps the one shown. */
  applyLanguage(): void {
    const value = this.parameter('lcl.ml.lang') ?? '';
    const language = languageOf(value);
    if (!language) {
      this.kernel.log.component('ui').warning(`lcl.ml.lang "${value}": no screens in that language: English shown`);
      setLanguage(LANGUAGES[0]);
      this.manager.redraw();
      return;
    }
    setLanguage(language);
    this.manager.redraw();
  }

  /** The language screen (Settings > Basic > Language, the wizard's Language step). */
  languageScreen(): LanguageScreen {
    return new LanguageScreen((language) => {
      if (this.storeLanguage) this.storeLanguage(language);
      else setLanguage(language);
      this.applyLanguage();
    });
  }

  /** An indicator a module shows before the clock in the status bar, on every screen ('' for none). */
  addStatusIndicator(indicator: () => string): void {
    this.statusIndicators.push(indicator);
  }

  /** A line a module adds to Settings > Status (e.g. Restrict Personal Data Upload). */
  addStatusLine(line: () => string): void {
    this.statusExtras.push(line);
  }

  statusLines(): string[] {
    return this.statusExtras.map((l) => l());
  }
}

/** Line 1 as the host reports it: registered, failed (with the reason) or not registered. */
export function hostLineText(state: string, reason: string): string {
  if (state === 'registered') return t('line.registered');
  if (state === 'failed') return `${t('line.hostFailed')}${reason ? ': ' + reason : ''}`;
  return t('line.notRegistered');
}

/** The date line and the status-bar clock for a UTC instant. */
export interface ClockText {
  date(utcMs: number): string;
  time(utcMs: number): string;
}

/** What the lines module shows on the idle screen and does with the line keys. */
export interface IdleLines {
  idleLines(): string[];
  lineKey(key: KeyName, nav: Navigator): boolean;
}

/** What the login module shows on the idle screen and does with its soft key. */
export interface IdleLogin {
  /** Label of the Login / Logout soft key ('' for none). */
  softKey(): string;
  pressed(nav: Navigator): void;
  /** Line on the idle screen (who is logged in, or that login is required). */
  notice(): string;
  /** Login required and nobody logged in: menus stay closed. */
  blocksMenus(): boolean;
}

/** `statusLines`: lines other modules add to Settings > Status. */
export function uiModule(statusLines: () => string[], ui: () => PhoneUi): FirmwareModule {
  return {
    declaration: uiDeclaration,
    screens: {
      status: (k) => new StatusScreen(k, statusLines),
      language: () => ui().languageScreen(),
    },
  };
}
