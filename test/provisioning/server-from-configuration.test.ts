/**
 * A QuickJS phone moved to another provisioning server by configuration
 * (Polycom device parameters): server A's files carry device.set=1 and
 * device.prov.serverName / .user / .password with their .set=1; the phone
 * stores them in device settings, reboots once, and from then on provisions
 * from server B with B's credentials (two real nginx). The password never
 * reaches the log.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NginxServer } from '../servers/nginx';
import { guardedBefore } from '../helpers/guarded-setup';
import { advanceUntil } from '../helpers/sim';
import { PASSWORD, USER, cfg, cycleLines, masterCfg, phoneAt } from './provisioning-fixture';

const B_USER = 'second';
const B_PASSWORD = 'B-Pw-Canary-93';

let a: NginxServer | undefined;
let b: NginxServer | undefined;
guardedBefore(test, async () => {
  a = await NginxServer.start({ auth: { user: USER, password: PASSWORD } });
  b = await NginxServer.start({ auth: { user: B_USER, password: B_PASSWORD } });
});
test.after(async () => {
  await a?.stop();
  await b?.stop();
});

test('device.prov.serverName from server A: stored, one reboot, then the phone provisions from server B with B\'s credentials', async () => {
  a!.put('000000000000.cfg', masterCfg('site.cfg'));
  a!.put('site.cfg', cfg({
    'device.set': '1',
    'device.prov.serverName': b!.httpUrl, 'device.prov.serverName.set': '1',
    'device.prov.user': B_USER, 'device.prov.user.set': '1',
    'device.prov.password': B_PASSWORD, 'device.prov.password.set': '1',
  }));
  b!.put('000000000000.cfg', masterCfg('b.cfg'));
  b!.put('b.cfg', cfg({ 'prov.polling.period': '4321' }));
  const phone = await phoneAt(a!);
  try {
    await advanceUntil(phone, 'the reboot and a cycle with server B', () => phone.lastBootReason() === 'reboot' && cycleLines(phone).length >= 2);
    const log = phone.log();
    assert.is(log.filter((l) => /\[sim\] reboot requested/.test(l)).length, 1, 'one reboot');
    assert.ok(log.some((l) => /device settings change needs a reboot: device\.prov\.serverName changed/.test(l)), log.filter((l) => /reboot/.test(l)).join('\n'));
    assert.ok(log.some((l) => /device\.prov\.password=<14 characters hidden> from site\.cfg applied to the device/.test(l)));
    assert.ok(log.some((l) => /prov\.polling\.period: "86400" -> "4321" \(b\.cfg\)/.test(l)), log.slice(-40).join('\n'));
    const fromB = b!.accessLog().filter((e) => e.uri.endsWith('/b.cfg'));
    assert.ok(fromB.length >= 1 && fromB.every((e) => e.status === 200 && e.user === B_USER), JSON.stringify(fromB));
    assert.not.ok(log.some((l) => l.includes(B_PASSWORD)), 'the password is not in the log');
    // Later on (the cached value of A's file still in force): nothing applied again, no reboot, A never asked again.
    const aRequests = a!.accessLog().length;
    await phone.advance(60 * 1000);
    await phone.settle();
    assert.is(phone.log().filter((l) => /\[sim\] reboot requested/.test(l)).length, 1, 'still one reboot');
    assert.is(a!.accessLog().length, aRequests, 'server A is not asked again');
  } finally {
    phone.dispose();
  }
});

test.run();
