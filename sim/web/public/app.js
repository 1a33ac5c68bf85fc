// Browser UI of one simulated desk phone. Plain JS: talks to the JSON API
// (/api/...) and listens to the Server-Sent Events stream (/api/events).
'use strict';

const $ = (sel) => document.querySelector(sel);

const KEY_LABELS = {
  up: '▲', down: '▼', left: '◀', right: '▶', select: 'OK', back: 'Back', home: 'Home',
  hook: 'Hook', speaker: 'Speaker', headset: 'Headset', mute: 'Mute', volumeUp: 'Vol +', volumeDown: 'Vol −',
  line1: 'Line 1', line2: 'Line 2', line3: 'Line 3', line4: 'Line 4',
  directory: 'Directory', messages: 'Messages', transfer: 'Transfer', hold: 'Hold', redial: 'Redial', conference: 'Conference',
};
const DIAL_LETTERS = { 2: 'ABC', 3: 'DEF', 4: 'GHI', 5: 'JKL', 6: 'MNO', 7: 'PQRS', 8: 'TUV', 9: 'WXYZ', 0: '+' };

// Where each key sits on the phone body.
const GROUPS = {
  'line-keys': ['line1', 'line2', 'line3', 'line4'],
  'nav-keys': ['home', 'up', 'left', 'select', 'right', 'down', 'back'],
  'dial-pad': ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'],
  'feature-keys': ['directory', 'messages', 'redial', 'transfer', 'hold', 'conference'],
  'audio-keys': ['hook', 'speaker', 'headset', 'mute', 'volumeDown', 'volumeUp'],
  'soft-keys': ['soft1', 'soft2', 'soft3', 'soft4'],
};

// Keyboard shortcuts (documented on the page): event.key → phone key.
const SHORTCUTS = {
  ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right', Enter: 'select',
  Escape: 'back', Backspace: 'back', F1: 'soft1', F2: 'soft2', F3: 'soft3', F4: 'soft4',
  h: 'home', d: 'directory', m: 'messages', r: 'redial', t: 'transfer', o: 'hold', c: 'conference',
  k: 'hook', s: 'speaker', e: 'headset', u: 'mute', '+': 'volumeUp', '=': 'volumeUp', '-': 'volumeDown',
};
for (const k of '0123456789*#') SHORTCUTS[k] = k;

let board = null;
let screenModel = null;
const MAX_LOG_LINES = 3000;

// ── API ──

