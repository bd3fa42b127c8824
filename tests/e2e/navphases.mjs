// Navigation's phases on the wall clock (prints numbers; not a test): for N cold navigations to a
// lesson, the median time after navigation start of the HTML's response end, the JS and wasm
// responses' ends, first contentful paint, the lesson shown (prose and editor) and the diagram
// drawn. Run after a release build: `DIST=dist N=7 node tests/e2e/navphases.mjs`.
import { start, coldNavigation } from './harness.mjs';
const h = await start();
const N = Number(process.env.N || 7);
const rows = [];
for (let i = 0; i < N; i++) {
  const { context, page, drawn } = await coldNavigation(h.browser, `${h.base}${process.env.PAGE || '/lessons/03-pod'}`);
  const r = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const end = (re) => res.filter((e) => re.test(e.name)).map((e) => e.responseEnd).sort((a, b) => b - a)[0] ?? -1;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1;
    return { html: nav.responseEnd, domInteractive: nav.domInteractive, js: end(/\.js$/), wasm: end(/\.wasm$/), prose: end(/prose\//), fcp, shown: window.__shown };
  });
  rows.push({ ...r, drawn });
  await context.close();
}
const med = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[rows.length >> 1];
for (const k of ['html', 'domInteractive', 'js', 'wasm', 'prose', 'fcp', 'shown', 'drawn']) console.log(`${k.padEnd(15)} median ${med(k).toFixed(0).padStart(5)} ms`);
await h.stop();
