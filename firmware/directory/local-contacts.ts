/**
 * The phone's internal local store: the contacts the user owns (added,
 * edited, or adopted from the personal file), the global contacts the user
 * deleted, and the digest of the personal file text last adopted or uploaded
 * (so the phone's own upload coming back is not adopted again). At most
 * `dir.local.contacts.maxNum` contacts: small enough to hold in RAM.
 */
import { contactIdentity, type Contact } from './contact';

export interface LocalContactsState {
  contacts: Contact[];
  /** Identities of global contacts the user deleted: ignored from then on. */
  hidden: string[];
  /** Digest of the personal file text this store last matched. */
  fileDigest: string;
}

/** Deleted global contacts remembered at most (oldest forgotten first). */
const MAX_HIDDEN = 1000;

export class LocalContacts {
  private constructor(private state: LocalContactsState) {}

  static empty(): LocalContacts {
    return new LocalContacts({ contacts: [], hidden: [], fileDigest: '' });
  }

  static fromText(text: string): LocalContacts | null {
    try {
      const s = JSON.parse(text) as LocalContactsState;
      if (!Array.isArray(s.contacts) || !Array.isArray(s.hidden)) return null;
      return new LocalContacts({ contacts: s.contacts, hidden: s.hidden, fileDigest: String(s.fileDigest ?? '') });
    } catch {
      return null;
    }
  }

  static adopt(contacts: Contact[], fileDigest: string): LocalContacts {
    return new LocalContacts({ contacts: contacts.slice(), hidden: [], fileDigest });
  }

  text(): string {
    return JSON.stringify(this.state);
  }

  contacts(): readonly Contact[] {
    return this.state.contacts;
  }

  hidden(): ReadonlySet<string> {
    return new Set(this.state.hidden);
  }

  count(): number {
    return this.state.contacts.length;
  }

  fileDigest(): string {
    return this.state.fileDigest;
  }

  setFileDigest(digest: string): void {
    this.state.fileDigest = digest;
  }

  find(ct: string): Contact | undefined {
    const id = contactIdentity(ct);
    return this.state.contacts.find((c) => contactIdentity(c.ct) === id);
  }

  /** Put `c` in place of the contact `previousCt` (or of its own number); returns a copy of the new state. */
  withPut(c: Contact, previousCt?: string): LocalContacts {
    const drop = new Set([contactIdentity(c.ct), ...(previousCt !== undefined ? [contactIdentity(previousCt)] : [])]);
    const contacts = this.state.contacts.filter((x) => !drop.has(contactIdentity(x.ct)));
    contacts.push(c);
    const hidden = this.state.hidden.filter((h) => h !== contactIdentity(c.ct));
    if (previousCt !== undefined && contactIdentity(previousCt) !== contactIdentity(c.ct)) hidden.push(contactIdentity(previousCt));
    return new LocalContacts({ contacts, hidden: hidden.slice(-MAX_HIDDEN), fileDigest: this.state.fileDigest });
  }

  /** Without `ct`; `hide`: the global directory has it too, so remember its identity to keep it out (else nothing of it is kept: delete is erase). */
  withRemoved(ct: string, hide = true): LocalContacts {
    const id = contactIdentity(ct);
    const contacts = this.state.contacts.filter((x) => contactIdentity(x.ct) !== id);
    const hidden = this.state.hidden.filter((h) => h !== id);
    if (hide) hidden.push(id);
    return new LocalContacts({ contacts, hidden: hidden.slice(-MAX_HIDDEN), fileDigest: this.state.fileDigest });
  }
}
