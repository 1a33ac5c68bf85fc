/**
 * "My Data" (spec: Right to Access, Right to Data Portability): everything
 * the phone holds about one data subject, machine-readable. The JSON is
 * generated from the data-class declarations: every personal class appears,
 * with every file of it that belongs to the subject (per-user classes: the
 * subject's records; phone-wide classes: all of them, they are about the
 * phone's user too), decoded. Call lists and contacts also come in their
 * Polycom XML formats (`<owner>-calls.xml`, `<owner>-directory.xml`).
 */
import { exportCallsXml } from '../calls/calls-xml';
import { CallListStore } from '../calls/call-list-store';
import { FlashDirectoryStorage, LOCAL_PAGE } from '../directory/flash-directory-storage';
import { LocalContacts } from '../directory/local-contacts';
import { serializeDirectoryXml } from '../directory/directory-xml';
import type { DataClassDeclaration } from '../kernel/declaration';
import { utf8Decode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import { mergeClasses } from './reset-plan';

export interface ExportedFile { name: string; text: string }

export interface PersonalDataExport {
  /** `<owner>-mydata.json`, then the XML files. */
  files: ExportedFile[];
  /** Classes in the JSON, for the caller's log line. */
  classes: string[];
}

export interface ExportSubject {
  /** The logged-in user, or null for the phone's own data (nobody logged in). */
  user: string | null;
  mac: string;
  /** ISO time of the export. */
  at: string;
}

export function exportPersonalData(fs: FileStore, declared: readonly DataClassDeclaration[], subject: ExportSubject, log: (m: string) => void): PersonalDataExport {
  const owner = subject.user ?? subject.mac;
  const classes: Record<string, unknown> = {};
  const personal = mergeClasses(declared).filter((c) => c.personal);
  for (const c of personal) {
    const files: { path: string; content: unknown }[] = [];
    for (const f of fs.list()) {
      if (f.cls !== c.storageClass) continue;
      if (c.perUser && (f.user ?? '') !== (subject.user ?? '')) continue;
      try {
        const text = utf8Decode(fs.read(f.path) ?? new Uint8Array(0));
        files.push({ path: f.path, content: parseOrText(text) });
      } catch (e) {
        log(`data export: ${f.path} unreadable (${(e as Error).message}): left out`);
      }
    }
    classes[c.storageClass] = { description: c.description, perUser: c.perUser, files };
  }
  const json = JSON.stringify({ subject: subject.user ?? `phone ${subject.mac}`, phone: subject.mac, exportedAt: subject.at, classes }, null, 1);
  const out: ExportedFile[] = [{ name: `${owner}-mydata.json`, text: json }];
  const calls = new CallListStore(fs, log).load(subject.user);
  out.push({ name: `${owner}-calls.xml`, text: exportCallsXml(calls.map((e) => e.record)) });
  const local = new FlashDirectoryStorage(fs, subject.user).read(LOCAL_PAGE);
  const contacts = local === null ? null : LocalContacts.fromText(local);
  out.push({ name: `${owner}-directory.xml`, text: serializeDirectoryXml(contacts ? contacts.contacts() : []) });
  return { files: out, classes: personal.map((c) => c.storageClass) };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
