/**
 * The UI module: the menu skeleton of the spec (Settings > Basic, Advanced
 * behind a password, Administration Settings, Reset to Defaults, Status),
 * the idle screen, and the access gate that asks for passwords.
 */
import type { ModuleDeclaration } from '../kernel/declaration';
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { PasswordVault, Role } from '../auth/password-vault';
import { IdleScreen, formatTime } from './idle-screen';
import { layoutFor } from './layout';
import { addMenuEntry, MenuScreen, type Access, type AccessGate, type MenuNode } from './menu';
import { PasswordScreen } from './password-screen';
import { ScreenRenderer } from './renderer';
import { ScreenManager } from './screen-manager';
import { StatusScreen } from './status-screen';

export const uiDeclaration: ModuleDeclaration = {
  name: 'ui',
  parameters: [],
  dataClasses: [],
  screens: [
    { menu: ['Settings'], label: 'Basic', access: 'anyone' },
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
  private lineState = 'not registered';
  /** Role unlocked by a password since the phone last went idle. */
  private session: Role | null = null;

  constructor(private readonly kernel: Kernel, private readonly vault: PasswordVault, private readonly echoPasswordDigits: () => boolean) {
    const layout = layoutFor(kernel.hal.board.display);
    const renderer = new ScreenRenderer(kernel.hal.display, layout);
    const idle = () => new IdleScreen(
      { now: () => kernel.hal.clock.now(), lineState: () => this.lineState, lineLabel: () => kernel.hal.board.model },
      (nav) => nav.push(new MenuScreen(this.menuRoot, this.gate, (n) => this.visible(n))),
      // Back at idle (by home or by backing out): a password unlock ends there.
      () => { this.session = null; },
    );
    this.manager = new ScreenManager(renderer, layout, () => formatTime(kernel.hal.clock.now()), idle);
  }

  /** Build the menu tree from every module's screen declarations. */
  buildMenus(): void {
    for (const decl of this.kernel.modules.screens()) {
      const factory = decl.screen ? this.kernel.modules.screenFactory(decl.screen) : undefined;
      addMenuEntry(this.menuRoot, decl.menu, {
        label: decl.label,
        access: decl.access,
        children: [],
        ...(factory ? { open: () => factory(this.kernel) } : {}),
      });
    }
  }

  start(): void {
    const k = this.kernel;
    k.bus.on('key', (e) => {
      if (e.down) this.manager.key(e.key);
    });
    k.bus.on('line', (e) => {
      if (e.type !== 'registration') return;
      this.lineState = e.state === 'registered' ? 'registered' : e.state === 'failed' ? `failed${e.reason ? ': ' + e.reason : ''}` : 'not registered';
      this.manager.redraw();
    });
    k.bus.on('redraw', () => this.manager.redraw());
    this.manager.home();
    // Redraw at each minute boundary so the clock moves (only the status band is re-blitted).
    const tick = () => {
      this.manager.redraw();
      k.timers.after(60000 - (k.hal.clock.now() % 60000), 'clock tick', tick);
    };
    k.timers.after(60000 - (k.hal.clock.now() % 60000), 'clock tick', tick);
  }

  private readonly gate: AccessGate = (access, nav, label, then) => {
    if (access === 'anyone' || (this.session && RANK[this.session] >= RANK[access])) {
      then();
      return;
    }
    const auth = this.kernel.log.component('auth');
    nav.push(new PasswordScreen(
      `${label} (${access} password)`,
      (password, n) => {
        const role = this.vault.check(password);
        if (!role) {
          auth.warning(`password prompt for "${label}" (${access}): failed`);
          return 'Incorrect password';
        }
        auth.notice(`password prompt for "${label}" (${access}): accepted as ${role}`);
        // The user password where admin is required opens a limited set (admin-only entries hidden).
        this.session = role;
        n.pop();
        then();
        return null;
      },
      this.echoPasswordDigits(),
      (fn) => { this.kernel.timers.after(1000, 'password echo', fn); },
    ));
  };

  /** Entries the current session may see (admin-only ones hidden from a user session). */
  visible(node: MenuNode): MenuNode[] {
    return node.children.filter((c) => !(this.session === 'user' && c.access === 'admin' && RANK[c.access] > RANK[this.session]));
  }
}

export function uiModule(): FirmwareModule {
  return {
    declaration: uiDeclaration,
    screens: { status: (k) => new StatusScreen(k) },
  };
}
