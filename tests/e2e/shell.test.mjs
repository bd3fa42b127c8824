import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { start, openPage, SHOTS } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h.stop(); });

test('home page renders the app', async () => {
  const page = await openPage(h.browser, h.base + '/');
  await page.waitForSelector('header .brand');
  assert.equal(await page.locator('header .brand').innerText(), 'kubelab');
  await page.screenshot({ path: path.join(SHOTS, 'home.png') });
  assert.deepEqual(page.errors, []);
});
