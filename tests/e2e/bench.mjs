// Browser benchmark (prints numbers; not a test): navigation → interactive lesson page, and
// keystroke → updated diagram (median and p95) for a ~50-line and a ~500-line manifest, against
// the release build in dist/ served on loopback. Run: `node tests/e2e/bench.mjs` after
// `trunk build --release` (scripts/bench.sh does both and the native benchmarks).
import { start, openPage, oneReplicaLess, timedPaste, timedKey, coldNavigation, loadUntilDrawn } from './harness.mjs';

const h = await start();
// p95 is the sample at index floor(0.95 n) of the sorted samples: with 20 samples that is the
// maximum, so keystrokes take 40 (p95 = the second largest). BENCH_KEYS overrides it.
const KEYS = Number(process.env.BENCH_KEYS || 40);
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];

// 1. Navigation to an interactive lesson page (editor present and the cluster's diagram drawn),
// cold context each time so nothing is cached. Since the cluster boots after the first paint, the
// lesson (its prose and the editor) shows earlier: that time is printed too, but the budget's
// figure is the diagram's.
const nav = [];
const shown = [];
// BENCH_NAV=0 skips this part; BENCH_SIZES=50 (or 500) measures one manifest size below.
for (let i = 0; i < (process.env.BENCH_NAV === '0' ? 0 : 7); i++) {
  const { context, drawn, shown: s } = await coldNavigation(h.browser, `${h.base}/lessons/03-pod`);
  nav.push(drawn);
  shown.push(s);
  await context.close();
}
nav.sort((a, b) => a - b);
shown.sort((a, b) => a - b);
if (nav.length) console.log(`navigation → lesson shown (prose and editor): median ${pct(shown, 0.5).toFixed(0)} ms, p95 ${pct(shown, 0.95).toFixed(0)} ms (n=${shown.length})`);
if (nav.length) console.log(`navigation → interactive lesson page (diagram drawn): median ${pct(nav, 0.5).toFixed(0)} ms, p95 ${pct(nav, 0.95).toFixed(0)} ms (n=${nav.length})`);

// 1b. A second page load in the same tab (a reload, or another lesson's URL typed or opened in
// it) after a first visit, once the offline worker is active: the tab's renderer keeps V8's
// compiled module in memory, so nothing is compiled again. (A new tab, or the browser restarted
// on the same profile, compiles again: this is not what a learner coming back another day sees.)
const again = [];
for (let i = 0; i < (process.env.BENCH_NAV === '0' ? 0 : 5); i++) {
  const { context, page } = await coldNavigation(h.browser, `${h.base}/lessons/03-pod`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForTimeout(1000);
  again.push(await loadUntilDrawn(page, `${h.base}/lessons/04-replicaset`));
  await context.close();
}
again.sort((a, b) => a - b);
if (again.length) console.log(`navigation, second page load in the same tab → diagram drawn (compiled module kept): median ${pct(again, 0.5).toFixed(0)} ms, p95 ${pct(again, 0.95).toFixed(0)} ms (n=${again.length})`);

// 2. Keystroke → diagram.
const deploy = (name, replicas) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          requests:
            cpu: 10m
`;
// Each measure on a fresh page: the runs create objects (new names each time), so a page's store
// grows over a run and a second measure on it would pay for the first's leftovers.
let page;
async function freshPage() {
  if (page) await page.context().close();
  page = await openPage(h.browser, `${h.base}/playground`);
  await page.waitForSelector('.editor textarea');
  // The offline worker installs (downloading and storing the build) a second after the page's
  // first cluster boots: measured keys start once it has, as a learner's typing would.
  await page.evaluate(() => navigator.serviceWorker.ready);
  // BENCH_PAUSED=1: simulated time paused (no ticks), to tell the keystroke's own cost from ticks'.
  if (process.env.BENCH_PAUSED) await page.click('.timebar .play');
}
// Two measures of one edit: a real key press (the browser's own edit of the textarea, as a
// learner types: keydown → pods drawn), and the whole text put back at once as a paste would
// (input event → pods drawn), the only measure before 2026-12-06. BENCH_MODE=key|paste: one.
const MODES = process.env.BENCH_MODE ? [process.env.BENCH_MODE] : ['key', 'paste'];
const prepare = (t, want, prefix) => oneReplicaLess(page, t, want, prefix);
// Then types the digit back (selected, so the key replaces it) and times keydown → pods drawn.
async function realKeystroke(t, want, prefix) {
  const at = await prepare(t, want, prefix);
  if (at < 0) return -1;
  return timedKey(page, t, at, want, prefix);
}
// Or puts the whole text back, as a paste would.
async function pasteKeystroke(t, want, prefix) {
  if (await prepare(t, want, prefix) < 0) return -1;
  return timedPaste(page, t, want, prefix);
}
let run = 0;
const SIZES = [['50-line', 2, 2], ['500-line', 21, 2]].filter(([l]) => !process.env.BENCH_SIZES || process.env.BENCH_SIZES.split(',').some((s) => l.startsWith(`${s}-`)));
for (const mode of MODES) for (const [label, n, replicas] of SIZES) {
  await freshPage();
  const times = [];
  let lines = 0;
  for (let k = 0; k < KEYS; k++, run++) {
    const text = Array.from({ length: n }, (_, i) => deploy(`b${run}-app${i}`, replicas)).join('---\n');
    lines = text.split('\n').length;
    const ms = mode === 'paste' ? await pasteKeystroke(text, n * replicas, `Pod/default/b${run}-`)
      : await realKeystroke(text, n * replicas, `Pod/default/b${run}-`);
    times.push(ms);
  }
  if (process.env.BENCH_DUMP) console.log(times.map((t) => t.toFixed(1)).join(' '));
  times.sort((a, b) => a - b);
  console.log(`${mode === 'paste' ? 'paste (whole text)' : 'key press'} → diagram, ${label} manifest (${lines} lines, ${n * replicas} pods): median ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms (n=${times.length}${times[0] < 0 ? ', some timed out' : ''})`);
}
if (page.errors.length) console.log('page errors:', page.errors);
await h.stop();
