// Trace panels: line/SIP, network and flash operations of the phone, recorded
// on the host (sim/web/trace-recorder.ts). A tab per kind, a filter, clear,
// and a JSON download of what the filter shows. Polls for new entries.
'use strict';

(() => {
  const MAX_ROWS = 2000;
  const panel = document.getElementById('traces');
  const list = document.getElementById('trace-list');
  const filter = document.getElementById('trace-filter');
  const count = document.getElementById('trace-count');
  const exportLink = document.getElementById('trace-export');
  let kind = 'line';
  let since = 0;
  let rows = 0;

  function exportHref() {
    const q = filter.value.trim();
    return phoneUrl(`/api/traces/export?kind=${kind}${q ? `&q=${encodeURIComponent(q)}` : ''}`);
  }

  function reset() {
    since = 0;
    rows = 0;
    list.textContent = '';
    exportLink.href = exportHref();
    poll();
  }

  async function poll() {
    const q = filter.value.trim();
    const res = await fetch(phoneUrl(`/api/traces?kind=${kind}&since=${since}${q ? `&q=${encodeURIComponent(q)}` : ''}`)).catch(() => null);
    if (!res || !res.ok) return;
    const { entries, kind: answered } = await res.json();
    if (answered !== kind) return;
    const follow = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    const frag = document.createDocumentFragment();
    for (const e of entries) {
      since = Math.max(since, e.seq);
      const row = document.createElement('div');
      row.className = 'trace-row';
      const at = document.createElement('time');
      at.textContent = new Date(e.at).toISOString().slice(11, 23);
      const text = document.createElement('span');
      text.textContent = e.summary;
      row.append(at, text);
      frag.appendChild(row);
      rows++;
    }
    list.appendChild(frag);
    while (list.childElementCount > MAX_ROWS) list.firstElementChild.remove();
    count.textContent = `${list.childElementCount} shown`;
    if (follow) list.scrollTop = list.scrollHeight;
  }

  for (const tab of panel.querySelectorAll('[data-trace]')) {
    tab.addEventListener('click', () => {
      kind = tab.dataset.trace;
      for (const t of panel.querySelectorAll('[data-trace]')) t.classList.toggle('current', t === tab);
      reset();
    });
  }
  let typing = null;
  filter.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(reset, 200);
  });
  document.getElementById('trace-clear').addEventListener('click', async () => {
    await fetch(phoneUrl('/api/traces/clear'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind }) }).catch(() => null);
    reset();
  });
  exportLink.href = exportHref();
  setInterval(poll, 1000);
  poll();
})();
