/**
 * The lines module at boot: each line the board has registered from
 * configuration (`reg.x.*`), re-registered when that configuration changes,
 * its label and state on the idle screen, its line key and its LED (on while
 * registered).
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

const STATE_TEXT: Record<LineStatus['state'], string> = {
  registered: 'registered',
  registering: 'registering',
  failed: 'registration failed',
  unregistered: 'not registered',
  unconfigured: 'not registered',
};

export function startLines(kernel: Kernel, w: { config: LinesConfig; ui?: PhoneUi }): LinesService {
  const hal = kernel.hal;
  const log = kernel.log.component('sip');
  const lineCount = Math.min(hal.board.lineCount, MAX_LINES);
  /** Line 1 as the host set it up, when configuration gives it no account (`registration` events without `line`). */
  let hostLine1: LineStatus['state'] = 'unconfigured';
  let hostReason = '';

  const led = (x: number, on: boolean) => {
    const name = `line${x}` as LedName;
    if (hal.board.keys.indexOf(name as KeyName) < 0) return;
    hal.leds.set(name, on ? 'on' : 'off');
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
      all[0] = { line: 1, label: 'Line 1', state: hostLine1, reason: hostReason, retryAt: null };
    }
    return all;
  };
  const idleLines = () => view()
    .filter((s) => s.line === 1 || registrations.configured(s.line))
    .map((s) => `${s.label}: ${s.line === 1 && !registrations.configured(1) && s.state === 'failed' ? `failed${s.reason ? ': ' + s.reason : ''}` : STATE_TEXT[s.state]}`);

  const details = (x: number, nav: Navigator) => {
    const s = view()[x - 1];
    // The title is the label; the state alone fits the small display's 22 columns.
    const lines = [STATE_TEXT[s.state]];
    if (s.reason) lines.push(`Reason: ${s.reason}`);
    if (s.retryAt !== null) lines.push(`Retry in ${Math.max(0, Math.ceil((s.retryAt - hal.clock.monotonic()) / 1000))} s`);
    const account = registrations.configured(x) ? accountOf(w.config, x) : null;
    if (account) lines.push(`Server: ${describeServer(account)}`);
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
