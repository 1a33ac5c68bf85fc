/**
 * `phone flash --ssh` against a real board stand-in: the QEMU guest runs Debian's sshd (a throwaway host key and
 * an authorized_keys made here, in the results dir) and `rauc service` with two raw `appfs` slots on virtio disks,
 * as test/qemu/rauc-update.test.ts sets RAUC up. The guest has user-mode networking with `restrict=on` (no network
 * but the forward) and its port 22 forwarded from a free port on the host's 127.0.0.1. On the host,
 * `node bin/phone.js flash --board … --ssh root@127.0.0.1 --ssh-option Port=… FILE.raucb` copies the bundle
 * (scp) and runs `rauc install` and `rauc status` over ssh. A bundle for another board is refused before any
 * connection (sshd logs none).
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildBoardImage } from '../../build/image/board-image';
import { makeDevelopmentRaucCertificate } from '../../build/image/rauc-certificate';
import { generateSigningKey } from '../../build/image/signing-key';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { startGuest, type GuestRun } from './guest';
import { reportGuestRun, requireGuest } from './guest-session';
import { dbusConf, raucSystemConf } from './rauc-system-conf';

const BOARD = 'desk-500';
const SLOT_BYTES = 40 * 1024 * 1024;
const REPO = path.resolve(__dirname, '..', '..');

interface Flash { code: number; stdout: string; stderr: string; ms: number }

const ctx = {
  dir: '', image: '', bundle: '', run: null as GuestRun | null,
  wrong: null as Flash | null, good: null as Flash | null, sshdLogAfterWrong: '',
};
const flashSsh = suite('phone flash --ssh to sshd and RAUC in the guest');

// The system bus at its standard address: `rauc` run by an ssh session finds it without any environment.
const DBUS_CONF = dbusConf('/run/dbus/system_bus_socket');

/** sshd reads only the test's files: host key, authorized_keys, no PAM (the host root is read-only in the guest). */
function sshdConfig(dir: string): string {
  return [
    'Port 22', 'ListenAddress 0.0.0.0', `HostKey ${dir}/host_key`, `AuthorizedKeysFile ${dir}/authorized_keys`,
    'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no',
    // The results share belongs to the host's user: sshd's ownership checks on it would refuse the key.
    'StrictModes no', 'PidFile /run/sshd.pid', 'LogLevel VERBOSE',
    // scp (OpenSSH 9) copies over SFTP.
    'Subsystem sftp internal-sftp', '',
  ].join('\n');
}

