// Several phones on one SIP network (`phone sim --phones N`): a tab per phone
// in the header; the page shows the phone named by ?phone=NAME (default the
// first). Every API call and the event stream carry that name (see phoneUrl).
'use strict';

const CURRENT_PHONE = new URLSearchParams(location.search).get('phone') || '';

/** `path` for the phone this page shows: `/api/key?phone=B`. */
function phoneUrl(path) {
  if (!CURRENT_PHONE) return path;
  return `${path}${path.includes('?') ? '&' : '?'}phone=${encodeURIComponent(CURRENT_PHONE)}`;
}

async function renderPhoneTabs() {
  const res = await fetch('/api/phones').catch(() => null);
  if (!res || !res.ok) return;
  const { phones } = await res.json();
  const nav = document.getElementById('phone-tabs');
  nav.textContent = '';
  nav.hidden = phones.length < 2;
  if (phones.length < 2) return;
  const current = CURRENT_PHONE || phones[0].name;
  for (const p of phones) {
    const a = document.createElement('a');
    a.href = `?phone=${encodeURIComponent(p.name)}`;
    a.textContent = `Phone ${p.name} · ${p.extension}`;
    a.dataset.phone = p.name;
    a.className = p.name === current ? 'tab current' : 'tab';
    if (p.name === current) a.setAttribute('aria-current', 'page');
    nav.appendChild(a);
  }
}

renderPhoneTabs();
