/**
 * Settings > Status: what the phone is and how it booted. Modules add status
 * pages of their own by declaring a screen under ['Settings', 'Status']
 * (e.g. Status > Analytics): each opens from a soft key here.
 */
import { t, tLabel } from './i18n/messages';
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Kernel } from '../kernel/kernel';
import type { Navigator, Screen } from './screen';

/** The menu path under which a module's screen is a page of Status. */
export const STATUS_PAGE_PATH = ['Settings', 'Status'];

export function isStatusPage(menu: string[]): boolean {
  return menu.length === STATUS_PAGE_PATH.length && menu.every((m, i) => m === STATUS_PAGE_PATH[i]);
}

export class StatusScreen implements Screen {
  /** At most three: soft1..soft3 (soft4 is Back). */
  private readonly pages: { label: string; open: () => Screen }[];

  constructor(private readonly kernel: Kernel, private readonly extra: () => string[] = () => []) {
    this.pages = kernel.modules.screens()
      .filter((s) => isStatusPage(s.menu) && s.screen && kernel.modules.screenFactory(s.screen))
      .slice(0, 3)
      .map((s) => ({ label: s.label, open: () => kernel.modules.screenFactory(s.screen!)!(kernel) }));
  }

  view(): ScreenText {
    const { board, power, clock } = this.kernel.hal;
    const uptimeS = Math.floor((clock.monotonic() - this.kernel.bootStartedAt) / 1000);
    const clearUntil = this.kernel.log.partyInClearUntil();
    return {
      id: 'status',
      title: tLabel('menu.', 'Status'),
      lines: [
        t('status.model', { value: board.model }),
        t('status.mac', { value: board.mac }),
        t('status.serial', { value: board.serial }),
        t('status.hwRev', { value: board.hardwareRevision }),
        t('status.firmware', { value: this.kernel.version }),
        t('status.boot', { reason: power.lastBootReason(), count: power.bootCount() }),
        t('status.uptime', { hours: Math.floor(uptimeS / 3600), minutes: Math.floor((uptimeS % 3600) / 60) }),
        // An admin opened the bounded window of clear-text party logging (log.clearParty.hours): whoever looks must see it,
        // so on two lines short enough for desk-99's 22 columns.
        ...(clearUntil !== null ? [t('status.partyInClear'), t('status.partyInClearUntil', { until: new Date(clearUntil).toISOString().slice(5, 16).replace('T', ' ') })] : []),
        ...this.extra(),
      ],
      softKeys: [0, 1, 2].map((i) => (this.pages[i] ? tLabel('menu.', this.pages[i].label) : '')).concat(t('softkey.back')),
      focus: -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (key === 'soft4') {
      nav.pop();
      return true;
    }
    const page = this.pages[['soft1', 'soft2', 'soft3'].indexOf(key)];
    if (page) {
      nav.push(page.open());
      return true;
    }
    return false;
  }
}
