/**
 * Directory figures, measured side by side in one run, QuickJS vs Node, on
 * the firmware's own directory code (bench/directory-bench-entry.ts bundled
 * like the image):
 * - merge of a 500-entry personal file with a 10,000-entry global file
 *   (parse both, merge personal-wins, sort, write the paged indexes);
 * - one search keystroke on the 10,500-entry directory (match range plus the
 *   rows on screen, page cache cold), median and worst; goal ≤ 50 ms in QuickJS;
 * - RAM the directory holds after a reopen (page heads only) against the
 *   same contacts held whole in a JS array, in the QuickJS runtime.
 */
import * as esbuild from 'esbuild';
import * as path from 'path';
import * as vm from 'vm';
import { getQuickJS, type QuickJSContext, type QuickJSRuntime } from 'quickjs-emscripten';
import { runtimeBytes } from '../sim/host/quickjs-engine';

const ROOT = path.join(__dirname, '..');
const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Dennis', 'Margaret', 'Edsger', 'Donald', 'Frances', 'John', 'Radia', 'Tim', 'Sophie', 'Niklaus'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Ritchie', 'Hamilton', 'Dijkstra', 'Knuth', 'Allen', 'Backus', 'Perlman', 'Berners', 'Wilson', 'Wirth'];
/** Prefixes typed letter by letter, as a user searching for several people would. */
const QUERIES = ['turing', 'hopper', 'wirth', 'knuth', 'allen', 'berners', 'dijkstra', 'zz', 'lovelace', 'perlman'];

