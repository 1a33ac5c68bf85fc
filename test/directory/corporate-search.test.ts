/** Corporate directory search against a recording fake LDAP client (no server): what is asked, and what is refused before asking. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inEnglish } from '../../firmware/ui/i18n/messages';
import type { LdapSearchRequest } from '../../hal/contract';
import { CorporateDirectory, type CorporateSettings } from '../../firmware/directory/corporate-directory';

function settings(attributes: CorporateSettings['attributes']): CorporateSettings {
  return { address: 'ldap.example', port: 389, transport: 'TCP', baseDn: 'dc=example', user: '', password: '', filterPrefix: '', scope: 'sub', pageSize: 10, attributes };
}

function rig(attributes: CorporateSettings['attributes']): { dir: CorporateDirectory; asked: LdapSearchRequest[]; logged: string[] } {
  const asked: LdapSearchRequest[] = [];
  const logged: string[] = [];
  const ldap = { search: async (r: LdapSearchRequest) => { asked.push(r); return []; } };
  return { dir: new CorporateDirectory(ldap, () => settings(attributes), (m) => logged.push(m)), asked, logged };
}

test('no attribute typed first_name or last_name: refused with the reason, no malformed "(|)" filter sent', async () => {
  const r = rig([{ name: 'telephoneNumber', type: 'phone_number' }]);
  const result = await r.dir.search('smi');
  assert.equal(r.asked, []);
  assert.is(result.ok, false);
  assert.match(result.ok ? '' : inEnglish(result.error), /name attribute/i);
});

test('name attributes: one OR filter over them, the typed text escaped', async () => {
  const r = rig([{ name: 'sn', type: 'last_name' }, { name: 'givenName', type: 'first_name' }, { name: 'telephoneNumber', type: 'phone_number' }]);
  const result = await r.dir.search('a*(');
  assert.is(result.ok, true);
  assert.is(r.asked[0].filter, '(|(sn=a\\2a\\28*)(givenName=a\\2a\\28*))');
});

test.run();
