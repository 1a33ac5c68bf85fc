/**
 * The English message catalog: every UI string of the screens moved to the
 * catalog, by key. English is complete; the other languages may leave keys
 * out (they fall back to English). `{name}` marks a value filled in at run time.
 * Menu entries are keyed `menu.<label as declared>`.
 */
export const EN = {
  'idle.menu': 'Menu',
  'idle.line': 'Line 1: {state}',
  'idle.missedCalls': 'Missed calls: {count}',
  'status.ringing': 'Ringing',
  'line.registered': 'registered',
  'line.registering': 'registering',
  'line.failed': 'registration failed',
  'line.notRegistered': 'not registered',
  'line.hostFailed': 'failed',
  'menu.Menu': 'Menu',
  'menu.empty': '(empty)',
  'menu.Settings': 'Settings',
  'menu.Basic': 'Basic',
  'menu.Advanced': 'Advanced',
  'menu.Administration Settings': 'Administration Settings',
  'menu.Reset to Defaults': 'Reset to Defaults',
  'menu.Status': 'Status',
  'menu.Language': 'Language',
  'password.title': 'Password',
  'password.field': 'Password: {masked}',
  'password.gate': '{label} ({access} password)',
  'softkey.enter': 'Enter',
  'softkey.ok': 'OK',
  'softkey.delete': 'Delete',
  'softkey.cancel': 'Cancel',
  'softkey.select': 'Select',
  'softkey.back': 'Back',
  'softkey.finish': 'Finish',
  'wizard.title': 'Out-of-Box Setup',
  'wizard.done': '{step} (done)',
  'wizard.finish': 'Finish',
  'wizard.step.Language': 'Language',
  'wizard.step.Provisioning Server': 'Provisioning Server',
  'wizard.step.Admin Password': 'Admin Password',
  'language.title': 'Language',
  'language.current': '{language} (current)',
} as const;

export type MessageKey = keyof typeof EN;
export type Catalog = Partial<Record<MessageKey, string>>;
