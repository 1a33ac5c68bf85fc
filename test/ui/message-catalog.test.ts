/**
 * The message catalog: every key is used by the firmware, the translations
 * hold only English keys with the same placeholders, a missing translation
 * shows in English, no screen file (found by scanning firmware/) has inline text,
 * and names are ordered family name first where the language says so.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { EN, type MessageKey } from '../../firmware/ui/i18n/catalog-en';
import { germanCatalog } from '../../firmware/ui/i18n/catalog-de';
import { chineseCatalog } from '../../firmware/ui/i18n/catalog-zh';
import { inEnglish, LANGUAGES, languageOf, message, setLanguage, shown, t, tLabel } from '../../firmware/ui/i18n/messages';
import { contactProblem } from '../../firmware/directory/contact';
import { lineLabel } from '../../firmware/lines/sip-accounts';
import { userIdProblem } from '../../firmware/login/user-id';
import { formatDate } from '../../firmware/time/date-time-format';
import { authRig } from '../auth/auth-fixture';
import { familyNameFirst, personName } from '../../firmware/ui/i18n/person-name';
import { displayName } from '../../firmware/directory/contact';
import { inlineText, showsText } from './inline-text';

const FIRMWARE = path.resolve(__dirname, '..', '..', 'firmware');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.includes(`${path.sep}i18n${path.sep}`) ? [p] : [];
  });
}

const code = sources(FIRMWARE).map((f) => fs.readFileSync(f, 'utf8')).join('\n');

test('every catalog key is used by the firmware (labels: declared menu entries and wizard steps)', () => {
  const unused = (Object.keys(EN) as MessageKey[]).filter((key) => {
    // A short form (i18n/short-forms.ts) is used wherever its text is.
    if (key.endsWith('.short')) return !code.includes(`'${key.slice(0, -'.short'.length)}'`);
    const label = /^(menu|wizard\.step)\.(.*)$/.exec(key);
    if (label && key !== 'menu.empty') return !code.includes(`'${label[2]}'`);
    return !code.includes(`'${key}'`);
  });
  assert.equal(unused, []);
});

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

for (const [name, catalog] of [['German', germanCatalog()], ['Chinese', chineseCatalog()]] as const) {
  test(`${name}: only English keys, each with the same placeholders; complete for the screens moved`, () => {
    for (const [key, text] of Object.entries(catalog)) {
      assert.ok(key in EN, `${key} is not an English key`);
      assert.equal(placeholders(text!), placeholders(EN[key as MessageKey]), key);
    }
    assert.equal(Object.keys(EN).filter((k) => !(k in catalog)), [], 'untranslated keys');
  });
}

test('a missing translation shows in English; placeholders are filled', () => {
  try {
    setLanguage({ code: 'de', polycom: 'test', name: 'test', catalog: { 'idle.menu': 'Menü' } });
    assert.is(t('idle.menu'), 'Menü');
    assert.is(t('softkey.cancel'), 'Cancel', 'falls back to English');
    assert.is(t('idle.missedCalls', { count: 3 }), 'Missed calls: 3');
    assert.is(tLabel('menu.', 'A label no catalog has'), 'A label no catalog has');
  } finally {
    setLanguage(LANGUAGES[0]);
  }
});

test('German and Chinese catalogs are built when first read, once (a phone showing English holds neither)', () => {
  for (const language of LANGUAGES.slice(1)) {
    assert.type(Object.getOwnPropertyDescriptor(language, 'catalog')?.get, 'function', `${language.code}: read through a getter`);
    assert.is(language.catalog, language.catalog, `${language.code}: built once`);
    assert.equal(language.catalog, language.code === 'de' ? germanCatalog() : chineseCatalog());
  }
  assert.is(LANGUAGES[0].catalog, EN);
});

test('lcl.ml.lang values: Polycom names and ISO codes, any case; empty is English; others are none of ours', () => {
  assert.is(languageOf('Deutsch_Deutschland')?.code, 'de');
  assert.is(languageOf('chinese_china')?.code, 'zh');
  assert.is(languageOf('zh')?.code, 'zh');
  assert.is(languageOf('')?.code, 'en');
  assert.is(languageOf('Klingon'), null);
  // Real fleet files name regions this phone has no catalog of: their language is still ours.
  assert.is(languageOf('English_United_Kingdom')?.code, 'en');
  assert.is(languageOf('Deutsch_Schweiz')?.code, 'de');
  assert.is(languageOf('Chinese_Taiwan')?.code, 'zh');
  assert.is(languageOf('Francais_France'), null);
});

/** Every firmware file that shows something (found by scanning, so a new screen is covered the day it is written). */
const SCREEN_FILES = sources(FIRMWARE).filter((f) => showsText(fs.readFileSync(f, 'utf8')));

