/**
 * The calls module at boot: the call state machine on the line, the
 * recorder and the CDR on the fs store, the call screens and the idle
 * screen's dialing and call-list keys, per-user lists on `user:changed`,
 * uploads of the calls file through `prov:upload` (after a call ends and after
 * a delete) and downloads on a
 * check-sync NOTIFY (`voIpProt.SIP.specialEvent.checkSync.downloadCallList`).
 */
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { FileStore } from '../storage/file-store';
import type { Navigator } from '../ui/screen';
import type { PhoneUi } from '../ui/ui-module';
import { CallController } from './call-controller';
import { CALL_LIST_NAMES, type CallListName, type CallRecord } from './call-record';
import { CallListRecorder } from './call-list-recorder';
import { CallListScreen } from './call-list-screen';
import { CallListStore } from './call-list-store';
import { CallListsMenu } from './call-lists-menu';
import { CallScreen } from './call-screen';
import { FileProblemLog, fileVersion } from '../kernel/file-problem-log';
import { exportCallsXml, importCallsXml } from './calls-xml';
import { CdrStore } from './cdr-store';
import { analyticsEnabled, enabledServices } from '../analytics/analytics-enablement';
import { CDR_EVENT } from '../analytics/analytics-cdr-event';
import { CallIndicators } from './call-indicators';
import { t } from '../ui/i18n/messages';
import { callsDeclaration } from './declaration';
import { DialScreen } from './dial-screen';
import { RING_ALWAYS, type IncomingCallPolicy, type PartyNameLookup } from './incoming-call-policy';
import { party } from '../kernel/party';
import { boardLineCount, emergencyNumbers as configuredEmergencyNumbers } from '../login/emergency-numbers';

export function callsModule(): FirmwareModule {
  return { declaration: callsDeclaration };
}

export interface CallsConfig {
  get(name: string): string | undefined;
}

export interface CallsWiring {
  fs: FileStore;
  config: CallsConfig;
  ui?: PhoneUi;
  /** GET a calls file (`<user>-calls.xml`) from CALL_LISTS_DIRECTORY; null when absent or unreachable. */
  fetchCallList?: (name: string) => Promise<string | null>;
}

export interface CallsService {
  controller: CallController;
  recorder: CallListRecorder;
  cdr: CdrStore;
  /** The directory's decision for incoming calls (default: ring always). */
  setIncomingPolicy(policy: IncomingCallPolicy): void;
  /** Names from the directory for lists and caller display (default: none). */
  setNameLookup(lookup: PartyNameLookup): void;
  /** The login module: refuse a number while the phone is locked (returns the reason, or null to allow). */
  setDialGate(gate: (number: string) => string | null): void;
  /** Place a call as the keypad does (other modules: directory, speed dials): the dial gate applies. */
  dial(number: string): void;
  exportXml(): string;
  /** Replace the current owner's lists with a calls file; false (lists kept) when it holds nothing usable. */
  importXml(text: string): boolean;
  /** Upload the current owner's calls file now. */
  upload(): void;
}

const UPLOAD_DEBOUNCE_MS = 2000;

