// A/B navigation timing of two builds, interleaved so machine load hits both alike (prints numbers).
// DISTS="dirA dirB" node abnav.mjs
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { coldNavigation } from './harness.mjs';
const dists = (process.env.DISTS || '').split(' ').filter(Boolean);
const servers = await Promise.all(dists.map((d) => serve(d)));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const times = dists.map(() => []);
const fcps = dists.map(() => []);
const shown = dists.map(() => []);
for (let i = 0; i < Number(process.env.N || 10); i++) {
  for (let k = 0; k < dists.length; k++) {
    // Shown: the editor and the lesson's prose, or the workbench (so the playground counts too).
    const url = `http://127.0.0.1:${servers[k].address().port}${process.env.PAGE || '/lessons/03-pod'}`;
    const { context, page, drawn, shown: s } = await coldNavigation(browser, url, '.lesson .prose, .workbench');
    times[k].push(drawn);
    shown[k].push(s);
    fcps[k].push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    await context.close();
  }
}
for (let k = 0; k < dists.length; k++) {
  const s = times[k].sort((a, b) => a - b);
  const f = fcps[k].sort((a, b) => a - b);
  const w = shown[k].sort((a, b) => a - b);
  console.log(`${dists[k]}: diagram drawn median ${s[Math.floor(s.length / 2)].toFixed(0)} ms (min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)}); lesson shown median ${w[Math.floor(w.length / 2)].toFixed(0)} ms; first contentful paint median ${f[Math.floor(f.length / 2)].toFixed(0)} ms`);
}
await browser.close(); servers.forEach((s) => s.close());
