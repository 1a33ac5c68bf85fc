/**
 * Settings > Basic > Clear Uploaded Calls/Directory (spec: "Clear Uploaded
 * Calls/Directory"): a confirmation, then the HTTP DELETE of the uploaded
 * call lists and directory (`prov:clearUploaded`), then what the server said.
 */
import type { KeyName, ScreenText } from '../../hal/contract';
import { MessageScreen } from '../ui/message-screen';
import { closeOnBack, type Navigator, type Screen } from '../ui/screen';
import type { UploadResult } from './server-upload';
import { t } from '../ui/i18n/messages';


/** Starts the deletion; `done` gets one result per file. */
export type ClearUploaded = (done: (results: UploadResult[]) => void) => void;

export class ClearUploadedScreen implements Screen {
  private clearing = false;

  constructor(private readonly clear: ClearUploaded) {}

  view(): ScreenText {
    if (this.clearing) return { id: 'clear-uploaded', title: t('clearUploaded.title'), lines: [t('clearUploaded.clearing')], softKeys: ['', '', '', ''], focus: -1 };
    return {
      id: 'clear-uploaded',
      title: t('clearUploaded.title'),
      lines: [t('clearUploaded.question'), t('clearUploaded.question2')],
      softKeys: [t('softkey.yes'), '', '', t('softkey.no')],
      focus: -1,
    };
  }

  onKey(key: KeyName, nav: Navigator): boolean {
    // While the server answers (bounded by the request timeouts) keys wait, so the result lands on this screen.
    if (this.clearing) return true;
    if (key === 'soft1') {
      this.clearing = true;
      this.clear((results) => nav.replace(resultScreen(results)));
    } else return closeOnBack(key, nav);
    nav.redraw();
    return true;
  }
}

function resultScreen(results: UploadResult[]): MessageScreen {
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length === 0) return new MessageScreen(t('clearUploaded.title'), [t('clearUploaded.done')]);
  return new MessageScreen(t('clearUploaded.title'), [t('clearUploaded.failed'), ...failed.map((r) => t('clearUploaded.fileFailed', { file: r.file, reason: r.reason ?? t('clearUploaded.error') }))]);
}
