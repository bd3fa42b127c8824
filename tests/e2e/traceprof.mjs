// Where the main thread's time goes from navigation to an interactive lesson page, by trace event
// (layout, style, wasm compilation, script…), from a Chromium trace (prints numbers; not a test).
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
const server = await serve(process.env.DIST || new URL('../../dist', import.meta.url).pathname);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const sums = new Map();
const runs = Number(process.env.N || 3);
for (let r = 0; r < runs; r++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile', 'blink', 'loading'] });
  await page.goto(`${base}${process.env.PAGE || '/lessons/03-pod'}`);
  await page.waitForFunction(() => document.querySelector('.editor textarea') && document.querySelector('.diagram'), null, { polling: 'raf' });
  const buf = await browser.stopTracing();
  const events = JSON.parse(buf.toString()).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain');
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
  // Self time per event name: subtract children (events nested inside on the same thread).
  mine.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const stack = [];
  const self = new Map();
  for (const e of mine) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    if (stack.length) { const p = stack[stack.length - 1]; self.set(p, (self.get(p) ?? p.dur) - e.dur); }
    self.set(e, self.get(e) ?? e.dur);
    stack.push(e);
  }
  for (const [e, us] of self) sums.set(e.name, (sums.get(e.name) || 0) + Math.max(0, us) / 1000 / runs);
  await context.close();
}
console.log([...sums].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([n, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${n}`).join('\n'));
await browser.close(); server.close();