test('the scan finds the screen files: screens, message boxes, password prompts, status lines', () => {
  const found = SCREEN_FILES.map((f) => path.relative(FIRMWARE, f).split(path.sep).join('/'));
  for (const file of ['ui/idle-screen.ts', 'directory/contact-edit-screen.ts', 'reset/reset-screens.ts', 'provisioning/provisioning-server-screen.ts', 'auth/change-password-screens.ts', 'analytics/analytics-status-screen.ts', 'directory/directory-module.ts', 'main.ts']) {
    assert.ok(found.includes(file), file);
  }
});

test('the inline-text check catches what a screen shows inline, and passes keys, logs and declared labels', () => {
  const caught = inlineText([
    "return { id: 'x', title: 'Contact', lines: [`Name: ${n}`, '(no match)'], softKeys: ['Add +', '', '', t('softkey.back')], focus: -1 };",
    "if (c.ar === '1') lines.push('auto-reject on');",
    "nav.push(new MessageScreen(tLabel('menu.', 'Contacts'), ['The directory is read-only']));",
  ].join('\n'));
  assert.equal(caught, ['1: Contact', '1: Name: {}', '1: (no match)', '1: Add +', '2: auto-reject on', '3: The directory is read-only']);
  assert.equal(inlineText([
    "log.notice(`Restrict Personal Data Upload turned ${on ? 'on' : 'off'} at the phone`);",
    "{ menu: ['Settings', 'Basic'], label: 'My Data', screen: 'reset.myData', access: 'user' },",
    "timers.after(0, 'boot provisioning', run); bus.emit('prov:upload', x); const v = get('device.system.recoveryType') ?? 'FullRecovery';",
    "open: (step) => (step === 'Language' ? 'language' : 'other'),",
    "lines: [t('restrict.state', { state: t(on ? 'restrict.on' : 'restrict.off') })],",
  ].join('\n')), []);
});

test('no screen file has inline text in what it shows', () => {
  for (const file of SCREEN_FILES) {
    assert.equal(inlineText(fs.readFileSync(file, 'utf8')), [], path.relative(FIRMWARE, file));
  }
});

/**
 * Services whose refusals and labels reach a screen: they hand over catalog
 * messages (key and values), never text, and the audit keeps English.
 */
const SERVICE_FILES = ['directory/directory-service.ts', 'directory/corporate-directory.ts', 'directory/contact.ts', 'auth/auth-service.ts', 'auth/password-policy.ts', 'lines/line-registrations.ts', 'login/login-service.ts', 'login/user-id.ts'];

