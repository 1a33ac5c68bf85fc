/**
 * The lines module at boot: each line the board has registered from
 * configuration (`reg.x.*`), re-registered when that configuration changes,
 * its label and state on the idle screen, its line key and its LED
 * (line-key-led.ts: registration and the calls on the line).
 */
import type { KeyName, LedName } from '../../hal/contract';
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import { macSeed } from '../provisioning/retry-backoff';
import { MessageScreen } from '../ui/message-screen';
import type { Navigator } from '../ui/screen';
import type { PhoneUi } from '../ui/ui-module';
import { linesDeclaration, MAX_LINES } from './declaration';
import { LineRegistrations, type LineStatus } from './line-registrations';
import { accountOf, describeServer, lineLabel, type LineConfig } from './sip-accounts';
import { t, type MessageKey } from '../ui/i18n/messages';
import { LINE_CALLS_EVENT, lineKeyLed, type LineCalls, type LineCallState } from './line-key-led';

export function linesModule(): FirmwareModule {
  return { declaration: linesDeclaration };
}

export interface LinesConfig extends LineConfig {
  onChange(listener: (changes: { name: string }[]) => void): () => void;
}

export interface LinesService {
  registrations: LineRegistrations;
  status(): LineStatus[];
  /** Idle screen lines: `<label>: <state>` for each configured line. */
  idleLines(): string[];
}

const STATE_KEY: Record<LineStatus['state'], MessageKey> = {
  registered: 'line.registered',
  registering: 'line.registering',
  failed: 'line.failed',
  unregistered: 'line.notRegistered',
  unconfigured: 'line.notRegistered',
};
const stateText = (state: LineStatus['state']) => t(STATE_KEY[state]);

export function startLines(kernel: Kernel, w: { config: LinesConfig; ui?: PhoneUi }): LinesService {
  const hal = kernel.hal;
  const log = kernel.log.component('sip');
  const lineCount = Math.min(hal.board.lineCount, MAX_LINES);
  /** Line 1 as the host set it up, when configuration gives it no account (`registration` events without `line`). */
  let hostLine1: LineStatus['state'] = 'unconfigured';
  let hostReason = '';

  /** Calls on each line, from the calls module. */
  let lineCalls: LineCalls['calls'] = [];
  const registered: boolean[] = [];
  const led = (x: number, on: boolean) => {
    registered[x] = on;
    const name = `line${x}` as LedName;
    if (hal.board.keys.indexOf(name as KeyName) < 0) return;
    const calls: LineCallState[] = lineCalls.filter((c) => c.line === x).map((c) => c.state);
    hal.leds.set(name, lineKeyLed(on, calls));
  };
  kernel.bus.on(LINE_CALLS_EVENT, (e) => {
    const before = new Set(lineCalls.map((c) => c.line));
    lineCalls = (e as LineCalls).calls;
    for (const x of new Set([...before, ...lineCalls.map((c) => c.line)])) {
      if (x >= 1 && x <= lineCount) led(x, registered[x] ?? false);
    }
  });
  // Voice mail (RFC 3842 message-summary NOTIFY): the message waiting LED is on while the server says messages wait.
  const showMessageWaiting = (params: Record<string, string>) => {
    const waiting = Object.entries(params).find(([k]) => k.toLowerCase() === 'messages-waiting')?.[1];
    if (waiting === undefined) {
      log.warning('message-summary NOTIFY without Messages-Waiting: message waiting LED left as it was');
      return;
    }
    hal.leds.set('messageWaiting', waiting.trim().toLowerCase() === 'yes' ? 'on' : 'off');
  };
  const registrations = new LineRegistrations({
    line: hal.line,
    timers: kernel.timers,
    monotonic: () => hal.clock.monotonic(),
    log,
    jitterSeed: macSeed(hal.board.mac),
    changed: (x) => {
      const s = registrations.status()[x - 1];
      led(x, s.state === 'registered');
      kernel.bus.emit('redraw', undefined);
    },
  }, lineCount);

  const apply = () => {
    const accounts = [];
    const labels = [];
    for (let x = 1; x <= lineCount; x++) {
      accounts.push(accountOf(w.config, x));
      labels.push(lineLabel(w.config, x));
    }
    for (let x = lineCount + 1; x <= MAX_LINES; x++) {
      if ((w.config.get(`reg.${x}.address`) ?? '').trim()) log.warning(`reg.${x}.address ignored: this board has ${lineCount} lines`);
    }
    registrations.configure(accounts, labels);
  };

  kernel.bus.on('line', (e) => {
    if (e.type === 'notify' && e.event.toLowerCase() === 'message-summary') {
      showMessageWaiting(e.params);
      return;
    }
    if (e.type !== 'registration') return;
    if (e.line !== undefined && registrations.configured(e.line)) {
      registrations.onRegistration(e.line, e.state, e.reason);
      return;
    }
    if (e.line === undefined || e.line === 1) {
      hostLine1 = e.state;
      hostReason = e.reason ?? '';
      if (!registrations.configured(1)) led(1, e.state === 'registered');
      kernel.bus.emit('redraw', undefined);
    }
  });
  w.config.onChange((changes) => {
    if (changes.some((c) => /^(reg|voIpProt\.server)\./i.test(c.name))) apply();
  });

  const view = (): LineStatus[] => {
    const all = registrations.status();
    if (!registrations.configured(1)) {
      all[0] = { line: 1, label: t('line.label', { n: 1 }), state: hostLine1, reason: hostReason, retryAt: null };
    }
    return all;
  };
  const idleLines = () => view()
    .filter((s) => s.line === 1 || registrations.configured(s.line))
    .map((s) => `${s.label}: ${s.line === 1 && !registrations.configured(1) && s.state === 'failed' ? `${t('line.hostFailed')}${s.reason ? ': ' + s.reason : ''}` : stateText(s.state)}`);

  const details = (x: number, nav: Navigator) => {
    const s = view()[x - 1];
    // The title is the label; the state alone fits the small display's 22 columns.
    const lines = [stateText(s.state)];
    if (s.reason) lines.push(t('line.reason', { reason: s.reason }));
    if (s.retryAt !== null) lines.push(t('line.retryIn', { seconds: Math.max(0, Math.ceil((s.retryAt - hal.clock.monotonic()) / 1000)) }));
    const account = registrations.configured(x) ? accountOf(w.config, x) : null;
    if (account) lines.push(t('line.server', { server: describeServer(account) }));
    nav.push(new MessageScreen(s.label, lines));
  };
  if (w.ui) {
    w.ui.setLines({
      idleLines,
      lineKey: (key, nav) => {
        const m = /^line(\d)$/.exec(key);
        if (!m || Number(m[1]) > lineCount) return false;
        details(Number(m[1]), nav);
        return true;
      },
    });
  }
  apply();
  return { registrations, status: view, idleLines };
}
