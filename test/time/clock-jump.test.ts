/**
 * Wall-clock jumps (an SNTP step, a manual set) by hours, forward and back:
 * timers run on monotonic time (no burst of callbacks, none skipped), the
 * automatic logout keeps its monotonic deadline even when re-armed after the
 * jump, and log timestamps stay UTC (the GMT offset only changes what is shown).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootOn, cfg, idleNotice, loginAt, logLines, profileFolder, READ_LOGS_IN_CLEAR, until, USER, USER_PASSWORD } from '../login/login-fixture';

const MIN = 60_000;
const HOUR = 60 * MIN;

test('jumps forward and back by hours: no burst of timer callbacks, auto-logout on its monotonic deadline, UTC log stamps', async () => {
  const site = { 'prov.login.automaticLogout': '30', 'tcpIpApp.sntp.gmtOffset': '3600', 'tcpIpApp.sntp.daylightSavings.enable': '0' };
  const folder = profileFolder(site);
  const phone = await bootOn(folder);
  // Watched, as a desk phone's panel is: the minute frames come at their time, so they can be counted.
  const unwatch = phone.onScreen(() => {});
  try {
    assert.equal(await loginAt(phone, USER, USER_PASSWORD), 'ok');
    const loginMono = phone.devices.clock.monotonic();
    await phone.advance(10 * MIN);

    // Forward 5 hours: one redraw per minute after it, not five hours' worth at once.
    phone.devices.clock.setWallTime(phone.devices.clock.now() + 5 * HOUR);
    let blits = phone.devices.display.blits;
    await phone.advance(5 * MIN);
    assert.ok(phone.devices.display.blits - blits <= 10, `redraws in 5 minutes after the jump (a burst would be hundreds): ${phone.devices.display.blits - blits}`);
    assert.equal(idleNotice(phone), `User: ${USER}`, 'still logged in: 15 of 30 minutes have passed');

    // A configuration change re-arms the automatic logout after the jump: its deadline stays on monotonic time.
    folder.write('site.cfg', cfg({ 'prov.login.enabled': '1', ...READ_LOGS_IN_CLEAR, ...site, 'prov.login.automaticLogout': '40' }));
    phone.farEnd.notify('check-sync');
    await until(phone, () => logLines(phone, /prov\.login\.automaticLogout: "30" -> "40"/).length === 1, 'the new automaticLogout');
    await phone.advance(MIN);
    assert.equal(idleNotice(phone), `User: ${USER}`, 'the forward jump does not end the session');

    // Back 3 hours: timers neither stall for 3 hours nor fire in a burst.
    phone.devices.clock.setWallTime(phone.devices.clock.now() - 3 * HOUR);
    blits = phone.devices.display.blits;
    await phone.advance(5 * MIN);
    assert.ok(phone.devices.display.blits - blits >= 4 && phone.devices.display.blits - blits <= 10, `redraws in 5 minutes after jumping back: ${phone.devices.display.blits - blits}`);

    const due = loginMono + 40 * MIN;
    await phone.advance(due - phone.devices.clock.monotonic() - MIN);
    assert.equal(idleNotice(phone), `User: ${USER}`, 'a minute before the monotonic deadline');
    await phone.advance(2 * MIN);
    assert.equal(idleNotice(phone), '', 'logged out at the monotonic deadline');
    const [line] = logLines(phone, /automatic logout of 73519 after 40 min/);
    assert.ok(line, phone.log().slice(-10).join('\n'));

    // Log stamps are the HAL wall clock in UTC (Z), not local time (GMT+1 here).
    const stamp = Date.parse(line.split('|')[0]);
    assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\|/);
    assert.ok(Math.abs(phone.devices.clock.now() - stamp) <= 2 * MIN, `${line} vs ${new Date(phone.devices.clock.now()).toISOString()}`);
    assert.equal(phone.faults, []);
  } finally {
    unwatch();
    phone.dispose();
    folder.remove();
  }
});

test.run();