// A user action's error stays shown until the next user action; background reads (wear map) leave it alone.
async function api(method, path, body, { background = false } = {}) {
  const res = await fetch(phoneUrl(path), {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) {
    if (!background) showMessage(json.error || `HTTP ${res.status}`);
    throw new Error(json.error);
  }
  if (!background) showMessage('');
  return json;
}

function showMessage(text) {
  const el = $('#message');
  el.textContent = text;
  el.hidden = !text;
}

function press(key, holdMs = 0) {
  const button = document.querySelector(`button[data-key="${CSS.escape(key)}"]`);
  if (button) {
    button.classList.add('pressed');
    setTimeout(() => button.classList.remove('pressed'), 150);
  }
  // The recorder (recorder.js) listens.
  document.dispatchEvent(new CustomEvent('sim:press', { detail: { key } }));
  return api('POST', '/api/key', holdMs ? { key, holdMs } : { key }).catch(() => undefined);
}

// ── phone body ──

function buildKeys(keys) {
  const has = new Set(keys);
  for (const [groupId, groupKeys] of Object.entries(GROUPS)) {
    const group = document.getElementById(groupId);
    group.textContent = '';
    for (const key of groupKeys) {
      if (!has.has(key)) continue;
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.key = key;
      b.title = key;
      if (groupId === 'dial-pad') {
        b.textContent = key;
        if (DIAL_LETTERS[key]) {
          const small = document.createElement('small');
          small.textContent = DIAL_LETTERS[key];
          b.appendChild(small);
        }
      } else {
        b.textContent = KEY_LABELS[key] || '';
      }
      holdable(b, key);
      group.appendChild(b);
    }
  }
}

/** Held this long, a click is a long press: the phone sees the key down for as long as it was held. */
const LONG_PRESS_MS = 500;

/**
 * A phone key: a click presses it, holding it down presses it for that long.
 * The key never takes focus (mousedown's default is what focuses a button):
 * a focused key would be pressed again by Space or Enter.
 */
function holdable(button, key) {
  let downAt = 0;
  button.addEventListener('pointerdown', (ev) => {
    ev.preventDefault();
    downAt = performance.now();
    button.classList.add('pressed');
  });
  const release = (fire) => {
    if (!downAt) return;
    const held = Math.round(performance.now() - downAt);
    downAt = 0;
    button.classList.remove('pressed');
    if (fire) press(key, held >= LONG_PRESS_MS ? held : 0);
  };
  button.addEventListener('pointerup', () => release(true));
  button.addEventListener('pointerleave', () => release(false));
  // Keyboard activation of the button (Tab to it, then Enter) still presses the key once.
  button.addEventListener('click', (ev) => {
    if (ev.detail === 0) press(key);
  });
}

const LED_LABELS = { messageWaiting: 'Message', line1: 'Line 1', line2: 'Line 2', line3: 'Line 3', line4: 'Line 4', mute: 'Mute' };

/** LEDs: a lamp per LED (data-state off / on / blink, blinking by CSS), also marked on its key. */
function renderLeds(leds) {
  const strip = $('#leds');
  strip.textContent = '';
  for (const { led, state } of leds) {
    const lamp = document.createElement('span');
    lamp.className = 'led';
    lamp.dataset.led = led;
    lamp.dataset.state = state;
    lamp.title = `${LED_LABELS[led] || led}: ${state}`;
    lamp.textContent = LED_LABELS[led] || led;
    strip.appendChild(lamp);
    const key = document.querySelector(`button[data-key="${led === 'messageWaiting' ? 'messages' : led}"]`);
    if (key) key.dataset.led = state;
  }
}

function renderScreen(screen, frame) {
  screenModel = screen;
  $('#screen').src = phoneUrl(`/api/screen.png?frame=${frame}`);
  document.querySelectorAll('#soft-keys button').forEach((b, i) => {
    b.textContent = (screen.softKeys && screen.softKeys[i]) || '';
  });
  const lines = [`[${screen.id}] ${screen.title}${screen.status ? '    ' + screen.status : ''}`];
  (screen.lines || []).forEach((l, i) => lines.push(`${i === screen.focus ? '>' : ' '} ${l}`));
  if (screen.softKeys && screen.softKeys.some(Boolean)) lines.push(screen.softKeys.map((s) => `[${s}]`).join(' '));
  $('#screen-text').textContent = lines.join('\n');
}

function renderState(s) {
  const el = $('#state');
  el.textContent = s.state;
  el.className = `badge ${s.state}`;
  $('#boot-info').textContent = `boot #${s.bootCount}, reason ${s.bootReason}`;
  // The phone's own web interface (its own port on 127.0.0.1; a self-signed certificate the browser asks about once).
  const phoneWeb = $('#phone-web');
  phoneWeb.hidden = !s.webUrl;
  if (s.webUrl) phoneWeb.href = s.webUrl;
  renderBuild(s.build);
}

/** Which firmware build runs: version, code hash and build time (changes on a `phone sim --watch` reload). */
function renderBuild(b) {
  const el = $('#build-info');
  if (!b) {
    el.textContent = '';
    return;
  }
  const when = b.builtAt ? ` built ${new Date(b.builtAt).toLocaleTimeString()}` : '';
  el.textContent = `firmware ${b.version || '?'} · ${b.hash}${when}`;
  el.dataset.hash = b.hash;
}

// ── far end ──

function renderCalls(calls) {
  const body = $('#calls tbody');
  body.textContent = '';
  for (const c of calls.slice(-8).reverse()) {
    const tr = document.createElement('tr');
    tr.dataset.callId = c.callId;
    for (const v of [c.callId, c.direction, c.remote, c.state]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    const actions = document.createElement('td');
    if (c.state !== 'ended') {
      if (c.direction === 'outgoing' && c.state === 'ringing') actions.appendChild(callButton('Answer', '/api/far-end/answer', c.callId));
      if (c.state === 'connected') {
        const t = document.createElement('button');
        t.type = 'button';
        t.textContent = 'Transfer';
        t.addEventListener('click', () => api('POST', '/api/far-end/transfer', { callId: c.callId, target: $('#script-target').value }).catch(() => undefined));
        actions.appendChild(t);
      }
      actions.appendChild(callButton('Hang up', '/api/far-end/hangup', c.callId));
    }
    tr.appendChild(actions);
    body.appendChild(tr);
  }
}

function callButton(label, path, callId) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', () => api('POST', path, { callId }).catch(() => undefined));
  return b;
}

$('#ring-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const ring = { from: $('#ring-from').value, name: $('#ring-name').value };
  api('POST', '/api/far-end/ring', ring).then(() => document.dispatchEvent(new CustomEvent('sim:ring', { detail: ring }))).catch(() => undefined);
});
// The far-end script is applied as soon as the form changes, and the form shows the phone's script:
// what the panel shows is what the far end does (no pending "Set").
function showScript(script) {
  $('#script-action').value = script.action;
  $('#script-after').value = String(script.afterMs);
  if (script.forwardTo) $('#script-target').value = script.forwardTo;
  $('#script-after').disabled = script.action === 'manual';
}
function applyScript() {
  const body = { action: $('#script-action').value, afterMs: Number($('#script-after').value) || 0, forwardTo: $('#script-target').value };
  return api('POST', '/api/far-end/script', body).then((r) => showScript(r.script)).catch(() => undefined);
}
$('#script-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  applyScript();
});
$('#script-action').addEventListener('change', applyScript);
$('#script-after').addEventListener('change', applyScript);
async function refreshScript() {
  const r = await api('GET', '/api/far-end/script', undefined, { background: true }).catch(() => null);
  if (r) showScript(r.script);
}

