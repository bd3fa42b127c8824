// A learner completes a whole lesson the way they would: the page's own manifest runs, they type a
// typo into the editor, fix it, delete a pod in the terminal — and each step ticks as the simulated
// cluster reaches it. Progress survives a reload. Also screenshots of a workload, a networking and
// an RBAC lesson page in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { start, openPage, SHOTS, setText } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h.stop(); });

const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
    - name: nginx
      image: nginx:1.27
      ports:
        - containerPort: 80
`;
const typo = (image) => `${WEB}---
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
    - name: nginx
      image: ${image}
`;

const done = (page) => page.locator('.lesson .steps li.done').count();
async function waitDone(page, n, timeout = 60000) {
  await page.waitForFunction((n) => document.querySelectorAll('.lesson .steps li.done').length >= n, n, { timeout });
}

test('a learner completes lesson 03 (Pods); steps tick; progress survives a reload', async () => {
  const page = await openPage(h.browser, h.base + '/lessons/03-pod?lang=en');
  await page.waitForSelector('.editor textarea');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.lesson .steps li.current');
  assert.equal(await done(page), 0, 'nothing is done before the cluster runs the manifest');
  // Speed the simulated clock up so image pulls and back-offs pass quickly.
  await page.locator('.timebar .speed select').selectOption('30');
  if ((await page.locator('.timebar .play').getAttribute('aria-pressed')) !== 'true') await page.locator('.timebar .play').click();

  // Step 1: the starting manifest makes a Running pod.
  await waitDone(page, 1);
  // Step 2: break it on purpose — a typo'd image ends in ImagePullBackOff / ErrImagePull.
  await setText(page, typo('ngnix:1.27'));
  await waitDone(page, 2);
  // Step 3: fix the typo; the pod comes up.
  await setText(page, typo('nginx:1.27'));
  await waitDone(page, 3);
  // Step 4: delete a pod from the terminal.
  await page.locator('#term-input').fill('kubectl delete pod web');
  await page.locator('#term-input').press('Enter');
  await page.waitForFunction(() => document.querySelector('.term-log')?.innerText.includes('pod "web" deleted'));
  await waitDone(page, 4);
  const total = await page.locator('.lesson .steps li').count();
  assert.equal(await done(page), total, 'every step of the lesson is ticked');

  await page.reload();
  await page.waitForSelector('.lesson .steps li');
  await page.waitForFunction((n) => document.querySelectorAll('.lesson .steps li.done').length === n, total, { timeout: 15000 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('screenshots: a workload, a networking and an RBAC lesson in both languages', async () => {
  for (const lang of ['en', 'ko']) {
    for (const slug of ['05-deployment', '06-service', '18-rolebinding']) {
      const page = await openPage(h.browser, `${h.base}/lessons/${slug}?lang=${lang}`, { viewport: { width: 1400, height: 1000 } });
      await page.waitForSelector('.lesson .steps li');
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(SHOTS, `lesson-${slug}-${lang}.png`) });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
});