function xml(n: number, from: number, tag: string): string {
  const items: string[] = [];
  for (let i = from; i < from + n; i++) {
    const ln = `${LAST[(i * 7) % LAST.length]}${tag}${i}`;
    items.push(`<item><fn>${FIRST[i % FIRST.length]}</fn><ln>${ln}</ln><ct>${1000000 + i}</ct>${i % 50 === 0 ? `<sd>${i / 50 + 1}</sd>` : ''}</item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<directory><item_list>\n${items.join('\n')}\n</item_list></directory>\n`;
}

class HostPages {
  readonly pages = new Map<string, string>();
  read(name: string): string | null { return this.pages.get(name) ?? null; }
  commit(json: string): void {
    for (const [name, text] of JSON.parse(json) as [string, string | null][]) {
      if (text === null) this.pages.delete(name);
      else this.pages.set(name, text);
    }
  }
  names(): string { return JSON.stringify([...this.pages.keys()]); }
  bytes(): number { let n = 0; for (const t of this.pages.values()) n += t.length; return n; }
}

interface Runner {
  call(fn: string, ...args: (string | number)[]): number;
  memory(): number;
  dispose(): void;
}

function nodeRunner(code: string, pages: HostPages): Runner {
  (globalThis as any).hostPages = pages;
  const api = vm.runInThisContext(`(function(){\n${code}\n;return DirectoryBench;})()`) as Record<string, (...a: unknown[]) => number>;
  return { call: (fn, ...args) => api[fn](...args), memory: () => process.memoryUsage().heapUsed, dispose: () => { delete (globalThis as any).hostPages; } };
}

async function quickjsRunner(code: string, pages: HostPages): Promise<Runner> {
  const QuickJS = await getQuickJS();
  const runtime: QuickJSRuntime = QuickJS.newRuntime();
  runtime.setMemoryLimit(256 * 1024 * 1024);
  runtime.setMaxStackSize(1024 * 1024);
  const ctx: QuickJSContext = runtime.newContext();
  const host = ctx.newObject();
  const read = ctx.newFunction('read', (h) => { const t = pages.read(ctx.getString(h)); return t === null ? ctx.null : ctx.newString(t); });
  const commit = ctx.newFunction('commit', (h) => { pages.commit(ctx.getString(h)); });
  const names = ctx.newFunction('names', () => ctx.newString(pages.names()));
  ctx.setProp(host, 'read', read);
  ctx.setProp(host, 'commit', commit);
  ctx.setProp(host, 'names', names);
  ctx.setProp(ctx.global, 'hostPages', host);
  for (const h of [read, commit, names, host]) h.dispose();
  const loaded = ctx.evalCode(code + '\n;globalThis.DirectoryBench = DirectoryBench;');
  ctx.unwrapResult(loaded).dispose();
  return {
    call(fn, ...args) {
      const r = ctx.evalCode(`DirectoryBench.${fn}(${args.map((a) => JSON.stringify(a)).join(',')})`);
      const h = ctx.unwrapResult(r);
      const v = ctx.typeof(h) === 'number' ? ctx.getNumber(h) : 0;
      h.dispose();
      return v;
    },
    memory: () => runtimeBytes(runtime, ctx),
    dispose() { ctx.dispose(); runtime.dispose(); },
  };
}

function ms(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Figures { mergeMs: number; keyMedian: number; keyWorst: number; keystrokes: number; size: number; pageBytes: number; pages: number; heldPaged: number; heldWhole: number }

function measure(r: Runner, pages: HostPages, personal: string, global: string): Figures {
  const base = r.memory();
  let size = 0;
  const mergeMs = ms(() => { size = r.call('merge', personal, global); });
  // Every keystroke of every query, from a cold page cache (reopened) so each first letter reads pages.
  r.call('reopen');
  const times: number[] = [];
  for (const q of QUERIES) for (let i = 1; i <= q.length; i++) times.push(ms(() => r.call('keystroke', q.slice(0, i))));
  r.call('dropAll');
  r.call('reopen');
  r.call('keystroke', 'turing');
  const heldPaged = r.memory() - base;
  r.call('dropAll');
  const beforeWhole = r.memory();
  r.call('holdWhole', personal, global);
  const heldWhole = r.memory() - beforeWhole;
  r.call('dropAll');
  return { mergeMs, keyMedian: median(times), keyWorst: Math.max(...times), keystrokes: times.length, size, pageBytes: pages.bytes(), pages: pages.pages.size, heldPaged, heldWhole };
}

export async function bench(): Promise<void> {
  const built = await esbuild.build({
    entryPoints: [path.join(ROOT, 'bench/directory-bench-entry.ts')],
    bundle: true, format: 'iife', globalName: 'DirectoryBench', target: 'es2020', platform: 'neutral', mainFields: ['module', 'main'],
    minifyWhitespace: true, minifySyntax: true, write: false, logLevel: 'silent',
  });
  const code = built.outputFiles[0].text;
  // 500 personal + 10,000 global = 10,500 merged contacts.
  const personal = xml(500, 10000, 'P');
  const global = xml(10000, 0, 'G');
  const qPages = new HostPages();
  const q = await quickjsRunner(code, qPages);
  const nPages = new HostPages();
  const n = nodeRunner(code, nPages);
  try {
    const fq = measure(q, qPages, personal, global);
    const fn = measure(n, nPages, personal, global);
    console.log(`directory: 500 personal + 10,000 global entries (${(personal.length / 1024).toFixed(0)} + ${(global.length / 1024).toFixed(0)} KiB XML) → ${fq.size} merged contacts in ${fq.pages} pages (${(fq.pageBytes / 1024).toFixed(0)} KiB on flash)`);
    console.log(`  merge (parse, merge, sort, write pages): QuickJS ${fq.mergeMs.toFixed(0)} ms, Node ${fn.mergeMs.toFixed(0)} ms; QuickJS/Node ${(fq.mergeMs / fn.mergeMs).toFixed(1)}x`);
    console.log(`  search keystroke (${fq.keystrokes} keystrokes, cold cache per query): QuickJS median ${fq.keyMedian.toFixed(2)} ms, worst ${fq.keyWorst.toFixed(2)} ms (goal ≤ 50 ms: ${fq.keyWorst <= 50 ? 'met' : 'NOT met'}); Node median ${fn.keyMedian.toFixed(3)} ms, worst ${fn.keyWorst.toFixed(3)} ms; QuickJS/Node ${(fq.keyMedian / fn.keyMedian).toFixed(1)}x`);
    console.log(`  RAM in the QuickJS runtime (its memory_used_size estimate) after a reopen and a search: ${(fq.heldPaged / 1024).toFixed(0)} KiB (page heads + 4 cached pages) vs ${(fq.heldWhole / 1024).toFixed(0)} KiB with every contact held in a JS array: ${(fq.heldWhole / Math.max(1, fq.heldPaged)).toFixed(1)}x less`);
  } finally {
    q.dispose();
    n.dispose();
  }
  await phoneKeystrokes();
}

/**
 * On a booted desk-500 phone (the real image, flash store, per-class encryption, screen redraw):
 * a 2,000-entry global file — about the most a 256 KiB download holds — and a keystroke in
 * Contacts > Local Directory, QuickJS vs Node.
 */
export async function phoneKeystrokes(): Promise<void> {
  const fs = await import('fs');
  const os = await import('os');
  const { createPhone } = await import('../sim/phone');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dir-bench-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg"/>\n');
  fs.writeFileSync(path.join(dir, 'site.cfg'), '<polycomConfig/>\n');
  fs.writeFileSync(path.join(dir, '000000000000-directory.xml'), xml(2000, 0, 'G'));
  const out: Record<string, { median: number; worst: number; size: string }> = {};
  try {
    for (const engine of ['quickjs', 'node'] as const) {
      const phone = await createPhone({ board: 'desk-500', engine, provisioningDir: dir });
      await phone.boot();
      await phone.advance(1000);
      await phone.settle();
      await phone.press('home');
      const pick = async (label: string) => { const l = phone.screen().lines.find((x) => x.includes(label)); await phone.press(l!.split('.')[0] as any); };
      await pick('Contacts');
      await pick('Local Directory');
      const size = phone.screen().title;
      const times: number[] = [];
      for (const q of ['8', '4', '5', '9']) {
        const t0 = process.hrtime.bigint();
        await phone.press(q as any);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        await phone.advance(1100);
        await phone.press('left');
        await phone.advance(1100);
      }
      out[engine] = { median: median(times), worst: Math.max(...times), size };
      phone.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  on a booted desk-500 phone (${out.quickjs.size}; key press → search on encrypted flash pages → redraw): QuickJS median ${out.quickjs.median.toFixed(1)} ms, worst ${out.quickjs.worst.toFixed(1)} ms; Node median ${out.node.median.toFixed(1)} ms; QuickJS/Node ${(out.quickjs.median / out.node.median).toFixed(1)}x`);
}
