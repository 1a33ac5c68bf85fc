/**
 * The reset screens: "Are you sure?" before a variant runs, and the Restrict
 * Personal Data Upload switch.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import type { ResetVariantInfo } from './reset-variants';
import { t, tLabel, type MessageKey } from '../ui/i18n/messages';

export class ResetConfirmScreen implements Screen {
  private started = false;

  /** `run` starts the variant; false: another reset is already under way. */
  constructor(private readonly variant: ResetVariantInfo, private readonly detail: string, private readonly run: () => boolean) {}

  view(): ScreenText {
    if (this.started) return { id: 'reset-confirm', title: tLabel('menu.', this.variant.label), lines: [t('reset.resetting'), t('reset.willReboot')], softKeys: ['', '', '', ''], focus: -1 };
    return { id: 'reset-confirm', title: tLabel('menu.', this.variant.label), lines: [t('reset.areYouSure'), this.detail], softKeys: [t('softkey.yes'), '', '', t('softkey.no')], focus: -1 };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    // Once started, keys wait for the reboot (a server delete may still be answering).
    if (this.started) return true;
    if (key === 'soft1') {
      this.started = this.run();
      if (!this.started) nav.pop();
      nav.redraw();
      return true;
    }
    return closeOnBack(key, nav);
  }
}

/** Settings > Basic > Restrict Personal Data Upload: On stops uploads of call lists, directory and logs. */
export class RestrictUploadScreen implements Screen {
  constructor(private readonly state: { get(): boolean; set(on: boolean): void }) {}

  view(): ScreenText {
    const on = this.state.get();
    return {
      id: 'restrict-upload',
      title: tLabel('menu.', 'Restrict Personal Data Upload'),
      lines: [t('restrict.state', { state: t(on ? 'restrict.on' : 'restrict.off') }), t(on ? 'restrict.notUploaded' : 'restrict.mayUpload')],
      softKeys: [t(on ? 'softkey.off' : 'softkey.on'), '', '', t('softkey.back')],
      focus: -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (key === 'soft1') {
      this.state.set(!this.state.get());
      nav.redraw();
      return true;
    }
    return closeOnBack(key, nav);
  }
}

/** The catalog key of the one line per variant under "Are you sure?". */
const VARIANT_DETAIL: Record<string, MessageKey> = {
  resetLocalConfig: 'reset.detail.resetLocalConfig',
  resetWebConfig: 'reset.detail.resetWebConfig',
  resetCloudConfig: 'reset.detail.resetCloudConfig',
  resetDeviceSettings: 'reset.detail.resetDeviceSettings',
  formatFileSystem: 'reset.detail.formatFileSystem',
  resetToFactory: 'reset.detail.resetToFactory',
  resetToFactoryPartial: 'reset.detail.resetToFactoryPartial',
  resetUserData: 'reset.detail.resetUserData',
  outOfBoxWizard: 'reset.detail.outOfBoxWizard',
  clearPersonalInfo: 'reset.detail.clearPersonalInfo',
};

/** The line under "Are you sure?" for a variant, in the current language. */
export function variantDetail(id: string): string {
  const key = VARIANT_DETAIL[id];
  return key ? t(key) : '';
}

/** Settings > Basic > My Data: export what the phone holds about the user to a USB stick or the provisioning server. */
export class MyDataScreen implements Screen {
  private result: string[] | null = null;

  constructor(private readonly subject: string, private readonly exportTo: (target: 'usb' | 'server') => string[]) {}

  view(): ScreenText {
    if (this.result) return { id: 'my-data', title: tLabel('menu.', 'My Data'), lines: this.result, softKeys: ['', '', '', t('softkey.back')], focus: -1 };
    return { id: 'my-data', title: tLabel('menu.', 'My Data'), lines: [t('myData.export', { subject: this.subject }), t('myData.exportFormat')], softKeys: [t('softkey.usb'), t('softkey.server'), '', t('softkey.back')], focus: -1 };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    if (!this.result && (key === 'soft1' || key === 'soft2')) {
      this.result = this.exportTo(key === 'soft1' ? 'usb' : 'server');
      nav.redraw();
      return true;
    }
    return closeOnBack(key, nav);
  }
}