export function startCalls(kernel: Kernel, w: CallsWiring): CallsService {
  const { hal, bus, timers } = kernel;
  const log = kernel.log.component('calls');
  const on = (name: string) => w.config.get(name) === '1';
  const listEnabled = (list: CallListName) => on('feature.callList.enabled') && on(`feature.callList${list[0].toUpperCase()}${list.slice(1)}.enabled`);
  const store = new CallListStore(w.fs, (m) => log.error(m));
  const recorder = new CallListRecorder(store, {
    listEnabled,
    collapseDuplicates: () => on('callLists.collapseDuplicates'),
    logConsultationCalls: () => on('callLists.logConsultationCalls'),
  }, (m) => log.error(m));
  const cdr = new CdrStore(w.fs, (m) => log.error(m));
  let policy: IncomingCallPolicy = RING_ALWAYS;
  let lookup: PartyNameLookup | undefined;
  let dialGate: ((n: string) => string | null) | null = null;

  // The login module's reading of the dial plans (generic and per line): one definition of what is an emergency number.
  const emergencyNumbers = () => configuredEmergencyNumbers(w.config, boardLineCount(hal.board));

  const cdrWanted = () => analyticsEnabled((n) => w.config.get(n)) && enabledServices((n) => w.config.get(n))('cdr');

  let uploadTimer: number | null = null;
  // The recorder's stored records never change (a change stores a new copy): their XML is kept while they live.
  const renderedCalls = new WeakMap<CallRecord, string>();
  /** The owner's lists as the phone's calls file: what is uploaded and what the web interface exports. */
  const callsXml = () => exportCallsXml(recorder.all(), renderedCalls);
  const upload = () => {
    if (!on('feature.callList.enabled')) return;
    const user = recorder.currentUser();
    bus.emit('prov:upload', { kind: 'callList', text: callsXml(), ...(user ? { user } : {}) });
  };
  const scheduleUpload = () => {
    if (uploadTimer !== null) timers.cancel(uploadTimer);
    uploadTimer = timers.after(UPLOAD_DEBOUNCE_MS, 'calls upload', () => { uploadTimer = null; upload(); });
  };
  // Privacy: a deleted entry must not live on in the uploaded calls file until the next call ends.
  recorder.onDeleted(scheduleUpload);

  const controller = new CallController({
    line: hal.line,
    now: () => hal.clock.now(),
    monotonic: () => hal.clock.monotonic(),
    recorder,
    // The CDR exists for device analytics only: nothing is kept unless analytics with the cdr service is on.
    cdr: { add: (r) => { if (cdrWanted()) { cdr.add(r); bus.emit(CDR_EVENT, r); } } },
    policy: () => policy,
    lookup: () => lookup,
    emergencyNumbers,
    emergencyLocation: () => w.config.get('dialplan.routing.emergency.location') ?? '',
    user: () => recorder.currentUser(),
    log,
    changed: () => {
      indicators.callsChanged();
      showCalls();
    },
    ended: () => scheduleUpload(),
  });
  const indicators = new CallIndicators({
    hal,
    emit: (event, payload) => bus.emit(event, payload),
    calls: () => controller.calls(),
    missed: () => recorder.list('missed'),
    newestSeqAtRead: () => recorder.newestSeqAtRead(),
  });
  bus.on('key', (e) => { if (e.down && e.key === 'mute' && indicators.muteKey()) w.ui?.manager.redraw(); });
  const CALL_SCREENS = ['call', 'incoming'];
  // The call timer's seconds are drawn by the screen manager's frames (CallScreen.nextChangeIn).
  const callScreen = new CallScreen(controller, () => hal.clock.monotonic());

  const dial = (number: string, nav?: Navigator) => {
    const refusal = dialGate?.(number) ?? null;
    if (refusal) {
      log.notice(`dial ${party(number, 'address')} refused: ${refusal}`);
      nav?.redraw();
      return;
    }
    controller.dial(number);
  };

  // ── screens ──
  const showCalls = () => {
    const ui = w.ui;
    if (!ui) return;
    const shown = ui.manager.topView()?.id ?? '';
    if (controller.calls().length > 0 && !CALL_SCREENS.includes(shown) && shown !== 'target' && shown !== 'dial') ui.manager.push(callScreen);
    else if (controller.calls().length === 0 && CALL_SCREENS.includes(shown)) ui.manager.home();
    else ui.manager.redraw();
  };
  const enabledLists = () => CALL_LIST_NAMES.filter(listEnabled);
  const openList = (list: CallListName, nav: Navigator) => {
    if (list === 'missed') indicators.missedListOpened();
    nav.push(new CallListScreen(list, recorder, (a) => dial(a, nav), () => lookup));
  };
  if (w.ui) {
    w.ui.addStatusIndicator(() => indicators.statusIndicator());
    w.ui.idleExtension = {
      lines: () => indicators.idleLines(),
      softKeys: () => (on('feature.callList.enabled') ? [t('softkey.calls'), enabledLists().includes('missed') ? t('softkey.missed') : ''] : ['', '']),
      onKey: (key, nav) => {
        if (key.length === 1 && /[0-9*#]/.test(key)) nav.push(new DialScreen(key, t('dial.title'), (n) => dial(n, nav)));
        else if (key === 'hook' || key === 'speaker' || key === 'headset') nav.push(new DialScreen('', t('dial.title'), (n) => dial(n, nav)));
        else if (key === 'redial' && enabledLists().includes('placed')) {
          const last = recorder.list('placed')[0];
          if (last) dial(last.destination.address, nav);
        } else if (key === 'soft2' && on('feature.callList.enabled')) nav.push(new CallListsMenu(enabledLists, (l) => recorder.list(l).length, openList));
        else if (key === 'soft3' && enabledLists().includes('missed')) openList('missed', nav);
        else return false;
        return true;
      },
    };
  }
  recorder.onChange(() => { if (w.ui && w.ui.manager.topView()?.id.startsWith('calllist')) w.ui.manager.redraw(); });

  // ── per-user lists ──
  // A calls file's problems are logged once per version of the file (kept beside the owner's lists), at most 20 lines.
  const problems = new FileProblemLog((line) => log.warning(line));
  const importInto = (text: string, source: string): boolean => {
    const result = importCallsXml(text);
    const usable = result.records.length > 0;
    if (result.problems.length || !usable) {
      const owner = recorder.currentUser();
      problems.forget(() => true);
      problems.remember(store.reportedVersions(owner));
      if (problems.firstTime(source, fileVersion(text))) {
        if (!usable) log.error(`${source}: no usable calls: lists kept as they were`);
        problems.list(source, `${result.calls} calls: ${result.records.length} loaded, ${result.calls - result.records.length} dropped`, result.problems);
        try {
          store.keepReportedVersions(owner, problems.versions());
        } catch (e) {
          log.error(`${source}: could not store that its problems were logged (${(e as Error).message})`);
        }
      }
    }
    if (!usable) return false;
    recorder.replaceAll(result.records);
    log.info(`${source}: ${result.records.length} calls imported`);
    return true;
  };
  const download = (name: string) => {
    if (!w.fetchCallList) return;
    const owner = recorder.currentUser();
    void w.fetchCallList(name).then((text) => {
      if (text === null || recorder.currentUser() !== owner) return;
      importInto(text, name);
    }, (e) => log.error(`${name}: download failed: ${(e as Error).message}`));
  };
  bus.on('user:changed', ({ user }) => {
    const previous = recorder.currentUser();
    if (previous === user) return;
    if (previous && w.config.get('callLists.eraseAtLogout') !== '0') {
      // A failed erase must not keep the previous user's lists on screen; the login module's logout erase retries at boot.
      try {
        store.erase(previous);
        log.notice(`call lists of user ${party(previous, 'user')} erased at logout`);
      } catch (e) {
        log.error(`erasing the call lists of user ${party(previous, 'user')} failed (${(e as Error).message})`);
      }
    }
    // The user's CDR records leave with them: the login module's logout erases them from flash (class `cdr`, declared `userLogout`).
    if (previous) cdr.forget(previous);
    recorder.setUser(user);
    indicators.ownerChanged();
    // No entry file: nothing to read to know the lists are empty.
    if (user && on('feature.callList.enabled') && (store.count(user) === 0 || recorder.all().length === 0)) download(`${user}-calls.xml`);
  });

  // "Clear Uploaded Calls/Directory" clears the lists on the phone too (the provisioning client deletes the server's copy).
  bus.on('prov:clearUploaded', (p) => {
    const user = (p as { user?: string } | undefined)?.user ?? null;
    try {
      store.erase(user);
      log.notice(`call lists ${user ? `of user ${party(user, 'user')} ` : ''}cleared (Clear Uploaded Calls/Directory)`);
    } catch (e) {
      log.error(`clearing the call lists failed (${(e as Error).message})`);
    }
    recorder.reload();
  });

  bus.on('line', (e) => {
    if (e.type === 'notify') {
      if (e.event.toLowerCase() === 'check-sync' && on('voIpProt.SIP.specialEvent.checkSync.downloadCallList') && on('feature.callList.enabled')) {
        download(`${recorder.currentUser() ?? hal.board.mac.toLowerCase()}-calls.xml`);
      }
      return;
    }
    controller.onLineEvent(e);
  });

  // The lists are read when first needed (call-list-recorder.ts): counted here from the store's index.
  recorder.setUser(null);
  log.info(`call lists: ${store.count(null)} entries, CDR: ${cdr.count()} records`);
  return {
    controller, recorder, cdr,
    setIncomingPolicy: (p) => { policy = p; },
    setNameLookup: (l) => { lookup = l; },
    setDialGate: (g) => { dialGate = g; },
    dial: (n) => dial(n),
    exportXml: callsXml,
    importXml: (text) => importInto(text, 'calls file'),
    upload,
  };
}