test('services hand screens catalog messages, not inline text (directory, corporate directory, passwords, line labels, user login)', () => {
  for (const file of SERVICE_FILES) assert.equal(inlineText(fs.readFileSync(path.join(FIRMWARE, file), 'utf8')), [], file);
  assert.not.match(fs.readFileSync(path.join(FIRMWARE, 'lines', 'sip-accounts.ts'), 'utf8'), /`Line \$\{/, 'the default line label comes from the catalog');
});

test('a service message is shown in the phone\'s language and audited in English', () => {
  const rig = authRig();
  try {
    setLanguage(LANGUAGES.find((l) => l.code === 'de')!);
    const shownTexts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = rig.auth.tryMenuPassword('Advanced', 'admin', '000');
      if (r.kind === 'refused') shownTexts.push(shown(r.message));
    }
    assert.equal(shownTexts, ['Falsches Passwort', 'Falsches Passwort', 'Falsches Passwort. 5 s warten', '5 s warten']);
    const audit = rig.lines.filter((l) => l.includes('|auth|'));
    assert.ok(audit.some((l) => /wait 5 s/.test(l)), audit.join('\n'));
    assert.not.ok(audit.some((l) => /warten|Passwort/.test(l)), 'no German in the audit trail');
    assert.is(shown(rig.auth.change('admin', '1', '2')!), 'Passwörter stimmen nicht überein');
    const problem = contactProblem({ fn: 'x'.repeat(41), ct: '1' })!;
    assert.is(shown(problem), 'Vorname zu lang', 'a field name inside a message is translated too');
    assert.is(inEnglish(problem), 'First name too long');
    assert.is(lineLabel({ get: () => undefined }, 2), 'Leitung 2');
    setLanguage(LANGUAGES.find((l) => l.code === 'zh')!);
    assert.is(shown(message('contact.error.full', { max: 99 })), '目录已满（99 个联系人）');
  } finally {
    setLanguage(LANGUAGES[0]);
  }
});

test('the idle date and a login refusal in German and Chinese; English stays the default', () => {
  const thursday = Date.UTC(2026, 0, 1, 9);
  assert.is(formatDate(thursday, 'D,dM', true), 'Thursday, 1 January');
  try {
    setLanguage(LANGUAGES.find((l) => l.code === 'de')!);
    assert.is(formatDate(thursday, 'D,dM', true), 'Donnerstag, 1 Januar');
    assert.is(formatDate(thursday, 'D,dM', false), 'Do, 1 Jan');
    const problem = userIdProblem('bob smith')!;
    assert.is(shown(problem), 'Benutzer-ID enthält " ": nur Buchstaben, Ziffern und . _ @ - erlaubt');
    assert.is(inEnglish(problem), 'User ID contains " ": only letters, digits and . _ @ - are allowed', 'logged and audited in English');
    setLanguage(LANGUAGES.find((l) => l.code === 'zh')!);
    assert.is(formatDate(thursday, 'Md,D', true), '一月 1, 星期四');
  } finally {
    setLanguage(LANGUAGES[0]);
  }
});

test('family name first in zh, ja, ko and hu; CJK names without a space', () => {
  assert.equal(['zh', 'ja', 'ko', 'hu', 'en', 'de'].map(familyNameFirst), [true, true, true, true, false, false]);
  assert.is(personName('伟', '张', 'zh'), '张伟');
  assert.is(personName('太郎', '山田', 'ja'), '山田太郎');
  assert.is(personName('민준', '김', 'ko'), '김민준');
  assert.is(personName('Anna', 'Kovács', 'hu'), 'Kovács Anna');
  assert.is(personName('Ada', 'Lovelace', 'zh'), 'Lovelace Ada');
  assert.is(personName('Ada', 'Lovelace', 'de'), 'Ada Lovelace');
  assert.is(personName('', 'Lovelace', 'en'), 'Lovelace');
});

test('contacts are shown in the order of the phone\'s language', () => {
  try {
    setLanguage(LANGUAGES.find((l) => l.code === 'zh')!);
    assert.is(displayName({ fn: '伟', ln: '张', ct: '2001' }), '张伟');
    setLanguage(LANGUAGES[0]);
    assert.is(displayName({ fn: 'Zoë', ln: 'Brown', ct: '2002' }), 'Zoë Brown');
  } finally {
    setLanguage(LANGUAGES[0]);
  }
});

test.run();
