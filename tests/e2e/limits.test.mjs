// Asking the simulated cluster for more than it can hold leaves the page responsive, explains the
// cap at the right line, keeps the last good cluster, and the text survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPage, setText } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h.stop(); });

const deploy = (replicas) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: huge
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: huge
  template:
    metadata:
      labels:
        app: huge
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;


test('replicas: 100000000 gets a message at its line; the page stays responsive', async () => {
  const page = await openPage(h.browser, `${h.base}/playground?lang=en`);
  await page.waitForSelector('.editor textarea');
  await page.evaluate(() => localStorage.clear());
  await setText(page, deploy(2));
  await page.waitForFunction(() => document.querySelectorAll('.objects tr[data-kind="Pod"]').length === 2);

  const t0 = Date.now();
  await setText(page, deploy(100000000));
  await page.waitForSelector('.problems li.err', { timeout: 10000 });
  const problem = await page.locator('.problems li.err').first().innerText();
  assert.match(problem, /^Line 6: /, problem);
  assert.match(problem, /less than or equal to 10000/, problem);
  assert.ok(Date.now() - t0 < 10000, 'answered without freezing the tab');
  // The last good cluster stays: two pods, marked out of date.
  assert.equal(await page.locator('.objects tr[data-kind="Pod"]').count(), 2);
  assert.ok(await page.locator('.cluster.stale').isVisible());
  // Still responsive: the terminal answers and a sane edit applies.
  await page.locator('#term-input').fill('kubectl get deploy huge');
  await page.locator('#term-input').press('Enter');
  await page.waitForFunction(() => document.querySelector('.term-log')?.innerText.includes('huge'));
  await setText(page, deploy(3));
  await page.waitForFunction(() => document.querySelectorAll('.objects tr[data-kind="Pod"]').length === 3);
  await setText(page, deploy(100000000));
  await page.waitForSelector('.problems li.err');
  // The learner's text (even the refused one) survives a reload.
  await page.reload();
  await page.waitForSelector('.editor textarea');
  assert.match(await page.locator('.editor textarea').inputValue(), /replicas: 100000000/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
