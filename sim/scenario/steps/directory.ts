/**
 * Steps for the contact directory (firmware/directory): directory files on
 * the built-in provisioning server before boot, adding a contact and
 * searching at the phone with the keypad (multi-tap letters, as a user types).
 */
import type { KeyName, ScreenText } from '../../../hal/contract';
import { asObject, asString, fields, optionalCount, optionalString } from '../argument';
import type { Phone } from '../../phone';
import { BUILT_IN_PREFIX } from '../../provisioning/staging';
import type { StepKind } from '../scenario';
import { openMainMenu } from './navigation';
import { describeScreen } from './phone';

const ITEM_FIELDS = ['fn', 'ln', 'ct', 'sd', 'lb', 'pt', 'rt', 'dc', 'ad', 'ar', 'bw', 'bb'];
const KEYPAD: Record<string, string> = { '1': '.@-_1', '2': 'abc2', '3': 'def3', '4': 'ghi4', '5': 'jkl5', '6': 'mno6', '7': 'pqrs7', '8': 'tuv8', '9': 'wxyz9', '0': ' 0' };
/** Longer than the firmware's multi-tap pause (firmware/ui/multi-tap-entry.ts). */
const LETTER_PAUSE_MS = 1100;

type Item = Record<string, string>;

function items(value: unknown, what: string): Item[] {
  if (!Array.isArray(value)) throw new Error(`${what}: a list of contacts ({fn, ln, ct, ...})`);
  return value.map((v, i) => {
    const o = asObject(v, `${what}[${i}]`);
    for (const [k, x] of Object.entries(o)) {
      if (!ITEM_FIELDS.includes(k)) throw new Error(`${what}[${i}].${k}: not a directory item field (${ITEM_FIELDS.join(', ')})`);
      asString(x, `${what}[${i}].${k}`);
    }
    return o as Item;
  });
}

