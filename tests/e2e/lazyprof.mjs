// Which wasm functions the page compiles lazily (V8 compiles each on its first call, on the main
// thread) between navigation and an interactive lesson page, and how long that takes (prints
// numbers; not a test). DIST: a build that keeps names (scripts/names-build.sh).
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import fs from 'node:fs';
const dist = process.env.DIST || 'target/dist-names';
const wasmFile = fs.readdirSync(dist).find((f) => f.endsWith('.wasm'));
const bytes = fs.readFileSync(`${dist}/${wasmFile}`);
const mod = new WebAssembly.Module(bytes);
const names = new Map();
const imports = WebAssembly.Module.imports(mod).filter((i) => i.kind === 'function').length;
for (const sec of WebAssembly.Module.customSections(mod, 'name')) {
  const b = new Uint8Array(sec); let p = 0;
  const leb = () => { let r = 0, s = 0, x; do { x = b[p++]; r |= (x & 127) << s; s += 7; } while (x & 128); return r >>> 0; };
  while (p < b.length) { const id = b[p++]; const len = leb(); const end = p + len;
    if (id === 1) { const n = leb(); for (let i = 0; i < n; i++) { const idx = leb(); const l = leb(); names.set(idx, Buffer.from(b.slice(p, p + l)).toString()); p += l; } }
    p = end; }
}
// Body size of every defined function, from the code section (section id 10).
const sizes = new Map();
{
  const b = bytes; let p = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = b[p++]; r += (x & 127) * 2 ** s; s += 7; } while (x & 128); return r; };
  while (p < b.length) {
    const id = b[p++]; const len = leb(); const end = p + len;
    if (id === 10) { const n = leb(); for (let i = 0; i < n; i++) { const sz = leb(); sizes.set(imports + i, sz); p += sz; } }
    p = end;
  }
}
const server = await serve(dist);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await browser.startTracing(page, { categories: ['v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'devtools.timeline'] });
await page.goto(`${base}${process.env.PAGE || '/lessons/03-pod'}`);
await page.waitForFunction(() => document.querySelector('.editor textarea') && document.querySelector('.diagram'), null, { polling: 'raf' });
const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
const lazy = events.filter((e) => e.name === 'wasm.CompileLazy');
console.log('CompileLazy events', lazy.length, 'total ms', (lazy.reduce((a, e) => a + (e.dur || 0), 0) / 1000).toFixed(1));
const byName = new Map();
for (const e of lazy) { const i = e.args?.func_index ?? e.args?.data?.func_index; const n = (names.get(i) || `#${i}`).replace(/::h[0-9a-f]{16}$/, ''); const key = n.split('::').slice(0, 3).join('::').slice(0, 80); byName.set(key, [(byName.get(key)?.[0] || 0) + e.dur / 1000, (byName.get(key)?.[1] || 0) + 1]); }
console.log([...byName].sort((a, b) => b[1][0] - a[1][0]).slice(0, 40).map(([n, [ms, c]]) => `${ms.toFixed(1).padStart(7)} ms ${String(c).padStart(5)}  ${n}`).join('\n'));
await browser.close(); server.close();
const per = new Map();
for (const e of lazy) { const i = e.args?.func_index; per.set(i, (per.get(i) || 0) + e.dur / 1000); }
console.log('== top functions');
console.log([...per].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOPF || 40)).map(([i, ms]) => `${ms.toFixed(2).padStart(7)} ms ${String(sizes.get(i) ?? '?').padStart(7)} B  ${(names.get(i) || '#' + i).slice(0, 140)}`).join('\n'));
const sorted = [...per.values()].sort((a, b) => b - a);
const cum = (k) => sorted.slice(0, k).reduce((a, b) => a + b, 0).toFixed(0);
if (process.env.BYMOD) {
  // Bytes of code compiled, by the path's first segments (which code runs before the page is ready).
  const depth = Number(process.env.BYMOD);
  const mods = new Map();
  for (const i of per.keys()) {
    const nm = (names.get(i) || '?').replace(/^<(.*?) as .*$/, '$1').replace(/\[[0-9a-f]+\]/g, '');
    const key = nm.split('::').slice(0, depth).join('::').slice(0, 70);
    mods.set(key, (mods.get(key) || 0) + (sizes.get(i) || 0));
  }
  console.log('== bytes compiled by module');
  console.log([...mods].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([m, b]) => `${String(b).padStart(8)} B  ${m}`).join('\n'));
}
const compiled = [...per.keys()].reduce((a, i) => a + (sizes.get(i) || 0), 0);
console.log(`bytes compiled: ${compiled} of ${[...sizes.values()].reduce((a, b) => a + b, 0)} in the code section`);
console.log(`top 20: ${cum(20)} ms, top 100: ${cum(100)} ms, top 500: ${cum(500)} ms, all ${sorted.length}: ${cum(sorted.length)} ms`);
