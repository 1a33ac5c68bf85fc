/**
 * Menus: a tree of entries built from the modules' screen declarations, and
 * the screen that shows one level of it. Entries are numbered; a digit key
 * opens the entry with that number.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Navigator, Screen } from './screen';
import { t, tLabel } from './i18n/messages';

export type Access = 'anyone' | 'user' | 'admin';

export interface MenuNode {
  label: string;
  /** Who may open it: a password prompt guards 'user' and 'admin' entries. */
  access: Access;
  children: MenuNode[];
  /** Leaf: opens this screen. */
  open?: () => Screen;
  /** Shown only while this boolean parameter is 1. */
  shownWhen?: string;
}

/** Opens a guarded entry: asks for the password when needed, then calls `then`. */
export type AccessGate = (access: Access, nav: Navigator, label: string, then: () => void) => void;

export class MenuScreen implements Screen {
  private focus = 0;

  constructor(
    private readonly node: MenuNode,
    private readonly gate: AccessGate,
    /** Entries the current session may see. */
    private readonly visible: (node: MenuNode) => MenuNode[] = (n) => n.children,
  ) {}

  view(): ScreenText {
    const lines = this.visible(this.node).map((c, i) => `${i + 1}. ${tLabel('menu.', c.label)}${c.children.length > 0 ? ' >' : ''}`);
    return {
      id: 'menu',
      title: tLabel('menu.', this.node.label),
      lines: lines.length > 0 ? lines : [t('menu.empty')],
      softKeys: [t('softkey.select'), '', '', t('softkey.back')],
      focus: lines.length > 0 ? this.focus : -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    const n = this.visible(this.node).length;
    if (key === 'up' && n > 0) this.focus = (this.focus + n - 1) % n;
    else if (key === 'down' && n > 0) this.focus = (this.focus + 1) % n;
    else if ((key === 'select' || key === 'right' || key === 'soft1') && n > 0) this.openEntry(this.focus, nav);
    else if (key >= '1' && key <= '9' && key.length === 1 && Number(key) <= n) this.openEntry(Number(key) - 1, nav);
    else if (key === 'soft4') nav.pop();
    else return false;
    nav.redraw();
    return true;
  }

  private openEntry(index: number, nav: Navigator): void {
    this.focus = index;
    const entry = this.visible(this.node)[index];
    this.gate(entry.access, nav, entry.label, () => {
      if (entry.open) nav.push(entry.open());
      else nav.push(new MenuScreen(entry, this.gate, this.visible));
    });
  }
}

/** Insert `label` under the path, creating intermediate menus as needed. */
export function addMenuEntry(root: MenuNode, path: string[], entry: MenuNode): void {
  let node = root;
  for (const name of path) {
    let child = node.children.find((c) => c.label === name && !c.open);
    if (!child) {
      child = { label: name, access: 'anyone', children: [] };
      node.children.push(child);
    }
    node = child;
  }
  const existing = node.children.find((c) => c.label === entry.label && !c.open);
  if (existing && !entry.open) {
    existing.access = entry.access;
    return;
  }
  node.children.push(entry);
}
