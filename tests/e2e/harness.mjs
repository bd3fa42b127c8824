// Shared setup for the browser tests: serve dist/ on loopback, launch Debian's chromium headless.
import { chromium } from 'playwright-core';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const SHOTS = path.join(ROOT, 'target/screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

export async function start(extra = []) {
  const server = await serve(process.env.DIST || path.join(ROOT, 'dist'));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extra],
  });
  return { server, base, browser, async stop() { await browser.close(); server.close(); } };
}

/// A page that fails the test on any uncaught error or console error (a wasm panic shows up here).
export async function openPage(browser, url, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  await page.goto(url);
  return page;
}

/// Replaces the editor's text as a paste would (fast for big text), firing `input`.
export async function setText(page, text) {
  await page.evaluate((t) => {
    const a = document.querySelector('.editor textarea');
    a.focus();
    a.value = t;
    a.setSelectionRange(t.length, t.length);
    a.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/// Puts `text` on the page with its last `replicas:` one lower (as a paste), waits until the
/// diagram draws the `want - 1` pods whose ids start with `prefix`, then `pause` ms; returns the
/// index of that digit in `text` (-1: not drawn within 20 s). The keystroke benchmarks start here.
export async function oneReplicaLess(page, text, want, prefix, pause = 50) {
  return page.evaluate(async ([t, want, prefix, pause]) => {
    const count = () => document.querySelectorAll(`.diagram .el.k-pod[data-id^="${prefix}"]`).length;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const a = document.querySelector('.editor textarea');
    const at = t.lastIndexOf('replicas: ') + 'replicas: '.length;
    a.value = t.slice(0, at) + String(Number(t[at]) - 1) + t.slice(at + 1);
    a.dispatchEvent(new Event('input', { bubbles: true }));
    const w0 = performance.now();
    while (count() !== want - 1) { await frame(); if (performance.now() - w0 > 20000) return -1; }
    await new Promise((r) => setTimeout(r, pause));
    return at;
  }, [text, want, prefix, pause]);
}

/// Then puts the whole `text` back at once (as a paste) and returns the ms until the diagram draws
/// `want` such pods (plus one more frame with `extraFrame`); -1 when not within 20 s.
export async function timedPaste(page, text, want, prefix, extraFrame = false) {
  return page.evaluate(async ([t, want, prefix, extraFrame]) => {
    const count = () => document.querySelectorAll(`.diagram .el.k-pod[data-id^="${prefix}"]`).length;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const a = document.querySelector('.editor textarea');
    const t0 = performance.now();
    a.value = t;
    a.dispatchEvent(new Event('input', { bubbles: true }));
    while (count() !== want) { await frame(); if (performance.now() - t0 > 20000) return -1; }
    if (extraFrame) await frame();
    return performance.now() - t0;
  }, [text, want, prefix, extraFrame]);
}

/// After `oneReplicaLess` returned `at`: types the digit back (selected, so the key replaces it)
/// and returns the ms from keydown until the diagram draws `want` pods whose ids start with
/// `prefix` (-1 past 20 s). The interval is marked `key-start` / `key-end` for traces.
export async function timedKey(page, text, at, want, prefix) {
  await page.evaluate(([at, want, prefix]) => {
    const a = document.querySelector('.editor textarea');
    a.focus();
    a.setSelectionRange(at, at + 1);
    window.__lat = undefined;
    a.addEventListener('keydown', () => {
      const t0 = performance.now();
      performance.mark('key-start');
      const count = () => document.querySelectorAll(`.diagram .el.k-pod[data-id^="${prefix}"]`).length;
      const poll = () => {
        if (count() === want) { performance.mark('key-end'); window.__lat = performance.now() - t0; }
        else if (performance.now() - t0 > 20000) window.__lat = -1;
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    }, { once: true, capture: true });
  }, [at, want, prefix]);
  await page.keyboard.press(text[at]);
  return (await page.waitForFunction(() => window.__lat, null, { timeout: 30000 })).jsonValue();
}

/// A cold navigation (a new context) to `url`: the page, and the ms after navigation start until
/// the page showed (the editor and `shownSelector`, by default the lesson's prose: -1 on a page
/// without a lesson) and until the diagram drew an element.
/// Loads `url` in `page` and returns when (ms after that navigation's start) the editor is there
/// and the diagram has drawn its first element.
export async function loadUntilDrawn(page, url) {
  await page.goto(url);
  return (await page.waitForFunction(() => document.querySelector('.editor textarea') && document.querySelector('.diagram .el')
    ? performance.now() : null, null, { timeout: 30000, polling: 'raf' })).jsonValue();
}

export async function coldNavigation(browser, url, shownSelector = '.lesson .prose') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript((sel) => {
    const seen = () => {
      if (document.querySelector('.editor textarea') && document.querySelector(sel)) window.__shown = performance.now();
      else requestAnimationFrame(seen);
    };
    requestAnimationFrame(seen);
  }, shownSelector);
  const drawn = await loadUntilDrawn(page, url);
  // -1 when `shownSelector` never matched (the default on the playground).
  const shown = await page.waitForFunction(() => window.__shown, null, { timeout: 5000 }).then((t) => t.jsonValue(), () => -1);
  return { context, page, drawn, shown };
}
