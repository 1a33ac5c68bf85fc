/**
 * The downloadable log package (spec: "Download Logs"): a `.tgz` holding
 * `<MAC>-app.log`, `<MAC>-boot.log` (all kept generations, oldest first,
 * GMT timestamps as logged), `<MAC>-cdr.jsonl` (the call detail records the
 * calls module keeps as `cdr/<slot>` and `cdr/u.<user>/<slot>`, one JSON record per line, oldest
 * first) and `README.txt`. Never call lists, directory or user profiles:
 * only the paths named here are read. One function returning the bytes,
 * shared by the simulator CLI, the browser UI and the phone's web interface.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import { RotatingLogFile, type LogLimits } from './rotating-log-file';
import { writeTar, type TarEntry } from './tar-writer';

export const CDR_PREFIX = 'cdr/';

export interface PackageSource {
  fs: FileStore;
  mac: string;
  /** Package time (GMT), ms since the epoch. */
  now: number;
  firmwareVersion: string;
}

/** The names of the files a package holds, for `README.txt` and tests. */
export function packageFileNames(mac: string): string[] {
  return [`${mac}-app.log`, `${mac}-boot.log`, `${mac}-cdr.jsonl`, 'README.txt'];
}

/**
 * The package's bytes. Async because fflate is loaded at the first package:
 * its tables (~230 KiB of heap) would otherwise sit in every phone from boot
 * for a download that most phones never make.
 */
export async function buildLogPackage(src: PackageSource): Promise<Uint8Array> {
  const limits = (): LogLimits => ({ maxBytes: Number.MAX_SAFE_INTEGER, maxFiles: Number.MAX_SAFE_INTEGER });
  const app = new RotatingLogFile(src.fs, 'app', limits).readAll();
  const boot = new RotatingLogFile(src.fs, 'boot', limits).readAll();
  const cdr = cdrLines(src.fs);
  const [appName, bootName, cdrName] = packageFileNames(src.mac);
  const readme = [
    `Log package of phone ${src.mac}, firmware ${src.firmwareVersion}, made ${new Date(src.now).toISOString()} (all times GMT).`,
    `${appName}: application log, ${bootName}: boot log. Line format: timestamp|component|level (0 debug … 6 fatal)|missed events|text.`,
    `${cdrName}: call detail records, one JSON object per line, oldest first (${cdr.count} records).`,
    'Not included: call lists, directory, user profiles.',
    '',
  ].join('\n');
  const entries: TarEntry[] = [
    { name: appName, data: app, mtime: src.now },
    { name: bootName, data: boot, mtime: src.now },
    { name: cdrName, data: utf8Encode(cdr.text), mtime: src.now },
    { name: 'README.txt', data: utf8Encode(readme), mtime: src.now },
  ];
  const { gzipSync } = await import('fflate');
  return gzipSync(writeTar(entries), { mtime: src.now });
}

function cdrLines(fs: FileStore): { text: string; count: number } {
  const records: { seq: number; text: string }[] = [];
  for (const f of fs.list(CDR_PREFIX)) {
    // The phone's records are cdr/<slot>, a user's cdr/u.<user>/<slot> (firmware/calls/cdr-store.ts).
    if (!/^cdr\/(?:u\.[^/]+\/)?\d+$/.test(f.path) || f.cls !== 'cdr') continue;
    const text = utf8Decode(fs.read(f.path) ?? new Uint8Array(0)).replace(/[\r\n]+/g, ' ');
    let seq = Number.MAX_SAFE_INTEGER;
    try {
      const parsed = JSON.parse(text) as { seq?: unknown };
      if (typeof parsed.seq === 'number') seq = parsed.seq;
    } catch {
      // Kept as found: the package is for diagnosis.
    }
    records.push({ seq, text });
  }
  records.sort((a, b) => a.seq - b.seq);
  return { text: records.map((r) => r.text + '\n').join(''), count: records.length };
}
