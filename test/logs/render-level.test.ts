/** `log.render.level`: a floor under every `log.level.change.<component>` (Polycom). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootLogPhone } from './log-phone';

test('debug lines need log.level.change.<component>=0 AND log.render.level=0; render level 3 hides info everywhere', async () => {
  const cases: [Record<string, string>, boolean, boolean][] = [
    [{ 'log.level.change.sip': '0' }, false, true],
    [{ 'log.level.change.sip': '0', 'log.render.level': '0' }, true, true],
    [{ 'log.render.level': '3' }, false, false],
  ];
  for (const [site, debugShown, infoShown] of cases) {
    const p = await bootLogPhone({ site });
    await p.advance(1000);
    await p.settle();
    const sip = p.booted.kernel.log.component('sip');
    sip.debug('DEBUG-MARK');
    sip.info('INFO-MARK');
    assert.is(p.log().some((l) => l.includes('DEBUG-MARK')), debugShown, JSON.stringify(site));
    assert.is(p.log().some((l) => l.includes('INFO-MARK')), infoShown, JSON.stringify(site));
  }
});

test.run();
