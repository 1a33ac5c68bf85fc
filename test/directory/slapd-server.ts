/**
 * A real OpenLDAP server for the corporate directory tests: Debian's `slapd`
 * with a generated config (mdb backend) and directory of people loaded with
 * `slapadd`, in a temp folder, listening on 127.0.0.1 only. Started as a
 * child in the foreground and stopped by its PID. A missing slapd is an
 * error (install Debian `slapd` and `ldap-utils`), never a skip.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'ldapts';
import { DaemonProcess, freeTcpPort, readyOrStopped, requireProgram } from '../servers/daemon-process';

export const BASE_DN = 'ou=people,dc=example,dc=com';
export const ADMIN_DN = 'cn=admin,dc=example,dc=com';
export const ADMIN_PASSWORD = 'secret-admin';
export const READER_DN = 'cn=phone,dc=example,dc=com';
export const READER_PASSWORD = 'phone-reader';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const SCHEMA = '/etc/ldap/schema';

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Dennis', 'Margaret', 'Edsger', 'Donald', 'Frances', 'John', 'Radia', 'Tim', 'Sophie', 'Niklaus'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Ritchie', 'Hamilton', 'Dijkstra', 'Knuth', 'Allen', 'Backus', 'Perlman', 'Berners', 'Wilson', 'Wirth'];

/** Person i of the generated directory (deterministic). */
export function person(i: number): { givenName: string; sn: string; telephoneNumber: string } {
  return { givenName: FIRST[i % FIRST.length], sn: `${LAST[Math.floor(i / FIRST.length) % LAST.length]}${Math.floor(i / (FIRST.length * LAST.length)) || ''}`, telephoneNumber: `+4930${String(500000 + i)}` };
}

export interface SlapdServer {
  url: string;
  port: number;
  /** `ldaps://127.0.0.1:<port>` with a certificate for IP 127.0.0.1 issued by `caPem`. */
  ldapsUrl: string;
  ldapsPort: number;
  caPem: string;
  people: number;
  stop(): void;
}

function ldif(people: number): string {
  const out = [
    'dn: dc=example,dc=com', 'objectClass: dcObject', 'objectClass: organization', 'dc: example', 'o: Example', '',
    `dn: ${BASE_DN}`, 'objectClass: organizationalUnit', 'ou: people', '',
    `dn: ${READER_DN}`, 'objectClass: simpleSecurityObject', 'objectClass: organizationalRole', 'cn: phone', `userPassword: ${READER_PASSWORD}`, '',
  ];
  for (let i = 0; i < people; i++) {
    const p = person(i);
    out.push(`dn: uid=p${i},${BASE_DN}`, 'objectClass: inetOrgPerson', `uid: p${i}`, `cn: ${p.givenName} ${p.sn}`, `sn: ${p.sn}`, `givenName: ${p.givenName}`, `telephoneNumber: ${p.telephoneNumber}`, '');
  }
  return out.join('\n');
}

/** A throwaway CA and a server certificate for 127.0.0.1 (openssl CLI). */
function certificates(dir: string): { ca: string; cert: string; key: string } {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Directory Test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server.key') };
}

export async function startSlapd(people = 3000): Promise<SlapdServer> {
  requireProgram('OpenLDAP', [SLAPD, SLAPADD], 'slapd ldap-utils');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slapd-'));
  fs.mkdirSync(path.join(dir, 'db'));
  const conf = path.join(dir, 'slapd.conf');
  const tls = certificates(dir);
  fs.writeFileSync(conf, [
    `include ${SCHEMA}/core.schema`, `include ${SCHEMA}/cosine.schema`, `include ${SCHEMA}/inetorgperson.schema`,
    `pidfile ${dir}/slapd.pid`, `argsfile ${dir}/slapd.args`,
    'modulepath /usr/lib/ldap', 'moduleload back_mdb',
    'sizelimit 500',
    `TLSCACertificateFile ${tls.ca}`, `TLSCertificateFile ${tls.cert}`, `TLSCertificateKeyFile ${tls.key}`,
    'database mdb', 'maxsize 268435456', 'suffix "dc=example,dc=com"',
    `rootdn "${ADMIN_DN}"`, `rootpw ${ADMIN_PASSWORD}`, `directory ${dir}/db`,
    'index objectClass eq', 'index sn,givenName eq,sub',
    // The phone's bind user may read; anonymous users may only bind.
    'access to attrs=userPassword by anonymous auth by * none',
    `access to * by dn.exact="${READER_DN}" read by anonymous auth by * none`,
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'people.ldif'), ldif(people));
  const load = spawnSync(SLAPADD, ['-f', conf, '-l', path.join(dir, 'people.ldif'), '-q'], { encoding: 'utf8' });
  if (load.status !== 0) throw new Error(`slapadd failed: ${load.stderr}`);
  const port = await freeTcpPort();
  const ldapsPort = await freeTcpPort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
  const caPem = fs.readFileSync(tls.ca, 'utf8');
  const daemon = DaemonProcess.spawn('slapd', SLAPD, ['-h', `${url}/ ${ldapsUrl}/`, '-f', conf, '-d', '0']);
  // Synchronous (the tests call it so): SIGTERM by PID, then the temp dir goes.
  const stop = () => {
    daemon.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Ready when an authenticated search answers (at most 10 s).
  let lastError = '';
  const answersSearch = async () => {
    const c = new Client({ url, timeout: 1000, connectTimeout: 1000 });
    try {
      await c.bind(READER_DN, READER_PASSWORD);
      await c.search(BASE_DN, { scope: 'one', filter: '(uid=p0)' });
      return true;
    } catch (e) {
      lastError = (e as Error).message;
      return false;
    } finally {
      await c.unbind().catch(() => {});
    }
  };
  const server: SlapdServer = { url, port, ldapsUrl, ldapsPort, caPem, people, stop };
  return readyOrStopped(server, () => daemon.waitUntil(answersSearch, () => `answer an authenticated search on ${url} (last error: ${lastError})`, { intervalMs: 100 }));
}
