// Where a key press's time goes, key by key (prints numbers; not a test): the same key presses as
// `bench.mjs` (the ~50-line manifest by default, DOCS=21 for ~500 lines), traced, and for each key
// the renderer main thread's work between keydown and the animation frame that saw the new pods,
// by trace event (self time). Run after a release build: `DIST=dist node tests/e2e/keytrace.mjs`.
// KEYS: how many (default 30). SHOW: how many of the slowest keys to print in full (default 5).
import { start, openPage, oneReplicaLess, timedKey } from './harness.mjs';

const h = await start();
const DOCS = Number(process.env.DOCS || 2);
const KEYS = Number(process.env.KEYS || 30);
const deploy = (name) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels:\n    app: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n        resources:\n          requests:\n            cpu: 10m\n`;
const page = await openPage(h.browser, `${h.base}/playground`);
await page.waitForSelector('.editor textarea');
// CSS: a style to add (an experiment: what a part of the page costs).
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
await h.browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'blink', 'blink.user_timing', 'v8', 'input', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack'] });
const keys = [];
for (let k = 0; k < KEYS; k++) {
  const text = Array.from({ length: DOCS }, (_, i) => deploy(`t${k}-app${i}`)).join('---\n');
  const prefix = `Pod/default/t${k}-`;
  const want = DOCS * 2;
  const at = await oneReplicaLess(page, text, want, prefix);
  keys.push(await timedKey(page, text, at, want, prefix));
}
const events = JSON.parse((await h.browser.stopTracing()).toString()).traceEvents;
const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain' && events.some((m) => m.pid === e.pid && m.name === 'key-start'));
const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
const marks = (nm) => onMain.filter((e) => e.name === nm).map((e) => e.ts).sort((a, b) => a - b);
const starts = marks('key-start'), ends = marks('key-end');
const spans = onMain.filter((e) => e.ph === 'X' && e.dur).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
// Self time of each complete event, within [from, to].
function breakdown(from, to) {
  const inside = spans.filter((e) => e.ts < to && e.ts + e.dur > from);
  const stack = [], self = new Map();
  for (const e of inside) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const clip = Math.min(e.ts + e.dur, to) - Math.max(e.ts, from);
    if (stack.length) { const p = stack[stack.length - 1]; self.set(p, self.get(p) - clip); }
    self.set(e, clip); stack.push(e);
  }
  const sums = new Map();
  for (const [e, us] of self) sums.set(e.name, (sums.get(e.name) || 0) + Math.max(0, us) / 1000);
  const busy = [...self.values()].reduce((a, b) => a + Math.max(0, b), 0) / 1000;
  return { sums, busy };
}
const rows = starts.map((s, i) => ({ i, ms: (ends[i] - s) / 1000, ...breakdown(s, ends[i]) }));
const total = new Map();
for (const r of rows) for (const [nm, ms] of r.sums) total.set(nm, (total.get(nm) || 0) + ms / rows.length);
const fmt = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([nm, ms]) => `${ms.toFixed(2).padStart(7)} ms  ${nm}`).join('\n');
const sorted = [...rows].sort((a, b) => a.ms - b.ms);
console.log(`keys ${rows.length}: median ${sorted[rows.length >> 1].ms.toFixed(1)} ms, main thread busy median ${[...rows].sort((a, b) => a.busy - b.busy)[rows.length >> 1].busy.toFixed(1)} ms`);
console.log(`== mean self time per key, keydown → the frame that saw the pods\n${fmt(total, 25)}`);
for (const r of sorted.slice(-Number(process.env.SHOW || 5))) console.log(`== key ${r.i}: ${r.ms.toFixed(1)} ms, busy ${r.busy.toFixed(1)} ms\n${fmt(r.sums, 12)}`);
if (process.env.LAYOUTS) for (const r of sorted.slice(-3)) {
  const s = starts[r.i], e = ends[r.i];
  const inside = spans.filter((x) => x.ts < e && x.ts + x.dur > s);
  const tops = inside.filter((x) => !inside.some((y) => y !== x && y.ts <= x.ts && y.ts + y.dur >= x.ts + x.dur && y.dur > x.dur));
  console.log(`== key ${r.i} top-level events (ms after keydown, duration)`);
  for (const t of tops) console.log(`  +${((t.ts - s) / 1000).toFixed(1)} ${(t.dur / 1000).toFixed(2)} ${t.name} ${t.args?.data?.type || t.args?.data?.functionName || ''}`);
  for (const l of inside.filter((x) => x.name === 'Layout')) {
    const top = tops.find((t) => t.ts <= l.ts && t.ts + t.dur >= l.ts + l.dur);
    const st = l.args?.beginData?.stackTrace?.map((f) => f.functionName).slice(0, 4).join(' < ') || '';
    const chain = inside.filter((x) => x.ts <= l.ts && x.ts + x.dur >= l.ts + l.dur && x !== l).sort((a, b) => a.ts - b.ts || b.dur - a.dur).map((x) => `${x.name}${x.args?.data?.type ? ':' + x.args.data.type : ''}${x.args?.data?.functionName ? ':' + x.args.data.functionName : ''}`);
    console.log('   chain', chain.join(' > '), JSON.stringify(l.args).slice(0, 300));
    console.log(`  layout +${((l.ts - s) / 1000).toFixed(1)} ${(l.dur / 1000).toFixed(2)} ms in ${top?.name} ${top?.args?.data?.type || ''} dirty ${l.args?.beginData?.dirtyObjects}/${l.args?.beginData?.totalObjects} ${st}`);
  }
}
await h.stop();