$('#notify-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const params = {};
  for (const pair of $('#notify-params').value.trim().split(/\s+/).filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i > 0) params[pair.slice(0, i)] = pair.slice(i + 1);
  }
  api('POST', '/api/far-end/notify', { event: $('#notify-event').value.trim(), params }).catch(() => undefined);
});
$('#hangup-all').addEventListener('click', () => api('POST', '/api/far-end/hangup', {}).catch(() => undefined));

// ── power ──

$('#power-cut').addEventListener('click', () => api('POST', '/api/power/cut').catch(() => undefined));
$('#power-on').addEventListener('click', () => api('POST', '/api/power/on').catch(() => undefined));
$('#reboot').addEventListener('click', () => api('POST', '/api/reboot').catch(() => undefined));

// ── time: pause, run, ×speed, advance ──

function showClock(t) {
  $('#clock').textContent = `${new Date(t.virtualTime).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
  $('#clock-rate').textContent = t.paused ? 'paused' : `×${t.speed}`;
  $('#clock-rate').classList.toggle('off', t.paused);
}
async function refreshClock() {
  const t = await api('GET', '/api/time', undefined, { background: true }).catch(() => null);
  if (t) showClock(t);
}
const setClock = (body) => api('POST', '/api/time', body).then(showClock).catch(() => undefined);
$('#time-pause').addEventListener('click', () => setClock({ paused: true }));
$('#time-run').addEventListener('click', () => setClock({ paused: false }));
for (const b of document.querySelectorAll('.time-speed')) b.addEventListener('click', () => setClock({ speed: Number(b.dataset.speed), paused: false }));
$('#advance-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const by = $('#advance-by').value;
  api('POST', '/api/time/advance', { by }).then((t) => {
    showClock(t);
    document.dispatchEvent(new CustomEvent('sim:advance', { detail: { by } }));
  }).catch(() => undefined);
});
setInterval(refreshClock, 500);
refreshClock();

// ── flash wear map ──

async function refreshWear() {
  const stats = await api('GET', '/api/flash', undefined, { background: true }).catch(() => null);
  if (!stats) return;
  const root = $('#wear-map');
  root.textContent = '';
  for (const p of stats.partitions) {
    const box = document.createElement('div');
    box.className = 'partition';
    box.dataset.partition = p.name;
    const total = p.eraseCounts.reduce((a, b) => a + b, 0);
    const title = document.createElement('div');
    title.className = 'partition-title';
    title.textContent = `${p.name}: ${p.eraseCounts.length} blocks × ${p.blockSize / 1024} KiB, ` +
      `${total} erases (max ${Math.max(0, ...p.eraseCounts)} per block), ${formatBytes(p.programBytes)} programmed`;
    const grid = document.createElement('div');
    grid.className = 'grid';
    p.eraseCounts.forEach((n, i) => {
      const cell = document.createElement('span');
      cell.className = 'cell';
      cell.title = `${p.name} block ${i}: ${n} erases`;
      cell.style.background = wearColour(n);
      grid.appendChild(cell);
    });
    box.append(title, grid);
    root.appendChild(box);
  }
}

/** Rated erase cycles of a NOR/NAND block: the top of the wear scale. */
const RATED_ERASES = 100000;

/**
 * An absolute scale, the same for every page and phone: green for a few
 * erases to red at the rated endurance, logarithmic (1, 10, 100, 1k, 10k, 100k).
 * One erase is not "most worn" just because no block has more.
 */
function wearColour(n) {
  if (n === 0) return '#2a2f36';
  const worn = Math.min(1, Math.log10(n + 1) / Math.log10(RATED_ERASES));
  return `hsl(${Math.round(120 - 120 * worn)},70%,45%)`;
}

function formatBytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(2)} MiB`;
}

// ── log ──

function appendLog(lines) {
  const pre = $('#log');
  const frag = document.createDocumentFragment();
  for (const line of lines) {
    const div = document.createElement('div');
    if (line.startsWith('[sim]')) {
      div.className = 'sim';
      div.dataset.component = 'sim';
    } else {
      // "TIME|component|level|…|text": the log panel's filters (log-view.js) read these.
      const f = line.split('|');
      if (f.length >= 4 && /^\d$/.test(f[2])) {
        div.dataset.component = f[1];
        div.dataset.level = f[2];
      }
    }
    div.textContent = line;
    frag.appendChild(div);
  }
  pre.appendChild(frag);
  while (pre.childElementCount > MAX_LOG_LINES) pre.firstElementChild.remove();
  if ($('#log-follow').checked) pre.scrollTop = pre.scrollHeight;
}

