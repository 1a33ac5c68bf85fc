/** Settings > Status > Analytics: is analytics on, what it sends, what waits, whether the broker answers. */
import type { KeyName, ScreenText } from '../../hal/contract';
import type { Kernel } from '../kernel/kernel';
import type { Navigator, Screen } from '../ui/screen';
import type { AnalyticsStatus } from './analytics-module';

export class AnalyticsStatusScreen implements Screen {
  constructor(private readonly status: () => AnalyticsStatus | null, private readonly kernel: Kernel) {}

  view(): ScreenText {
    const s = this.status();
    const u = s?.uploader ?? null;
    const last = u?.lastUploadAt ? new Date(u.lastUploadAt).toISOString().slice(0, 16).replace('T', ' ') : 'never';
    const reachable = !u || u.brokerReachable === null ? 'not tried' : u.brokerReachable ? 'yes' : 'no';
    return {
      id: 'analytics-status',
      title: 'Analytics',
      lines: s?.enabled
        ? [
          'Enabled: yes',
          `Services: ${s.services}`,
          `Queued: ${s.queueLength}${s.pendingDrops ? ` (${s.pendingDrops} dropped)` : ''}`,
          `Last upload: ${last}`,
          `Broker reachable: ${reachable}`,
        ]
        : ['Enabled: no', `Services: ${s?.services ?? ''}`, 'Queued: 0', 'Nothing is sent.'],
      softKeys: ['', '', '', 'Back'],
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
