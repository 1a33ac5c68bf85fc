/**
 * Guest side of test/qemu/web-curl.test.ts: the Linux board (`bootBoard`, flash on block2mtd) serves its web
 * interface on the board file's defaults (0.0.0.0, ports 80/443 from the firmware); curl logs in as User, opens a
 * page and logs out over HTTPS, trusting only the phone's own certificate (fetched once, then pinned with
 * --cacert and checked against its name through --resolve). Observations go to plan.report as JSON.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tls from 'tls';
import { parseBoardFile } from '../../../hal/linux/board-file';
import { bootBoard } from '../../../hal/linux/board-host';
import { sleep } from './wait-screen';

export interface WebCurlPlan {
  image: string;
  boardFile: string;
  report: string;
  dir: string;
}

interface CurlAnswer { status: number; location: string; body: string; setCookie: string }

function peerCertificate(port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => { resolve(s.getPeerCertificate().raw); s.end(); });
    s.once('error', reject);
  });
}

async function main(): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as WebCurlPlan;
  const boardFile = parseBoardFile(JSON.parse(fs.readFileSync(plan.boardFile, 'utf8')), plan.boardFile);
  const report: Record<string, unknown> = {};
  const save = (): void => fs.writeFileSync(plan.report, JSON.stringify(report, null, 2));
  const log: string[] = [];
  const board = await bootBoard({ boardFile, image: plan.image, engine: 'node', onLog: (l) => log.push(l) });
  try {
    const deadline = Date.now() + 120_000;
    while (!log.some((l) => /\|web\|.*web server listening/.test(l))) {
      if (Date.now() > deadline) throw new Error(`the web server never listened; log:\n${log.slice(-20).join('\n')}`);
      await sleep(100);
    }
    report.listening = log.find((l) => /web server listening/.test(l));
    const mac = board.log().join('\n').match(/mac ([0-9a-f]{12})/)?.[1] ?? boardFile.mac ?? '';
    const host = `phone-${mac}.local`;
    const ca = path.join(plan.dir, 'phone-ca.pem');
    fs.writeFileSync(ca, `-----BEGIN CERTIFICATE-----\n${(await peerCertificate(443)).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`);
    const jar = path.join(plan.dir, 'cookies.txt');
    // Asynchronous: the board answers in this same process, so a blocking curl would wait for itself.
    const curl = async (target: string, form?: Record<string, string>, scheme = 'https'): Promise<CurlAnswer> => {
      const headers = path.join(plan.dir, 'headers.txt');
      const args = ['-s', '--max-time', '30', '--cacert', ca, '--resolve', `${host}:443:127.0.0.1`, '--resolve', `${host}:80:127.0.0.1`,
        '-b', jar, '-c', jar, '-D', headers, '-o', '-', ...(form ? Object.entries(form).flatMap(([k, v]) => ['--data-urlencode', `${k}=${v}`]) : []),
        `${scheme}://${host}${target}`];
      const body = await new Promise<string>((resolve, reject) => execFile('curl', args, { encoding: 'utf8' }, (e, out) => (e ? reject(e) : resolve(out))));
      const h = fs.readFileSync(headers, 'utf8');
      return {
        status: Number(/^HTTP\/[\d.]+ (\d+)/.exec(h)?.[1] ?? 0),
        location: /^location: (.*)$/im.exec(h)?.[1]?.trim() ?? '',
        setCookie: /^set-cookie: (.*)$/im.exec(h)?.[1]?.trim() ?? '',
        body,
      };
    };
    const csrf = (html: string): string => /name="csrf" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '';
    const plain = await curl('/login', undefined, 'http');
    const form = await curl('/login');
    const login = await curl('/login', { csrf: csrf(form.body), role: 'user', password: '123' });
    const page = await curl('/settings/password');
    const logout = await curl('/logout', { csrf: csrf(page.body) });
    const after = await curl('/settings/password');
    report.steps = {
      plain: { status: plain.status, location: plain.location },
      form: { status: form.status, setCookie: form.setCookie, hasPassword: /type="password"/.test(form.body) },
      login: { status: login.status, location: login.location, setCookie: login.setCookie },
      page: { status: page.status, title: /<h2>([^<]*)<\/h2>/.exec(page.body)?.[1] ?? '', role: /class="role">([^<]*)</.exec(page.body)?.[1] ?? '' },
      logout: { status: logout.status, location: logout.location },
      after: { status: after.status, location: after.location },
    };
    report.host = host;
    save();
  } finally {
    report.faults = board.faults();
    report.webLog = log.filter((l) => /\|web\||\|auth\|/.test(l));
    save();
    await board.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