function guestScript(dir: string): string {
  return [
    `R=${dir}`,
    'modprobe virtio_blk && modprobe loop && modprobe dm-verity && modprobe squashfs && modprobe virtio_net || exit 11',
    'for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vdb ] && [ -e /sys/class/net/eth0 ] && break; sleep 0.5; done',
    // slirp's addresses: the guest is 10.0.2.15, the forward comes in on it.
    'ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 || exit 12',
    'SLOT=$(sh $R/backend.sh boot 2>>$R/boot-stage.log) || exit 13',
    'mkdir -p /run/rauc-mnt /run/dbus && mkdir -m 755 /run/sshd',
    'dbus-daemon --config-file=$R/dbus.conf --fork --nopidfile || exit 14',
    'rauc service --conf=$R/system.conf --override-boot-slot=$SLOT > $R/service.log 2>&1 &',
    'for i in $(seq 1 40); do rauc status >/dev/null 2>&1 && break; sleep 0.5; done',
    '/usr/sbin/sshd -f $R/sshd_config -E $R/sshd.log || exit 15',
    'touch $R/ready',
    // The host runs phone flash now; it touches $R/done when it has finished.
    'for i in $(seq 1 400); do [ -f $R/done ] && break; sleep 0.5; done',
    'rauc status --detailed > $R/status.out 2>&1',
    'ls /tmp > $R/guest-tmp.out',
    'sync',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function phoneFlash(args: string[]): Promise<Flash> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(REPO, 'bin/phone.js'), 'flash', ...args], { cwd: REPO, timeout: 240_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function waitFor(file: string, guest: Promise<GuestRun>, ms: number): Promise<void> {
  let ended = false;
  void guest.then(() => { ended = true; });
  const until = Date.now() + ms;
  while (!fs.existsSync(file)) {
    if (ended) throw new Error(`the guest stopped before ${path.basename(file)}`);
    if (Date.now() > until) throw new Error(`no ${path.basename(file)} from the guest within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

flashSsh.before(async () => {
  requireGuest();
  if (!fs.existsSync(DEFAULT_IMAGE)) throw new Error(`no firmware image at ${DEFAULT_IMAGE}: run "node bin/phone.js build" first`);
  if (!fs.existsSync('/usr/sbin/sshd')) throw new Error('no /usr/sbin/sshd (Debian package openssh-server; .ci/run installs it)');
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-flash-ssh-'));
  ctx.dir = d;
  const cert = makeDevelopmentRaucCertificate(path.join(d, 'update.pem'));
  fs.copyFileSync(cert.certPem, path.join(d, 'keyring.pem'));
  const boardFile = path.join(REPO, 'boards', `${BOARD}.json`);
  const built = await buildBoardImage({ board: BOARD, version: '0.2.0', bundle: DEFAULT_IMAGE, boardFile, key: generateSigningKey(), rauc: cert, out: path.join(d, `${BOARD}.img`), arches: ['x64'] });
  ctx.image = built.image;
  ctx.bundle = built.raucBundle!;

  fs.writeFileSync(path.join(d, 'slotA.img'), Buffer.alloc(SLOT_BYTES, 0x41));
  fs.writeFileSync(path.join(d, 'slotB.img'), Buffer.alloc(SLOT_BYTES, 0));
  fs.writeFileSync(path.join(d, 'system.conf'), raucSystemConf(BOARD, d));
  fs.writeFileSync(path.join(d, 'dbus.conf'), DBUS_CONF);
  fs.copyFileSync(path.join(REPO, 'systemd', 'rauc-boot-backend'), path.join(d, 'rauc-boot-backend'));
  fs.writeFileSync(path.join(d, 'backend.sh'), `#!/bin/sh\nPHONE_BOOT_STATE=${d}/slot.env exec /bin/sh ${d}/rauc-boot-backend "$@"\n`, { mode: 0o755 });

  // Throwaway keys: the guest's host key (pinned in known_hosts) and the client's key (its authorized_keys).
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'flash-ssh guest', '-f', path.join(d, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'flash-ssh client', '-f', path.join(d, 'client_key')]);
  fs.copyFileSync(path.join(d, 'client_key.pub'), path.join(d, 'authorized_keys'));
  fs.writeFileSync(path.join(d, 'sshd_config'), sshdConfig(d));
  const port = await freePort();
  fs.writeFileSync(path.join(d, 'known_hosts'), `[127.0.0.1]:${port} ${fs.readFileSync(path.join(d, 'host_key.pub'), 'utf8')}`);
  const sshOptions = [
    `Port=${port}`, `IdentityFile=${d}/client_key`, 'IdentitiesOnly=yes', `UserKnownHostsFile=${d}/known_hosts`,
    'GlobalKnownHostsFile=/dev/null', 'StrictHostKeyChecking=yes', 'BatchMode=yes', 'ConnectTimeout=60',
  ].flatMap((o) => ['--ssh-option', o]);

  const guest = startGuest({
    resultsDir: d, disks: [path.join(d, 'slotA.img'), path.join(d, 'slotB.img')], timeoutMs: 300_000, memoryMiB: 1024,
    tcpForwards: [{ hostPort: port, guestPort: 22 }], script: guestScript(d),
  });
  try {
    await waitFor(path.join(d, 'ready'), guest.done, 180_000);
    ctx.wrong = await phoneFlash(['--board', 'desk-99', '--ssh', 'root@127.0.0.1', ...sshOptions, ctx.bundle]);
    ctx.sshdLogAfterWrong = fs.readFileSync(path.join(d, 'sshd.log'), 'utf8');
    ctx.good = await phoneFlash(['--board', BOARD, '--ssh', 'root@127.0.0.1', ...sshOptions, ctx.bundle]);
  } finally {
    fs.writeFileSync(path.join(d, 'done'), '');
  }
  ctx.run = await guest.done;
  reportGuestRun('phone flash --ssh', ctx.run);
  console.log(`  [qemu] phone flash --ssh of a ${(fs.statSync(ctx.bundle).size / 1024).toFixed(0)} KiB bundle (scp, rauc install, rauc status): ${(ctx.good.ms / 1000).toFixed(1)} s`);
});
flashSsh.after(() => {
  if (ctx.dir && process.env.QEMU_KEEP_RESULTS !== '1') fs.rmSync(ctx.dir, { recursive: true, force: true });
});

const read = (f: string) => fs.readFileSync(path.join(ctx.dir, f), 'utf8');

flashSsh('a bundle for another board is refused before any connection', () => {
  const wrong = ctx.wrong!;
  assert.is(wrong.code, 1, wrong.stderr);
  assert.match(wrong.stderr, /refusing .*: RAUC bundle is compatible with deskphone-desk-500, not deskphone-desk-99/);
  assert.not.match(wrong.stderr, /copying/);
  assert.not.match(ctx.sshdLogAfterWrong, /Connection from|Accepted/, 'sshd saw no connection');
});

flashSsh('the bundle is copied over scp and RAUC installs it into the inactive slot B', () => {
  assert.is(ctx.run!.exitCode, 0, ctx.run!.console.slice(-2000));
  const good = ctx.good!;
  assert.is(good.code, 0, `${good.stderr}\n${good.stdout}\n${read('sshd.log')}`);
  assert.match(good.stderr, /phone flash: copying .*desk-500\.img\.raucb to root@127\.0\.0\.1:\/tmp\/phone-update\.raucb/);
  assert.match(good.stderr, /phone flash: rauc install on root@127\.0\.0\.1/);
  assert.match(read('sshd.log'), /Accepted publickey for root from 10\.0\.2\.2/);
  // rauc status, run over ssh after the install: booted from A, B (the inactive slot) now primary.
  assert.match(good.stdout, /Booted from:\s+appfs\.0 \(A\)/, good.stdout);
  assert.match(good.stdout, /Activated:\s+appfs\.1 \(B\)/, good.stdout);
  // The guest's `rauc status --detailed` afterwards: slot B's record names the bundle installed into it.
  const status = read('status.out').replace(/\x1b\[[0-9;]*m/g, '');
  const slotB = /\[appfs\.1\] \(\/dev\/vdb, raw, inactive\)([\s\S]*?)\[appfs\.0\]/.exec(status);
  assert.ok(slotB, status);
  assert.match(slotB![1], /compatible=deskphone-desk-500\s+version=0\.2\.0/);
  assert.match(slotB![1], /installed:\s+timestamp=\S+\s+count=1/);
  assert.match(slotB![1], /status=ok/);
  const image = fs.readFileSync(ctx.image);
  assert.ok(fs.readFileSync(path.join(ctx.dir, 'slotB.img')).subarray(0, image.length).equals(image), 'slot B holds the squashfs image');
  assert.ok(fs.readFileSync(path.join(ctx.dir, 'slotA.img')).every((b) => b === 0x41), 'slot A (booted) untouched');
  assert.not.match(read('guest-tmp.out'), /phone-update\.raucb/, 'the copied bundle is removed after the install');
});

flashSsh.run();
