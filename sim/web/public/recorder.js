// Scenario recorder: while recording, the keys pressed (clicks and keyboard),
// far-end rings and time advances become scenario steps; "Expect screen" adds
// an expectScreen step from the current text model. Download gives a JSON
// scenario `phone scenario run` accepts; it starts with a boot, so record from
// a freshly started phone.
'use strict';

(() => {
  const toggle = document.getElementById('recorder-toggle');
  const expect = document.getElementById('recorder-expect');
  const download = document.getElementById('recorder-download');
  const view = document.getElementById('recorder-steps');
  let recording = false;
  let steps = [];

  function show() {
    toggle.textContent = recording ? 'Stop' : 'Record';
    toggle.classList.toggle('danger', recording);
    expect.disabled = !recording;
    download.disabled = steps.length === 0;
    view.textContent = steps.map((s) => JSON.stringify(s)).join('\n');
    view.scrollTop = view.scrollHeight;
  }

  function add(step) {
    if (!recording) return;
    const last = steps[steps.length - 1];
    // Presses in a row make one step: { "press": "1 0 0 2 soft1" }.
    if (step.press && last && last.press) last.press += ` ${step.press}`;
    else steps.push(step);
    show();
  }

  function scenario() {
    const name = `recorded ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
    return { name, board: board ? board.id : 'desk-500', steps: [{ boot: {} }, ...steps] };
  }

  document.addEventListener('sim:press', (ev) => add({ press: ev.detail.key }));
  document.addEventListener('sim:ring', (ev) => add({ ring: ev.detail.name ? { from: ev.detail.from, name: ev.detail.name } : { from: ev.detail.from } }));
  document.addEventListener('sim:advance', (ev) => add({ advance: ev.detail.by }));

  toggle.addEventListener('click', () => {
    recording = !recording;
    if (recording) steps = [];
    show();
  });
  expect.addEventListener('click', () => {
    if (!screenModel) return;
    const e = { id: screenModel.id };
    if (screenModel.title) e.title = screenModel.title;
    // As the expectScreen step compares them: the labelled soft keys, in order.
    if (screenModel.softKeys && screenModel.softKeys.some(Boolean)) e.softKeys = screenModel.softKeys.filter(Boolean);
    add({ expectScreen: e });
  });
  download.addEventListener('click', () => {
    const blob = new Blob([JSON.stringify(scenario(), null, 2) + '\n'], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'recorded-scenario.json';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  show();
})();
