// A learner completes a whole lesson the way they would: the page's own manifest runs, they type a
// typo into the editor, fix it, delete a pod in the terminal — and each step ticks as the simulated
// cluster reaches it. Progress survives a reload. Also screenshots of a workload, a networking and
// an RBAC lesson page in both languages. A lesson's prose is its own file, fetched when the lesson
// opens: it works offline after the first visit, and a failed fetch says so and can be retried.
// The offline worker waits until the page has drawn its cluster.
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
      await page.waitForSelector('.lesson .intro h1');
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(SHOTS, `lesson-${slug}-${lang}.png`) });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
});

test('the offline worker is registered only after the first cluster is drawn (its install would slow the first visit)', async () => {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    const sw = navigator.serviceWorker;
    const register = sw.register.bind(sw);
    sw.register = (...args) => { window.__registeredAt = performance.now(); return register(...args); };
    const seen = () => { if (document.querySelector('.diagram .el')) window.__drawnAt = performance.now(); else requestAnimationFrame(seen); };
    requestAnimationFrame(seen);
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${h.base}/lessons/03-pod?lang=en`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const { drawn, registered } = await page.evaluate(() => ({ drawn: window.__drawnAt, registered: window.__registeredAt }));
  assert.ok(drawn > 0 && registered > drawn, `registered at ${registered} ms, diagram drawn at ${drawn} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('lesson prose: each lesson fetches its own file; offline after the first visit; a failed fetch says so', async () => {
  // First visit: the offline worker caches the build, every lesson's prose file included.
  const page = await openPage(h.browser, `${h.base}/?lang=en`);
  await page.waitForSelector('.lesson-map li');
  await page.evaluate(() => navigator.serviceWorker.ready);
  const lessons = await page.locator('.lesson-map li').count();
  const cachedProse = () => page.evaluate(async () => {
    const keys = await (await caches.open('kubelab')).keys();
    return keys.filter((r) => new URL(r.url).pathname.startsWith('/prose/')).length;
  });
  for (let i = 0; i < 100 && (await cachedProse()) < lessons; i++) await page.waitForTimeout(100);
  assert.equal(await cachedProse(), lessons, 'one cached prose file per lesson');
  assert.deepEqual(page.errors, []);
  // Offline (where only the site's missing favicon fails to load), a lesson never opened before still shows its text.
  await page.context().setOffline(true);
  await page.goto(`${h.base}/lessons/14-job?lang=ko`);
  await page.waitForSelector('.lesson .intro h1');
  assert.match(await page.locator('.lesson .intro h1').innerText(), /잡|Job/);
  assert.equal(await page.locator('.lesson .prose-failed').count(), 0);
  await page.context().setOffline(false);
  await page.context().close();

  // Without the worker and with the file unreachable: the steps work, the text says why it is missing.
  const context = await h.browser.newContext({ serviceWorkers: 'block' });
  let reachable = false;
  const asked = [];
  await context.route('**/prose/**', (route) => {
    asked.push(new URL(route.request().url()).pathname);
    return reachable ? route.continue() : route.abort();
  });
  const p = await context.newPage();
  await p.goto(`${h.base}/lessons/03-pod?lang=en`);
  await p.waitForSelector('.lesson .prose-failed[role="alert"]');
  assert.match(await p.locator('.lesson .prose-failed').innerText(), /lesson text could not be loaded/);
  assert.ok((await p.locator('.lesson .steps li').count()) >= 3, 'the steps are there without the text');
  reachable = true;
  await p.getByRole('button', { name: 'Try again' }).click();
  await p.waitForSelector('.lesson .intro h1');
  assert.equal(await p.locator('.lesson .prose-failed').count(), 0);
  assert.ok(asked.length === 2 && asked.every((u) => /^\/prose\/03-pod\.[0-9a-f]{16}\.json$/.test(u)), asked.join(' '));
  await context.close();
});
