// CPU profile of keystrokes on the ~500-line manifest (prints the functions with the most
// inclusive and self time; not a test). DIST: a build whose wasm keeps names
// (scripts/names-build.sh). TRACE=1: renderer time by trace event instead; TYPE=1: real key
// presses instead of replacing the text; FIRST=1: edit the first `replicas:`, not the last.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
const server = await serve(process.env.DIST || new URL('../../dist', import.meta.url).pathname);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await page.goto(`${base}/playground`);
await page.waitForSelector('.editor textarea');
if (process.env.BENCH_PAUSED) await page.click('.timebar .play');
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
if (process.env.HIDE) await page.addStyleTag({ content: `${process.env.HIDE} { display: none !important; }` });
const deploy = (name) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels:\n    app: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n        resources:\n          requests:\n            cpu: 10m\n`;
const text = Array.from({ length: Number(process.env.DOCS || 21) }, (_, i) => deploy(`app${i}`)).join('---\n');
await page.evaluate((t) => { const a = document.querySelector('.editor textarea'); a.value = t; a.dispatchEvent(new Event('input', { bubbles: true })); }, text);
await page.waitForTimeout(3000);
const cdp = await context.newCDPSession(page);
const TRACE = !!process.env.TRACE;
if (TRACE) await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'blink', 'v8', 'disabled-by-default-devtools.timeline'] });
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
if (!TRACE) await cdp.send('Profiler.start');
const n = Number(process.env.KEYS || 30);
for (let k = 0; k < n; k++) {
  if (process.env.TYPE) {
    await page.evaluate(([t, first]) => {
      const a = document.querySelector('.editor textarea');
      const at = (first ? a.value.indexOf('replicas: ') : a.value.lastIndexOf('replicas: ')) + 'replicas: '.length;
      a.focus(); a.setSelectionRange(at, at + 1);
    }, [text, !!process.env.FIRST]);
    await page.keyboard.type(k % 2 ? '2' : '3');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    await page.waitForTimeout(100);
    continue;
  }
  await page.evaluate(async ([t, first]) => {
    const a = document.querySelector('.editor textarea');
    const at = (first ? t.indexOf('replicas: ') : t.lastIndexOf('replicas: ')) + 'replicas: '.length;
    a.value = t.slice(0, at) + (a.value[at] === '2' ? '3' : '2') + t.slice(at + 1);
    a.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  }, [text, !!process.env.FIRST]);
  await page.waitForTimeout(100);
}
if (TRACE) {
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain');
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const stack = []; const self = new Map();
  for (const e of mine) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    if (stack.length) { const p = stack[stack.length - 1]; self.set(p, (self.get(p) ?? p.dur) - e.dur); }
    self.set(e, self.get(e) ?? e.dur); stack.push(e);
  }
  const sums = new Map(); for (const [e, us] of self) sums.set(e.name, (sums.get(e.name) || 0) + Math.max(0, us) / 1000 / n);
  console.log([...sums].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([nm, ms]) => `${ms.toFixed(2).padStart(7)} ms/key  ${nm}`).join('\n'));
  const lay = mine.filter((e) => e.name === 'Layout');
  console.log('layouts', lay.length, lay.slice(0, 8).map((e) => `${(e.dur / 1000).toFixed(1)}ms ${JSON.stringify(e.args.beginData)}`).join('\n'));
  process.exit(0);
}
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of profile.nodes) for (const c of x.children || []) parent.set(c, x.id);
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) || 0) + (profile.timeDeltas[i] || 0) / 1000);
const self = new Map(), total = new Map();
const name = (x) => `${x.callFrame.functionName || '(anon)'}`.replace(/::h[0-9a-f]{16}$/, '').slice(0, 120);
for (const [id, ms] of dt) {
  const x = byId.get(id);
  self.set(name(x), (self.get(name(x)) || 0) + ms);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) { const nm = name(byId.get(cur)); if (!seen.has(nm)) { seen.add(nm); total.set(nm, (total.get(nm) || 0) + ms); } }
}
// FOCUS=<text>: only the samples under a frame whose name contains it, attributed to the frames
// below that frame (what the focused function's time is made of).
if (process.env.FOCUS) {
  total.clear();
  for (const [id, ms] of dt) {
    const chain = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(name(byId.get(cur)));
    const at = chain.findIndex((nm) => nm.includes(process.env.FOCUS));
    if (at < 0) continue;
    for (const nm of new Set(chain.slice(0, at + 1))) total.set(nm, (total.get(nm) || 0) + ms);
  }
}
const per = (ms) => (ms / n).toFixed(2).padStart(7);
const top = (m, k, f = () => true) => [...m].filter(([nm]) => f(nm)).sort((a, b) => b[1] - a[1]).slice(0, k).map(([nm, ms]) => `${per(ms)} ms/key  ${nm}`).join('\n');
console.log(`== inclusive, per keystroke (n=${n})\n` + top(total, Number(process.env.TOP || 45), (nm) => !/^(\(root\)|\(idle\))$/.test(nm)));
console.log('== self\n' + top(self, 25));
await browser.close(); server.close();
