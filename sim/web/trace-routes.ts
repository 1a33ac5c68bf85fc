/** The trace panels' API: `GET /api/traces?kind=line|network|flash&since=SEQ&q=TEXT`, the same as a JSON download, and clear. */
import { HttpError } from './http-error';
import type { RouteContext, RouteReply } from './routes';
import { TRACE_KINDS, tracesOf, type TraceKind } from './trace-recorder';

function kindOf(query: URLSearchParams, body: Record<string, unknown> = {}): TraceKind {
  const kind = query.get('kind') ?? body.kind;
  if (!TRACE_KINDS.includes(kind as TraceKind)) throw new HttpError(400, `"kind" must be ${TRACE_KINDS.join(', ')}, got "${String(kind)}"`);
  return kind as TraceKind;
}

export const TRACE_ROUTES: Record<string, (ctx: RouteContext) => Promise<RouteReply>> = {
  'GET /api/traces': async ({ phone, query }) => {
    const kind = kindOf(query);
    const since = Number(query.get('since') ?? 0) || 0;
    return { json: { kind, entries: tracesOf(phone).entries(kind, since, query.get('q') ?? '') } };
  },

  'GET /api/traces/export': async ({ phone, query }) => {
    const kind = kindOf(query);
    const filter = query.get('q') ?? '';
    const entries = tracesOf(phone).entries(kind, 0, filter).map((e) => ({ seq: e.seq, at: new Date(e.at).toISOString(), summary: e.summary, ...e.data }));
    const bytes = Buffer.from(JSON.stringify({ phone: phone.mac, board: phone.board, kind, filter, entries }, null, 2) + '\n');
    return { download: { name: `${phone.mac}-${kind}-trace.json`, type: 'application/json', bytes } };
  },

  'POST /api/traces/clear': async ({ phone, query, body }) => {
    tracesOf(phone).clear(kindOf(query, body));
    return { json: { ok: true } };
  },
};
