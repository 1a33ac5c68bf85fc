/** Shared by the directory suites: directory files, and a directory service on a real flash store. */
import { BOARDS } from '../../hal/boards';
import { DirectoryService, GLOBAL_ENTRIES_PER_LOCAL_CONTACT, GLOBAL_FILE } from '../../firmware/directory/directory-service';
import type { Contact } from '../../firmware/directory/contact';
import { Logger } from '../../firmware/kernel/logger';
import { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';

export const MAC = '0004f2a1b2c3';

export function directoryXml(items: Partial<Contact>[]): string {
  const body = items.map((c) => '<item>' + Object.entries(c).map(([k, v]) => `<${k}>${v}</${k}>`).join('') + '</item>').join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<directory><item_list>\n${body}\n</item_list></directory>\n`;
}

export function people(n: number, from = 0, prefix = 'Person'): Partial<Contact>[] {
  const out: Partial<Contact>[] = [];
  for (let i = from; i < from + n; i++) out.push({ fn: `${prefix}${i}`, ln: `Family${String(i).padStart(5, '0')}`, ct: String(100000 + i) });
  return out;
}

export interface Harness {
  service: DirectoryService;
  files: Map<string, string>;
  uploads: { text: string; user: string | null }[];
  log: string[];
  params: { maxLocal: number; byFirst: boolean; enabled: boolean };
  store: FileStore;
  /** A second boot on the same flash. */
  reboot(): Harness;
}

export function harness(board = 'desk-500', existing?: { store: FileStore; files: Map<string, string> }): Harness {
  const store = existing?.store ?? FileStore.mount(new VirtualFlash(BOARDS[board].flash).open('fs'), new NodeCryptoEngine(new Keystore()));
  const files = existing?.files ?? new Map<string, string>();
  const uploads: { text: string; user: string | null }[] = [];
  const log: string[] = [];
  const logger = new Logger(() => 0);
  logger.addSink((line) => { log.push(line); });
  const params = { maxLocal: BOARDS[board].contactLimit, byFirst: false, enabled: true };
  const service = new DirectoryService({
    fs: store,
    log: logger.component('dir'),
    mac: MAC,
    maxLocal: () => params.maxLocal,
    maxGlobal: BOARDS[board].contactLimit * GLOBAL_ENTRIES_PER_LOCAL_CONTACT,
    byFirstName: () => params.byFirst,
    enabled: () => params.enabled,
    sourceText: (name) => files.get(name) ?? null,
    upload: (text, user) => uploads.push({ text, user }),
  });
  const h: Harness = { service, files, uploads, log, params, store, reboot: () => harness(board, { store, files }) };
  return h;
}

/** Deliver a downloaded file as the provisioning client does (cache, then announce). */
export function download(h: Harness, name: string, text: string): void {
  h.files.set(name, text);
  h.service.fileArrived(name, text);
}

export function names(h: Harness, prefix = ''): string[] {
  const r = h.service.search(prefix);
  const out: string[] = [];
  for (let i = 0; i < r.count; i++) {
    const e = h.service.entry(r.start + i)!;
    out.push(`${e.c.fn ?? ''} ${e.c.ln ?? ''}`.trim() || e.c.ct);
  }
  return out;
}

export { GLOBAL_FILE };
