/**
 * Server-based authentication of user profiles (`prov.login.useProvAuth=1`)
 * against a real nginx with basic auth: the user's credentials are checked
 * by the server, then replace the generic ones for provisioning; after
 * logout the generic account is used again; persistent across a reboot.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { guardedBefore } from '../helpers/guarded-setup';
import { cfg, cycleLines, cycles, phoneAt, PASSWORD, USER as GENERIC } from '../provisioning/provisioning-fixture';
import { NginxServer } from '../servers/nginx';
import { idleNotice, loginAt, logLines, READ_LOGS_IN_CLEAR, USER, USER_PASSWORD } from './login-fixture';

let server: NginxServer;

guardedBefore(test, async () => {
  server = await NginxServer.start({ auth: [{ user: GENERIC, password: PASSWORD }, { user: USER, password: USER_PASSWORD }] });
});

test.after(async () => {
  await server?.stop();
});

const MASTER = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<APPLICATION APP_FILE_PATH="" CONFIG_FILES="site.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="logs" OVERRIDES_DIRECTORY="overrides"
  CONTACTS_DIRECTORY="contacts" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="users" CALL_LISTS_DIRECTORY="calls" COREFILE_DIRECTORY=""/>
`;

test('user credentials checked by the server, then used for provisioning; the generic account again after logout', async () => {
  server.put('000000000000.cfg', MASTER);
  server.put('site.cfg', cfg({ 'prov.login.enabled': '1', 'prov.login.useProvAuth': '1', 'prov.login.persistent': '1', ...READ_LOGS_IN_CLEAR }));
  server.put(`users/${USER}.cfg`, cfg({ 'up.echoPasswordDigits': '0' }));
  const phone = await phoneAt(server);
  try {
    assert.equal(await loginAt(phone, USER, '1111'), 'Incorrect user ID or password');
    assert.ok(server.accessLog().some((e) => e.uri === `/users/${USER}.cfg` && e.status === 401), 'the server refused the wrong password');
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    assert.equal(idleNotice(phone), `User: ${USER}`);
    assert.ok(server.accessLog().some((e) => e.uri === `/users/${USER}.cfg` && e.status === 200 && e.user === USER));
    await cycles(phone, 2); // boot cycle, then the one the login started
    const asUser = server.accessLog().filter((e) => e.uri === '/000000000000.cfg' && e.user === USER);
    assert.ok(asUser.length >= 1, 'the provisioning cycle after login used the user\'s credentials');
    assert.ok(logLines(phone, /\|cfg\|.*up\.echoPasswordDigits: "1" -> "0" \(73519\.cfg\)/).length === 1);

    // Persistent: after a reboot the server still sees the user.
    const beforeReboot = cycleLines(phone).length;
    await phone.reboot('test');
    await cycles(phone, beforeReboot + 1);
    assert.equal(idleNotice(phone), `User: ${USER}`);
    const before = server.accessLog().length;
    const cyclesBefore = cycleLines(phone).length;
    await phone.press('soft1'); // Logout
    await cycles(phone, cyclesBefore + 1);
    const after = server.accessLog().slice(before).filter((e) => e.uri === '/000000000000.cfg');
    assert.ok(after.length >= 1 && after.every((e) => e.user === GENERIC), JSON.stringify(after));
    assert.equal(idleNotice(phone), '');
  } finally {
    phone.dispose();
  }
});

test('a failing server (503, HTML page, no answer) refuses the login with a logged reason; nobody is logged in', async () => {
  server.put('000000000000.cfg', MASTER);
  server.put('site.cfg', cfg({ 'prov.login.enabled': '1', 'prov.login.useProvAuth': '1', ...READ_LOGS_IN_CLEAR }));
  server.put(`users/${USER}.cfg`, cfg({}));
  const phone = await phoneAt(server);
  try {
    for (const fault of ['503', 'html', 'timeout'] as const) {
      // nginx's HTML fault page has no per-URI switch: every request gets it.
      server.setFault(fault, fault === 'html' ? undefined : `/users/${USER}.cfg`);
      assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'Cannot get the user profile', fault);
      assert.equal(idleNotice(phone), '(not idle: login)');
    }
    assert.equal(logLines(phone, /\|login\|4\|.*login of 73519: /).length, 3);
    server.setFault(null);
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
  } finally {
    server.setFault(null);
    phone.dispose();
  }
});

test.run();
