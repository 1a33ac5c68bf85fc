/**
 * The reset screens: "Are you sure?" before a variant runs, and the Restrict
 * Personal Data Upload switch.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import type { ResetVariantInfo } from './reset-variants';

export class ResetConfirmScreen implements Screen {
  private started = false;

  /** `run` starts the variant; false: another reset is already under way. */
  constructor(private readonly variant: ResetVariantInfo, private readonly detail: string, private readonly run: () => boolean) {}

  view(): ScreenText {
    if (this.started) return { id: 'reset-confirm', title: this.variant.label, lines: ['Resetting...', 'The phone will reboot'], softKeys: ['', '', '', ''], focus: -1 };
    return { id: 'reset-confirm', title: this.variant.label, lines: ['Are you sure?', this.detail], softKeys: ['Yes', '', '', 'No'], focus: -1 };
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
      title: 'Restrict Personal Data Upload',
      lines: [`Restricted: ${on ? 'On' : 'Off'}`, on ? 'Call lists, directory and logs are not uploaded' : 'Call lists, directory and logs may be uploaded'],
      softKeys: [on ? 'Off' : 'On', '', '', 'Back'],
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

/** One line per variant under "Are you sure?". */
export const VARIANT_DETAIL: Record<string, string> = {
  resetLocalConfig: 'Clears the phone\'s override file',
  resetWebConfig: 'Clears the web override file',
  resetCloudConfig: 'Clears the cloud configuration',
  resetDeviceSettings: 'Network, provisioning, certificates, keys',
  formatFileSystem: 'Config, overrides, logs, user data',
  resetToFactory: 'Everything but the software',
  resetToFactoryPartial: 'Everything but software and admin password',
  resetUserData: 'Call lists, CDR, contacts (also on server)',
  outOfBoxWizard: 'Run the first-setup wizard again',
  clearPersonalInfo: 'Your call lists, contacts, CDR and files',
};

/** Settings > Basic > My Data: export what the phone holds about the user to a USB stick or the provisioning server. */
export class MyDataScreen implements Screen {
  private result: string[] | null = null;

  constructor(private readonly subject: string, private readonly exportTo: (target: 'usb' | 'server') => string[]) {}

  view(): ScreenText {
    if (this.result) return { id: 'my-data', title: 'My Data', lines: this.result, softKeys: ['', '', '', 'Back'], focus: -1 };
    return { id: 'my-data', title: 'My Data', lines: [`Export the data of ${this.subject}`, 'as JSON and XML files to:'], softKeys: ['USB', 'Server', '', 'Back'], focus: -1 };
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