// ── broker traffic (the phone's MQTT connection to the analytics broker) ──

const MQTT_TYPES = { 1: 'CONNECT', 2: 'CONNACK', 3: 'PUBLISH', 4: 'PUBACK', 12: 'PINGREQ', 13: 'PINGRESP', 14: 'DISCONNECT' };

function appendBroker(b) {
  const c = b.counters;
  $('#broker-counters').textContent = `${c.connections} connections · ${c.bytesSent} B sent · ${c.bytesReceived} B received`;
  const pre = $('#broker');
  for (const t of b.entries) {
    const div = document.createElement('div');
    const type = t.head ? MQTT_TYPES[parseInt(t.head.slice(0, 2), 16) >> 4] ?? '?' : '';
    const what = t.kind === 'sent' ? `→ ${type} ${t.bytes} B` : t.kind === 'received' ? `← ${type} ${t.bytes} B` : `${t.kind}${t.reason ? `: ${t.reason}` : ''}`;
    div.textContent = `${new Date(t.at).toISOString().slice(11, 23)} ${t.peer} ${what}`;
    pre.appendChild(div);
  }
  while (pre.childElementCount > MAX_LOG_LINES) pre.firstElementChild.remove();
  pre.scrollTop = pre.scrollHeight;
}

// ── keyboard ──

document.addEventListener('keydown', (ev) => {
  const t = ev.target;
  // Keys typed into a form control (arrows in a select, digits in a field) stay there.
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
  if (ev.ctrlKey || ev.metaKey) return;
  let key = null;
  if (ev.altKey) {
    const m = /^Digit([1-4])$/.exec(ev.code);
    if (m) key = `line${m[1]}`;
  } else {
    key = SHORTCUTS[ev.key] || null;
  }
  if (!key || !board || !board.keys.includes(key)) return;
  ev.preventDefault();
  press(key);
});

// ── layout: the phone scaled to fit the window (1280×720 shows it whole next to the panels) ──

function fitPhone() {
  const phone = $('#phone');
  phone.style.zoom = '1';
  const top = phone.getBoundingClientRect().top + window.scrollY;
  const byHeight = (window.innerHeight - top - 16) / phone.offsetHeight;
  const byWidth = (window.innerWidth * 0.56) / phone.offsetWidth;
  phone.style.zoom = String(Math.max(0.4, Math.min(1, byHeight, byWidth)));
}
window.addEventListener('resize', fitPhone);
$('#screen').addEventListener('load', () => { if (!fitPhone.done) { fitPhone.done = true; fitPhone(); } });

// ── live updates ──

function connect() {
  const events = new EventSource(phoneUrl('/api/events'));
  events.addEventListener('open', () => {
    $('#connection').textContent = 'live';
    $('#connection').className = 'badge running';
  });
  events.addEventListener('error', () => {
    $('#connection').textContent = 'offline';
    $('#connection').className = 'badge off';
  });
  events.addEventListener('hello', (ev) => {
    const s = JSON.parse(ev.data);
    board = s.board;
    $('#board-name').textContent = `${s.board.model} (${s.board.id}, ${s.board.display.width}×${s.board.display.height} ${s.board.display.format}) · ${s.engine}`;
    document.title = `${CURRENT_PHONE ? `Phone ${CURRENT_PHONE}: ` : ''}${s.board.model} — desk phone simulator`;
    $('#download-logs').href = phoneUrl('/api/logs.tgz');
    $('#screenshot').href = phoneUrl('/api/screen.png');
    refreshScript();
    buildKeys(s.board.keys);
    // Fitted once the keys are in: the phone's height is known only then.
    fitPhone();
    renderScreen(s.screen, s.frame);
    renderState(s);
    renderCalls(s.calls);
    renderLeds(s.leds);
    $('#log').textContent = '';
    appendLog(s.log);
    $('#broker').textContent = '';
    appendBroker(s.broker);
    refreshWear();
  });
  events.addEventListener('screen', (ev) => {
    const s = JSON.parse(ev.data);
    renderScreen(s.screen, s.frame);
  });
  events.addEventListener('state', (ev) => renderState(JSON.parse(ev.data)));
  events.addEventListener('calls', (ev) => renderCalls(JSON.parse(ev.data)));
  events.addEventListener('leds', (ev) => renderLeds(JSON.parse(ev.data).leds));
  events.addEventListener('log', (ev) => appendLog(JSON.parse(ev.data).lines));
  events.addEventListener('flash', () => refreshWear());
  events.addEventListener('broker', (ev) => appendBroker(JSON.parse(ev.data)));
}

connect();
