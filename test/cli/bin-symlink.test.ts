/**
 * `npx phone` runs bin/phone.js through npm's bin symlink (node_modules/.bin/phone):
 * argv[1] is then `…/.bin/phone`, not `…/phone.js`. The CLI must run all the
 * same, once, from the compiled bundle and from source.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'phone.js');
const test = suite('phone through the npm bin symlink');

function viaSymlink(env: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-bin-link-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    const link = path.join(dir, 'node_modules', '.bin', 'phone');
    fs.symlinkSync(BIN, link);
    return execFileSync(process.execPath, [link, '--help'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const count = (text: string, what: string) => text.split(what).length - 1;

test('the compiled CLI prints its help once through node_modules/.bin/phone', () => {
  const out = viaSymlink();
  assert.is(count(out, 'Usage: phone'), 1, out);
  assert.match(out, /scenario/);
});

test('the CLI from source (ts-node) prints its help once through the symlink too', () => {
  const out = viaSymlink({ PHONE_CLI_FROM_SOURCE: '1' });
  assert.is(count(out, 'Usage: phone'), 1, out);
});

test.run();
