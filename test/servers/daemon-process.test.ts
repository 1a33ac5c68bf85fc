import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DaemonProcess, freeTcpPort, readyOrStopped, requireProgram } from './daemon-process';

test('a missing program is an error naming the package, and says so under CI', () => {
  const ci = process.env.CI;
  process.env.CI = 'true';
  try {
    assert.throws(() => requireProgram('nginx', '/nonexistent/nginx', 'nginx'), /nginx is not installed \(\/nonexistent\/nginx missing\): apt-get install -y nginx — required under CI/);
  } finally {
    if (ci === undefined) delete process.env.CI; else process.env.CI = ci;
  }
  requireProgram('sh', '/bin/sh', 'dash');
});

test('a daemon that exits before listening fails the start with its output, and is stopped', async () => {
  const daemon = DaemonProcess.spawn('fake', '/bin/sh', ['-c', 'echo bad config >&2; exit 3']);
  let stopped = false;
  const port = await freeTcpPort();
  const error = await readyOrStopped({ stop: async () => { stopped = true; } }, () => daemon.waitForPort(port)).then(() => null, (e: Error) => e);
  assert.match(String(error?.message), /fake exited with 3: bad config/);
  assert.ok(stopped);
});

test('stop() kills by PID with SIGKILL when SIGTERM is ignored', async () => {
  const daemon = DaemonProcess.spawn('stubborn', '/bin/sh', ['-c', "trap '' TERM; exec sleep 30"]);
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(daemon.running());
  const started = Date.now();
  await daemon.stop(300);
  assert.not.ok(daemon.running());
  assert.ok(Date.now() - started < 5000);
});

test.run();
