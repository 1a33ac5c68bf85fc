/** Settings > Status > Analytics: is analytics on, what it sends, what waits, whether the broker answers. */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Kernel } from '../kernel/kernel';
import type { Navigator, Screen } from '../ui/screen';
import type { AnalyticsStatus } from './analytics-module';
import { t, tLabel } from '../ui/i18n/messages';

export class AnalyticsStatusScreen implements Screen {
  constructor(private readonly status: () => AnalyticsStatus | null, private readonly kernel: Kernel) {}

  view(): ScreenText {
    const s = this.status();
    const u = s?.uploader ?? null;
    const last = u?.lastUploadAt ? new Date(u.lastUploadAt).toISOString().slice(0, 16).replace('T', ' ') : t('analytics.never');
    const reachable = t(!u || u.brokerReachable === null ? 'analytics.notTried' : u.brokerReachable ? 'analytics.yes' : 'analytics.no');
    return {
      id: 'analytics-status',
      title: tLabel('menu.', 'Analytics'),
      lines: s?.enabled
        ? [
          t('analytics.enabled', { value: t('analytics.yes') }),
          t('analytics.services', { value: s.services }),
          s.pendingDrops ? t('analytics.queuedDropped', { count: s.queueLength, dropped: s.pendingDrops }) : t('analytics.queued', { count: s.queueLength }),
          t('analytics.lastUpload', { value: last }),
          t('analytics.brokerReachable', { value: reachable }),
        ]
        : [t('analytics.enabled', { value: t('analytics.no') }), t('analytics.services', { value: s?.services ?? '' }), t('analytics.queued', { count: 0 }), t('analytics.nothingSent')],
      softKeys: ['', '', '', t('softkey.back')],
      focus: -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    void this.kernel;
    if (key === 'soft4') {
      nav.pop();
      return true;
    }
    return false;
  }
}
