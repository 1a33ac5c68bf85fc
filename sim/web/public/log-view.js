// The log panel's tools: minimum level, component, search, clear. Rows carry
// data-level / data-component (set by app.js from the log line
// "TIME|component|level|…|text"; "[sim] …" lines are the simulator's own).
'use strict';

(() => {
  const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'fatal'];
  const log = document.getElementById('log');
  const level = document.getElementById('log-level');
  const component = document.getElementById('log-component');
  const search = document.getElementById('log-search');
  const known = new Set();

  for (const [i, name] of LEVELS.entries()) level.appendChild(new Option(`${name} and up`, String(i)));

  function visible(row) {
    const min = Number(level.value || 0);
    if (row.dataset.level !== undefined && Number(row.dataset.level) < min) return false;
    if (component.value && row.dataset.component !== component.value) return false;
    const q = search.value.trim().toLowerCase();
    return !q || row.textContent.toLowerCase().includes(q);
  }

  function apply(rows) {
    for (const row of rows) {
      const c = row.dataset.component;
      if (c && !known.has(c)) {
        known.add(c);
        // In alphabetical place, without rebuilding the list (the user's choice stays).
        const before = [...component.options].find((o) => o.value && o.value > c) ?? null;
        component.insertBefore(new Option(c, c), before);
      }
      row.hidden = !visible(row);
    }
  }

  new MutationObserver((changes) => apply(changes.flatMap((m) => [...m.addedNodes]).filter((n) => n.nodeType === 1))).observe(log, { childList: true });
  const reapply = () => apply([...log.children]);
  level.addEventListener('change', reapply);
  component.addEventListener('change', reapply);
  search.addEventListener('input', reapply);
  document.getElementById('log-clear').addEventListener('click', () => { log.textContent = ''; });
  component.appendChild(new Option('all components', ''));
  // Lines that arrived before this script ran (the event stream may deliver while later scripts load).
  reapply();
})();
