/**
 * The web module: starts the phone's web server once configuration, passwords,
 * logs and resets exist, and follows the `httpd.*` switches at once (no
 * reboot): `httpd.enabled=0` stops listening and ends every session; a new
 * port or certificate re-serves. The certificate is the provisioned one when
 * configuration gives one, else the per-device self-signed one
 * (device-certificate.ts).
 */
import type { HttpListening } from '../../hal/contract';
import type { Kernel } from '../kernel/kernel';
import type { FirmwareModule } from '../kernel/module-registry';
import type { FileStore } from '../storage/file-store';
import { webDeclaration } from './declaration';
import { adoptProvisionedCertificate, servedCertificate, type CertificateDeps, type ServedCertificate } from './device-certificate';
import { webPageSets } from './pages/index';
import type { WebContext } from './web-page';
import { WebServer } from './web-server';
import { WebSessions } from './web-sessions';

/** Request bodies beyond this are refused by the host (413): forms and a configuration file upload fit; a phone's RAM stays safe. */
export const MAX_BODY_BYTES = 256 * 1024;

const PROVISIONED_CERT = 'device.sec.TLS.customDeviceCert1.publicCert';
const PROVISIONED_KEY = 'device.sec.TLS.customDeviceCert1.privateKey';

export function webModule(): FirmwareModule {
  return { declaration: webDeclaration };
}

export interface WebService {
  /** Ports listened on now (0: none). */
  listening(): HttpListening;
  certificate(): ServedCertificate | null;
  sessions: WebSessions;
}

export function startWeb(kernel: Kernel, deps: { context: WebContext; nvram: FileStore }): WebService {
  const hal = kernel.hal;
  const log = kernel.log.component('web');
  const config = deps.context.config;
  const sessions = new WebSessions(hal.crypto, () => hal.clock.monotonic());
  let listening: HttpListening = { httpPort: 0, httpsPort: 0 };
  let certificate: ServedCertificate | null = null;
  const service: WebService = { listening: () => listening, certificate: () => certificate, sessions };
  const httpServer = hal.httpServer;
  if (!httpServer) {
    log.info('this board has no web server');
    return service;
  }
  // Made at the first request: its pages and routes (~7 KiB of heap) are held only by a phone whose web interface is used.
  let server: WebServer | null = null;
  const makeServer = () => new WebServer({
    auth: deps.context.auth,
    sessions,
    pages: webPageSets.flatMap((set) => set(deps.context)),
    settings: {
      pagesEnabled: () => config.getBoolean('httpd.cfg.enabled'),
      httpsPort: () => listening.httpsPort,
      idleMs: () => config.getInteger('httpd.cfg.sessionTimeout') * 60_000,
    },
    log,
    device: `${hal.board.model} ${hal.board.mac}`,
    mac: hal.board.mac,
  });
  const certDeps: CertificateDeps = { crypto: hal.crypto, nvram: deps.nvram, board: hal.board, now: () => hal.clock.now(), log };
  let served = '';

  const apply = (): void => {
    if (!config.getBoolean('httpd.enabled')) {
      if (served !== 'off') log.notice('web server off (httpd.enabled=0)');
      served = 'off';
      httpServer.stop();
      sessions.clear();
      listening = { httpPort: 0, httpsPort: 0 };
      return;
    }
    const certPem = config.get(PROVISIONED_CERT) ?? '';
    const keyPem = config.get(PROVISIONED_KEY) ?? '';
    if (certPem && keyPem) {
      const refused = adoptProvisionedCertificate(certDeps, certPem, keyPem);
      if (refused) log.error(`provisioned device certificate refused: ${refused}; the certificate in force stays`);
    }
    const httpsOn = config.getBoolean('httpd.cfg.secureTunnelEnabled') || config.getBoolean('httpd.cfg.secureTunnelRequired');
    try {
      certificate = httpsOn ? servedCertificate(certDeps) : null;
    } catch (e) {
      log.error(`no device certificate (${(e as Error).message}): HTTPS stays off`);
      certificate = null;
    }
    const options = {
      httpPort: config.getInteger('httpd.cfg.port'),
      httpsPort: certificate ? config.getInteger('httpd.cfg.secureTunnelPort') : 0,
      tls: certificate ? { certificatePem: certificate.certificatePem, keyName: certificate.keyName } : undefined,
      maxBodyBytes: MAX_BODY_BYTES,
    };
    const fingerprint = `${options.httpPort} ${options.httpsPort} ${certificate?.keyName ?? ''} ${certificate?.certificatePem.length ?? 0} ${certificate?.certificatePem.slice(-80) ?? ''}`;
    if (fingerprint === served) return;
    served = fingerprint;
    if (!httpsOn) log.warning('HTTPS is off (httpd.cfg.secureTunnelEnabled=0): passwords cross the network in clear');
    httpServer.serve(options, (request, respond) => (server ??= makeServer()).handle(request, respond)).then(
      (l) => {
        listening = l;
        log.notice(`web server listening: http ${l.httpPort || 'off'}, https ${l.httpsPort || 'off'}${certificate ? ` (${certificate.origin} certificate)` : ''}`);
      },
      (e: Error) => {
        served = '';
        listening = { httpPort: 0, httpsPort: 0 };
        log.error(`web server not started: ${e.message}`);
      },
    );
  };
  apply();
  config.onChange((changes) => {
    if (changes.some((c) => c.name.startsWith('httpd.') || c.name.startsWith('device.sec.TLS.customDeviceCert1.'))) kernel.guard('web settings', apply)();
  });
  return service;
}
