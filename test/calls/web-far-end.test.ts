/**
 * The browser UI's far-end controls for calls: script how the far end treats
 * the calls the phone places, and transfer a connected call; bad requests
 * answered 400/409.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startWebServer } from '../../sim/web/server';
import { withPhone } from '../helpers/sim';

test('far-end script (busy, answer), transfer of a connected call, bad requests', async () => {
  await withPhone({}, async (phone) => {
    const web = await startWebServer({ phone, port: 0 });
    const post = async (path: string, body: unknown) => {
      const res = await fetch(new URL(path, web.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() as any };
    };
    try {
      assert.is((await post('/api/far-end/script', { action: 'busy', afterMs: 500 })).status, 200);
      await phone.pressAll(['2', '0', '0', '1', 'soft1']);
      await phone.advance(500);
      assert.ok(phone.farEnd.sent().some((e) => e.type === 'ended' && e.cause === 'busy'));
      assert.is((await post('/api/far-end/script', { action: 'answer', afterMs: 100 })).status, 200);
      await phone.pressAll(['2', '0', '0', '2', 'soft1']);
      await phone.advance(100);
      const live = phone.farEnd.calls().find((c) => c.state === 'connected')!;
      const t = await post('/api/far-end/transfer', { callId: live.callId, target: '3000' });
      assert.is(t.status, 200);
      assert.ok(phone.screen().lines.includes('3000'), phone.screen().lines.join('|'));
      assert.is((await post('/api/far-end/script', { action: 'explode' })).status, 400);
      assert.is((await post('/api/far-end/script', { action: 'forward', forwardTo: '<x>' })).status, 400);
      assert.is((await post('/api/far-end/transfer', { callId: 'call-999', target: '3000' })).status, 409);
      assert.is((await post('/api/far-end/transfer', { callId: live.callId, target: 'a b' })).status, 400);
    } finally {
      await web.close();
    }
  });
});

test.run();
