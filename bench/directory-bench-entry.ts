/**
 * What bench/directory.bench.ts runs inside QuickJS and Node: the firmware's
 * own directory code (parse, merge, paged index, search) over page storage
 * the host provides (`hostPages`), so the pages live outside the VM as they
 * live on flash in the phone.
 */
import { parseDirectoryXml, readDirectoryXml } from '../firmware/directory/directory-xml';
import { itemAt } from '../firmware/directory/directory-item-scanner';
import { MergedDirectory, type DirectoryStorage } from '../firmware/directory/merged-directory';
import type { Contact } from '../firmware/directory/contact';
import { RESULT_ROWS } from '../firmware/directory/local-directory-screen';

declare const hostPages: { read(name: string): string | null; commit(json: string): void; names(): string };

const storage: DirectoryStorage = {
  read: (name) => hostPages.read(name),
  commit: (changes) => hostPages.commit(JSON.stringify([...changes])),
  existing: () => JSON.parse(hostPages.names()) as string[],
};

let directory: MergedDirectory | null = null;
/** The "whole directory in RAM" baseline: every contact kept in one array. */
let heldWhole: Contact[] | null = null;

export function merge(personalXml: string, globalXml: string): number {
  const personal = parseDirectoryXml(personalXml, 500);
  if (!personal.ok) throw new Error(`bench personal file refused: ${personal.error}`);
  // The global file read item by item, as the phone merges it (bounded memory).
  const global = { each: (visit: (c: Contact, ref: number) => void) => readDirectoryXml(globalXml, 10000, visit).ok, at: (ref: number) => itemAt(globalXml, ref).contact ?? undefined };
  directory = MergedDirectory.open(storage, false);
  directory = MergedDirectory.build(storage, false, personal.contacts, new Set(), global, 'bench', directory);
  if (!directory) throw new Error('bench global file refused');
  return directory.size();
}

/** One search keystroke as the Local Directory screen answers it: match range, then the rows on screen. */
export function keystroke(prefix: string): number {
  const m = directory!.search(prefix);
  let shown = 0;
  for (let i = 0; i < Math.min(RESULT_ROWS, m.count); i++) if (directory!.entry(m.start + i)) shown++;
  return m.count * 100 + shown;
}

/** Reopen from the pages alone (a reboot): only page heads come back into RAM. */
export function reopen(): number {
  directory = MergedDirectory.open(storage, false);
  return directory ? directory.size() : -1;
}

export function holdWhole(personalXml: string, globalXml: string): number {
  const a = parseDirectoryXml(personalXml, 500);
  const b = parseDirectoryXml(globalXml, 10000);
  heldWhole = [...(a.ok ? a.contacts : []), ...(b.ok ? b.contacts : [])];
  return heldWhole.length;
}

export function dropAll(): void {
  directory = null;
  heldWhole = null;
}
