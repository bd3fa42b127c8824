// CPU profile of navigation → interactive lesson page (prints the functions with the most
// inclusive time; not a test). DIST: a build whose wasm keeps names (scripts/names-build.sh).
// N runs (default 3), PAGE (default /lessons/03-pod), TOP rows.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
const server = await serve(process.env.DIST || 'target/dist-names');
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const runs = Number(process.env.N || 3);
const total = new Map();
const name = (x) => `${x.callFrame.functionName || '(anon)'}`.replace(/::h[0-9a-f]{16}$/, '').slice(0, 120);
for (let r = 0; r < runs; r++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.goto(`${base}${process.env.PAGE || '/lessons/03-pod'}`);
  await page.waitForFunction(() => document.querySelector('.editor textarea') && document.querySelector('.diagram .el'), null, { polling: 'raf' });
  const { profile } = await cdp.send('Profiler.stop');
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000 / runs;
    const seen = new Set();
    // FOCUS=<text>: only samples under a frame whose name contains it, and only the frames below it.
    const chain = [];
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) chain.push(name(byId.get(id)));
    const at = process.env.FOCUS ? chain.findIndex((nm) => nm.includes(process.env.FOCUS)) : chain.length - 1;
    if (at < 0) continue;
    for (const nm of chain.slice(0, at + 1)) {
      if (!seen.has(nm)) { seen.add(nm); total.set(nm, (total.get(nm) || 0) + dt); }
    }
  }
  await context.close();
}
console.log([...total].filter(([n]) => !/^\((root|idle)\)$/.test(n)).sort((a, b) => b[1] - a[1])
  .slice(0, Number(process.env.TOP || 50)).map(([n, ms]) => `${ms.toFixed(1).padStart(7)} ms  ${n}`).join('\n'));
await browser.close(); server.close();
