/**
 * Shared by the provisioning suites: server files, a simulated phone pointed
 * at a real nginx (device settings staged into nvram), and waiting for the
 * phone's provisioning cycles (real network I/O under virtual time).
 */
import type { Phone } from '../../sim/phone';
import type { EngineKind } from '../../sim/phone-api';
import { bootPhone } from '../helpers/sim';
import type { Test } from 'uvu';
import { guardedBefore } from '../helpers/guarded-setup';
import { NginxServer, type NginxOptions } from '../servers/nginx';

export const MAC = '0004f2a1b2c3';
export const USER = 'provuser';
export const PASSWORD = 'S3cret!pw';

export function masterCfg(configFiles: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<APPLICATION APP_FILE_PATH="" CONFIG_FILES="${configFiles}" MISC_FILES="" LOG_FILE_DIRECTORY="logs" OVERRIDES_DIRECTORY="overrides"
  CONTACTS_DIRECTORY="contacts" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY="calls" COREFILE_DIRECTORY="" ${extra}/>
`;
}

export function cfg(attributes: Record<string, string>): string {
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}="${v}"`).join(' ');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig ${attrs}/>\n`;
}

export interface PhoneAtServer {
  https?: boolean;
  /** CA the phone trusts (default: the server's CA when https). */
  caPem?: string;
  password?: string;
  settings?: Record<string, string>;
  engine?: EngineKind;
}

/** Boot a phone whose device settings point at `server`, and wait for its boot-time cycle. */
export async function phoneAt(server: NginxServer, o: PhoneAtServer = {}): Promise<Phone> {
  const deviceSettings: Record<string, string> = {
    'device.prov.serverName': o.https ? server.httpsUrl : server.httpUrl,
    'device.prov.user': USER,
    'device.prov.password': o.password ?? PASSWORD,
    'device.prov.timeoutMs': '1500',
    ...(o.https ? { 'device.sec.TLS.customCaCert1': o.caPem ?? server.tls.caPem } : {}),
    ...(o.settings ?? {}),
  };
  const phone = await bootPhone({ engine: o.engine ?? 'quickjs', provisioningDir: null, deviceSettings });
  await cycles(phone, 1);
  return phone;
}

/** Lines of the phone log that end a provisioning cycle. */
export function cycleLines(phone: Phone): string[] {
  return phone.log().filter((l) => /\|prov\|\d\|\d+\|(provisioned from|provisioning incomplete)/.test(l));
}

/** Drive virtual time and real I/O until the phone has ended `count` cycles since boot (10 s real-time limit). */
export async function cycles(phone: Phone, count: number): Promise<string[]> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const lines = cycleLines(phone);
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) throw new Error(`phone ended ${lines.length} of ${count} provisioning cycles; log:\n${phone.log().slice(-30).join('\n')}`);
    await phone.advance(0);
    await phone.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Log lines of component `cfg`/`prov` matching `pattern`. */
export function logMatching(phone: Phone, pattern: RegExp): string[] {
  return phone.log().filter((l) => pattern.test(l));
}

/**
 * One real nginx for a whole suite: started before the first test (a failed
 * start fails every test), emptied and reset to no fault before each test,
 * then seeded with the suite's files; stopped after the last test.
 */
export function provisioningServerFor(
  suite: Test,
  options: NginxOptions,
  started: (server: NginxServer) => void,
  seed: (server: NginxServer) => void = () => {},
): void {
  let server: NginxServer | undefined;
  guardedBefore(suite, async () => {
    server = await NginxServer.start(options);
    started(server);
  });
  suite.after(async () => {
    await server?.stop();
  });
  suite.before.each(async () => {
    await server!.quiesce();
    for (const f of server!.listFiles()) server!.remove(f);
    server!.setFault(null);
    seed(server!);
  });
}