function directoryXml(list: Item[]): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = list.map((c) => '  <item>' + Object.entries(c).map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('') + '</item>').join('\n');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<directory>\n <item_list>\n${body}\n </item_list>\n</directory>\n`;
}

async function put(phone: Phone, name: string, text: string): Promise<void> {
  const res = await phone.devices.net.request({ method: 'PUT', url: BUILT_IN_PREFIX + name, body: new Uint8Array(Buffer.from(text)) });
  if (res.status >= 300) throw new Error(`directoryFiles: cannot store ${name} on ${BUILT_IN_PREFIX} (HTTP ${res.status})`);
}

/** Type text on the keypad: letters by multi-tap with a pause after each, digits in the number fields. */
async function typeText(phone: Phone, text: string, letters: boolean): Promise<void> {
  for (const ch of text.toLowerCase()) {
    if (!letters) {
      if (!/[0-9*#]/.test(ch)) throw new Error(`"${ch}" cannot be typed in a number field`);
      await phone.press(ch as KeyName);
      continue;
    }
    const key = Object.keys(KEYPAD).find((k) => KEYPAD[k].includes(ch));
    if (!key) throw new Error(`"${ch}" cannot be typed on the keypad`);
    for (let i = 0; i <= KEYPAD[key].indexOf(ch); i++) await phone.press(key as KeyName);
    await phone.advance(LETTER_PAUSE_MS);
  }
}

async function openLocalDirectory(phone: Phone): Promise<void> {
  await openMainMenu(phone);
  for (const label of ['Contacts', 'Local Directory']) {
    const line = phone.screen().lines.find((l) => l.includes(label));
    if (!line) throw new Error(`no "${label}" in the menu: ${describeScreen(phone.screen())}`);
    await phone.press(line.split('.')[0] as KeyName);
  }
  if (phone.screen().id !== 'directory') throw new Error(`Local Directory did not open: ${describeScreen(phone.screen())}`);
}

export const directoryFiles: StepKind<{ global?: Item[]; personal?: Item[] }> = {
  name: 'directoryFiles',
  help: 'before boot: serve 000000000000-directory.xml (global) and/or <MAC>-directory.xml (personal) from the built-in provisioning folder',
  example: { global: [{ fn: 'Alan', ln: 'Turing', ct: '4711' }], personal: [{ fn: 'Spam', ct: '666', ar: '1' }] },
  parse: (a) => {
    const o = fields(a, ['global', 'personal'], 'directoryFiles');
    return { ...(o.global !== undefined ? { global: items(o.global, 'directoryFiles.global') } : {}), ...(o.personal !== undefined ? { personal: items(o.personal, 'directoryFiles.personal') } : {}) };
  },
  label: (a) => `directory files: ${a.global?.length ?? 0} global, ${a.personal?.length ?? 0} personal contacts`,
  run: async ({ phone }, a) => {
    if (phone.state === 'running') throw new Error('directoryFiles: use it before boot (the boot provisioning cycle reads it)');
    if (a.global) await put(phone, '000000000000-directory.xml', directoryXml(a.global));
    if (a.personal) await put(phone, `${phone.profile.mac}-directory.xml`, directoryXml(a.personal));
  },
};

export const addContact: StepKind<{ firstName: string; number: string; expect?: string }> = {
  name: 'addContact',
  help: 'Contacts > Local Directory > Add +: type a first name (multi-tap) and a number, Save; expect: text the screen then shows (default: back on the directory)',
  example: { firstName: 'bob', number: '5551234' },
  parse: (a) => {
    const o = fields(a, ['firstName', 'number', 'expect'], 'addContact');
    return { firstName: asString(o.firstName ?? '', 'addContact.firstName'), number: asString(o.number, 'addContact.number'), expect: optionalString(o.expect, 'addContact.expect') };
  },
  label: (a) => `add contact ${a.firstName} ${a.number}`,
  run: async ({ phone }, a) => {
    await openLocalDirectory(phone);
    await phone.press('soft2');
    if (phone.screen().id !== 'contact-edit') throw new Error(`Add + did not open the Add Contact screen: ${describeScreen(phone.screen())}`);
    await typeText(phone, a.firstName, true);
    await phone.pressAll(['down', 'down']);
    await typeText(phone, a.number, false);
    await phone.press('soft1');
    const s = phone.screen();
    if (a.expect !== undefined) {
      if (!JSON.stringify(s).includes(a.expect)) throw new Error(`addContact: expected "${a.expect}" on screen, found ${describeScreen(s)}`);
    } else if (s.id !== 'directory') throw new Error(`addContact: not saved: ${describeScreen(s)}`);
  },
};

export const searchDirectory: StepKind<{ name: string; matches?: number; contains?: string }> = {
  name: 'searchDirectory',
  help: 'Contacts > Local Directory: type part of a name (multi-tap); check the number of matches and/or a line shown',
  example: { name: 'tur', matches: 1, contains: 'Alan Turing' },
  parse: (a) => {
    const o = fields(a, ['name', 'matches', 'contains'], 'searchDirectory');
    return { name: asString(o.name, 'searchDirectory.name'), matches: optionalCount(o.matches, 'searchDirectory.matches'), contains: optionalString(o.contains, 'searchDirectory.contains') };
  },
  label: (a) => `search the directory for "${a.name}"`,
  run: async ({ phone }, a) => {
    await openLocalDirectory(phone);
    await typeText(phone, a.name, true);
    const s = phone.screen();
    if (a.matches !== undefined && shownMatches(s) !== a.matches) throw new Error(`searchDirectory "${a.name}": expected ${a.matches} matches, found ${describeScreen(s)}`);
    if (a.contains !== undefined && !s.lines.some((l) => l.includes(a.contains!))) throw new Error(`searchDirectory "${a.name}": no line with "${a.contains}" in ${describeScreen(s)}`);
  },
};

export const directorySteps: StepKind[] = [directoryFiles, addContact, searchDirectory];

/**
 * Matches of a search: the count in the title, "Local Directory (n/m)"; where the display cut the
 * title (desk-99, beside its clock) and the list does not scroll, the entries below the search line.
 */
function shownMatches(s: ScreenText): number | null {
  const m = /\((\d+)\/\d+\)/.exec(s.title);
  if (m) return Number(m[1]);
  if (!s.cut?.includes('title') || s.more) return null;
  return s.lines.filter((l) => l !== '' && !l.startsWith('Search:')).length;
}
