/**
 * User profiles on the simulated phone (QuickJS), phone-based
 * authentication against `<user>.cfg` served from USER_PROFILES_DIRECTORY.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findRawStrings } from '../../sim/forensics/scan';
import { inspectImage } from '../../sim/cli/commands/inspect';
import { bootOn, cfg, idleNotice, loginAt, logLines, OTHER_USER, profileFolder, until, USER, USER_PASSWORD } from './login-fixture';
import * as crypto from 'crypto';

test('prov.login.enabled=0 (default): no Login soft key, the phone works as before', async () => {
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  const phone = await bootOn(folder);
  try {
    assert.equal(phone.screen().softKeys[0], '');
    assert.equal(idleNotice(phone), '');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('login with the password of <user>.cfg; wrong password and unknown user refused alike; every attempt logged', async () => {
  const folder = profileFolder({});
  const phone = await bootOn(folder);
  try {
    assert.equal(phone.screen().softKeys[0], 'Login');
    assert.equal(await loginAt(phone, USER, '1111'), 'Incorrect user ID or password');
    assert.equal(await loginAt(phone, OTHER_USER, USER_PASSWORD), 'Incorrect user ID or password');
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    assert.equal(idleNotice(phone), `User: ${USER}`);
    assert.equal(phone.screen().softKeys[0], 'Logout');
    const attempts = logLines(phone, /\|auth\|\d\|\d+\|login attempt: phone login/);
    assert.equal(attempts.length, 3, attempts.join('\n'));
    assert.match(attempts[0], new RegExp(`by ${USER}: failure \\(wrong password`));
    assert.match(attempts[1], new RegExp(`by ${OTHER_USER}: failure \\(no ${OTHER_USER}.cfg`));
    assert.match(attempts[2], new RegExp(`by ${USER}: success`));
    assert.not.ok(phone.log().some((l) => l.includes(USER_PASSWORD) || l.includes('1111')), 'no password in the log');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('a malformed <user>.cfg or <user>-phone.cfg refuses the login with a logged reason (no fallback to another password)', async () => {
  const folder = profileFolder({});
  const phone = await bootOn(folder);
  try {
    folder.write(`users/${USER}.cfg`, '<polycomConfig prov.login.localPassword="2468"');
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'User profile unreadable');
    assert.ok(logLines(phone, /\|login\|4\|.*login of 73519: 73519\.cfg refused/).length === 1, phone.log().slice(-5).join('\n'));
    folder.write(`users/${USER}.cfg`, cfg({ 'prov.login.localPassword': USER_PASSWORD }));
    folder.write(`overrides/${USER}-phone.cfg`, '<PHONE_CONFIG><OVERRIDES prov.login.localPassword=');
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'User profile unreadable');
    folder.write(`overrides/${USER}-phone.cfg`, cfg({ 'prov.login.localPassword': '8642' }));
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'Incorrect user ID or password', '<user>-phone.cfg wins over <user>.cfg');
    assert.equal(await loginAt(phone, USER, '8642'), 'ok');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('prov.login.localPassword.hash=1: <user>.cfg holds the SHA-1 hex of the password', async () => {
  const sha1 = crypto.createHash('sha1').update('97531').digest('hex');
  const folder = profileFolder({}, { [USER]: { 'prov.login.localPassword': sha1, 'prov.login.localPassword.hash': '1' } });
  const phone = await bootOn(folder);
  try {
    assert.equal(await loginAt(phone, USER, sha1.slice(0, 5).replace(/\D/g, '1')), 'Incorrect user ID or password');
    assert.equal(await loginAt(phone, USER, '97531'), 'ok');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('the user\'s <user>.cfg takes effect at login and leaves at logout; Logout clears the user from the raw flash', async () => {
  const folder = profileFolder({}, { [USER]: { 'prov.login.localPassword': USER_PASSWORD, 'up.echoPasswordDigits': '0' } });
  const phone = await bootOn(folder);
  try {
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    assert.ok(logLines(phone, /\|cfg\|.*up\.echoPasswordDigits: "1" -> "0"/).length > 0, 'the user file applied');
    const needle = `user/${USER}/`;
    assert.ok(findRawStrings(phone.dumpFlash(), [needle]).length > 0, 'the user\'s files are on flash while logged in');
    const classesOf = () => (inspectImage(phone.dumpFlash(), phone.profile).partitions.find((p) => p.name === 'fs') as unknown as { classes: Record<string, unknown> }).classes;
    assert.ok(classesOf().userProfile, 'userProfile records while logged in');
    await phone.press('soft1'); // Logout
    assert.equal(phone.screen().softKeys[0], 'Login');
    assert.equal(idleNotice(phone), '');
    assert.ok(logLines(phone, /\|cfg\|.*up\.echoPasswordDigits: "0" -> "1"/).length > 0, 'the user file left');
    assert.equal(findRawStrings(phone.dumpFlash(), [needle, 'login/session']), [], 'nothing of the user left in the raw flash');
    // What `phone inspect` reports: no userProfile records left, live or stale.
    assert.equal(classesOf().userProfile, undefined);
    assert.ok(logLines(phone, new RegExp(`\\|login\\|.*${USER}: userProfile erased`)).length > 0);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('prov.login.persistent=0: a reboot logs the user out, a power cut does not; =1: a reboot keeps them', async () => {
  for (const persistent of ['0', '1']) {
    const folder = profileFolder({ 'prov.login.persistent': persistent });
    const phone = await bootOn(folder);
    try {
      assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
      phone.cutPower();
      await phone.powerOn();
      await phone.settle();
      assert.equal(idleNotice(phone), `User: ${USER}`, `power cut, persistent=${persistent}`);
      await phone.reboot('test');
      await phone.settle();
      if (persistent === '1') assert.equal(idleNotice(phone), `User: ${USER}`, 'reboot, persistent=1');
      else {
        assert.equal(idleNotice(phone), '', 'reboot, persistent=0');
        assert.equal(findRawStrings(phone.dumpFlash(), [`user/${USER}/`]), []);
      }
    } finally {
      phone.dispose();
      folder.remove();
    }
  }
});

test('prov.login.automaticLogout: the user is logged out after that many minutes of virtual time', async () => {
  const folder = profileFolder({ 'prov.login.automaticLogout': '30' });
  const phone = await bootOn(folder);
  try {
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    await phone.advance(29 * 60_000);
    assert.equal(idleNotice(phone), `User: ${USER}`);
    await phone.advance(61_000);
    assert.equal(idleNotice(phone), '');
    assert.ok(logLines(phone, /automatic logout of 73519 after 30 min/).length === 1);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('remote logout: check-sync NOTIFY with profileLogout=remote', async () => {
  const folder = profileFolder({});
  const phone = await bootOn(folder);
  try {
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    phone.farEnd.notify('check-sync', { profileLogout: 'remote' });
    await phone.settle();
    assert.equal(idleNotice(phone), '');
    assert.ok(logLines(phone, /\|auth\|5\|.*remote logout of 73519/).length === 1);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('prov.login.required=1: "Login required", menus closed until someone logs in', async () => {
  const folder = profileFolder({ 'prov.login.required': '1' });
  const phone = await bootOn(folder);
  try {
    assert.equal(idleNotice(phone), 'Login required');
    await phone.press('soft4'); // Menu
    assert.equal(phone.screen().id, 'login');
    assert.equal(phone.screen().softKeys[3], '', 'no Cancel');
    await phone.press('home');
    assert.equal(phone.screen().id, 'login', 'home does not leave the login screen');
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    await phone.press('soft4');
    assert.equal(phone.screen().id, 'menu');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('prov.login.required=1: a call from the directory is refused while locked, an emergency number is not', async () => {
  const folder = profileFolder({ 'prov.login.required': '1' });
  folder.write('contacts/000000000000-directory.xml', '<directory><item_list><item><fn>Phoebe</fn><ln>Frontdesk</ln><ct>5550100</ct></item><item><fn>Emergency</fn><ct>911</ct></item></item_list></directory>\n');
  const phone = await bootOn(folder);
  try {
    await until(phone, () => logLines(phone, /\|dir\|.*merged 0 local and 2 global contacts/).length > 0, 'the global directory');
    assert.equal(idleNotice(phone), 'Login required');
    await phone.press('directory');
    assert.match(phone.screen().title, /^Local Directory/, phone.screen().lines.join(' | '));
    const focusOn = async (text: string) => {
      for (let i = 0; i < 3 && !(phone.screen().lines[phone.screen().focus] ?? '').includes(text); i++) await phone.press('down');
      assert.ok((phone.screen().lines[phone.screen().focus] ?? '').includes(text), `focus on ${text}: ${phone.screen().lines.join(' | ')}`);
    };
    await focusOn('Phoebe');
    await phone.press('soft1'); // Call
    assert.equal(phone.farEnd.calls().length, 0, 'no call placed while the phone is locked');
    assert.ok(logLines(phone, /dial 5550100 refused: phone locked/).length === 1);
    await focusOn('Emergency');
    await phone.press('soft1');
    assert.equal(phone.farEnd.calls().map((c) => c.remote), ['911'], 'the emergency number goes through');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('prov.login.required=1: a number of a line\'s dial plan (dialplan.2.routing.emergency.1.value) goes through while locked', async () => {
  const folder = profileFolder({ 'prov.login.required': '1', 'dialplan.2.routing.emergency.1.value': '5550199' });
  folder.write('contacts/000000000000-directory.xml', '<directory><item_list><item><fn>Phoebe</fn><ln>Frontdesk</ln><ct>5550100</ct></item><item><fn>Security</fn><ct>5550199</ct></item></item_list></directory>\n');
  const phone = await bootOn(folder);
  try {
    await until(phone, () => logLines(phone, /\|dir\|.*merged 0 local and 2 global contacts/).length > 0, 'the global directory');
    await phone.press('directory');
    for (let i = 0; i < 3 && !(phone.screen().lines[phone.screen().focus] ?? '').includes('Security'); i++) await phone.press('down');
    await phone.press('soft1'); // Call
    assert.equal(phone.farEnd.calls().map((c) => c.remote), ['5550199'], 'the line 2 emergency number goes through');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('prov.login.defaultUser / defaultPassword: logged in at boot and again after another user logs out', async () => {
  const folder = profileFolder({ 'prov.login.defaultUser': OTHER_USER, 'prov.login.defaultPassword': '555' }, {
    [USER]: { 'prov.login.localPassword': USER_PASSWORD },
    [OTHER_USER]: { 'prov.login.localPassword': '555' },
  });
  const phone = await bootOn(folder);
  try {
    // The boot cycle brought the configuration; the next boot logs the default user in from cached configuration.
    await until(phone, () => idleNotice(phone) === `User: ${OTHER_USER}`, 'default user login');
    assert.equal(phone.screen().softKeys[0], 'Login', 'the default user has no Logout');
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    assert.equal(idleNotice(phone), `User: ${USER}`);
    await phone.press('soft1'); // Logout
    await until(phone, () => idleNotice(phone) === `User: ${OTHER_USER}`, 'default user back');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('prov.login.defaultPassword: a wrong one keeps the default user out (logged), the phone stays usable', async () => {
  const folder = profileFolder({ 'prov.login.defaultUser': OTHER_USER, 'prov.login.defaultPassword': '556' }, { [OTHER_USER]: { 'prov.login.localPassword': '555' } });
  const phone = await bootOn(folder);
  try {
    await until(phone, () => logLines(phone, /default user 84620 could not log in: wrong password/).length > 0, 'the refused default login');
    assert.equal(idleNotice(phone), '');
    assert.equal(phone.screen().softKeys[0], 'Login');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('prov.login.defaultOnly=1: only the default user may log in', async () => {
  const folder = profileFolder({ 'prov.login.defaultOnly': '1', 'prov.login.defaultUser': OTHER_USER });
  const phone = await bootOn(folder);
  try {
    assert.equal(phone.screen().softKeys[0], '', 'no Login key');
    assert.ok(logLines(phone, /default user 84620 could not log in|84620 logged in/).length > 0);
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('a user ID from configuration that is not a safe file name is refused with a clear message', async () => {
  const folder = profileFolder({ 'prov.login.defaultUser': '../../cfg/master' });
  const phone = await bootOn(folder);
  try {
    assert.equal(idleNotice(phone), '');
    assert.ok(logLines(phone, /login attempt: default user login .*refused \(user id contains a path separator\)/).length > 0, phone.log().slice(-10).join('\n'));
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('a user changes their password on the phone: stored in <user>-phone.cfg on the server, valid at the next login', async () => {
  const folder = profileFolder({});
  const phone = await bootOn(folder);
  try {
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    await phone.press('soft4'); // Menu
    await phone.pressAll(['1', '1']); // Settings > Basic
    const basic = phone.screen().lines;
    const entry = basic.findIndex((l) => l.includes('Change User Password'));
    assert.ok(entry >= 0, basic.join('|'));
    await phone.press(String(entry + 1) as never);
    await phone.pressAll([...USER_PASSWORD.split(''), 'soft1', '1', '3', '5', '7', 'soft1', '1', '3', '5', '7', 'soft1'] as never);
    assert.equal(phone.screen().lines[0], 'Password changed');
    await phone.advance(3000); // override uploads are debounced
    await until(phone, () => (folder.read(`overrides/${USER}-phone.cfg`) ?? '').includes('prov.login.localPassword="1357"'), 'upload of the user override file');
    await phone.press('home');
    await phone.press('soft1'); // Logout
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'Incorrect user ID or password');
    assert.equal(await loginAt(phone, USER, '1357'), 'ok');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test('a user ID with letters, typed by multi-tap after the ABC key', async () => {
  const folder = profileFolder({}, { bob: { 'prov.login.localPassword': '42' } });
  const phone = await bootOn(folder);
  try {
    await phone.press('soft1'); // Login
    assert.equal(phone.screen().softKeys[2], 'abc');
    assert.equal(phone.screen().status, '123', 'the mode indicator');
    await phone.pressAll(['soft3', '2', '2', '6', '6', '6', '2', '2']);
    assert.equal(phone.screen().lines[0], 'User ID: bob_');
    await phone.pressAll(['down', '4', '2', 'soft1']);
    await until(phone, () => phone.screen().id === 'idle', 'login');
    assert.equal(idleNotice(phone), 'User: bob');
  } finally {
    phone.dispose();
    folder.remove();
  }
});

test.run();
