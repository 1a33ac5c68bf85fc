// Inspector panel: configuration values with the layer and file that set them,
// calls, LEDs, the store's files and data classes (GET /api/inspect, on demand:
// it copies the flash and reads its configuration with the firmware's code).
'use strict';

(() => {
  const out = document.getElementById('inspector-body');
  const status = document.getElementById('inspector-status');
  const filter = document.getElementById('inspector-filter');
  let last = null;

  function table(headers, rows) {
    const t = document.createElement('table');
    t.className = 'inspect-table';
    const head = t.createTHead().insertRow();
    for (const h of headers) {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      for (const v of r) tr.insertCell().textContent = v;
    }
    return t;
  }

  function heading(text) {
    const h = document.createElement('h3');
    h.textContent = text;
    return h;
  }

  function render() {
    if (!last) return;
    const q = filter.value.trim().toLowerCase();
    const match = (...xs) => !q || xs.some((x) => String(x).toLowerCase().includes(q));
    out.textContent = '';
    const cfg = last.config.filter((c) => match(c.name, c.value, c.layer, c.source, c.module));
    out.appendChild(heading(`Configuration (${cfg.length} not at their default)`));
    if (last.configError) out.appendChild(Object.assign(document.createElement('p'), { className: 'hint', textContent: last.configError }));
    out.appendChild(table(['parameter', 'value', 'layer', 'set by', 'overrides'], cfg.map((c) => [c.name, c.value, c.layer, c.source, c.overridden.join(', ')])));
    out.appendChild(heading('Calls'));
    const calls = last.calls.filter((c) => match(c.callId, c.remote, c.state, c.direction));
    out.appendChild(calls.length ? table(['call', 'direction', 'remote', 'state'], calls.map((c) => [c.callId, c.direction, c.remote, c.state])) : Object.assign(document.createElement('p'), { className: 'hint', textContent: 'no calls' }));
    out.appendChild(heading('LEDs'));
    out.appendChild(table(['LED', 'state'], last.leds.map((l) => [l.led, l.state])));
    out.appendChild(heading('Store: data classes'));
    const classRows = [];
    for (const p of last.store.partitions) {
      for (const [cls, t] of Object.entries(p.classes)) if (match(p.name, cls)) classRows.push([p.name, cls, t.liveRecords, t.liveBytes, t.staleRecords, t.staleBytes]);
    }
    out.appendChild(table(['partition', 'class', 'live records', 'live bytes', 'stale records', 'stale bytes'], classRows));
    const files = last.store.files.filter((f) => match(f.partition, f.path, f.dataClass, f.user));
    out.appendChild(heading(`Store: files (${files.length})`));
    out.appendChild(table(['partition', 'file', 'class', 'user', 'bytes'], files.map((f) => [f.partition, f.path, f.dataClass, f.user || '—', f.bytes])));
  }

  async function refresh() {
    status.textContent = 'reading…';
    const res = await fetch(phoneUrl('/api/inspect')).catch(() => null);
    if (!res || !res.ok) {
      status.textContent = res ? `failed: HTTP ${res.status}` : 'failed';
      return;
    }
    last = await res.json();
    status.textContent = `as of ${new Date().toLocaleTimeString()}`;
    render();
  }

  document.getElementById('inspector-refresh').addEventListener('click', refresh);
  filter.addEventListener('input', render);
})();
