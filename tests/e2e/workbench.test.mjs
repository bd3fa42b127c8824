// The app shell and the workbench, driven the way a learner would: language switch, typing a
// manifest, errors at their line, the terminal, persistence, offline, and screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { start, openPage, SHOTS, setText } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h.stop(); });

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;
const MULTI = `${DEPLOY}---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  GREETING: hello
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;

const rows = (page, kind) => page.locator(`.objects tbody tr[data-kind="${kind}"]`);

async function playground(lang = 'en', opts = {}) {
  const page = await openPage(h.browser, `${h.base}/playground?lang=${lang}`, opts);
  await page.waitForSelector('.editor textarea');
  await page.evaluate(() => localStorage.clear());
  return page;
}

test('home, language switch remembered, ?lang honoured, 404', async () => {
  const page = await openPage(h.browser, h.base + '/?lang=en');
  await page.waitForSelector('.home h1');
  assert.equal(await page.locator('.home h1').innerText(), 'Learn Kubernetes by doing');
  await page.getByRole('button', { name: '한국어' }).click();
  assert.equal(await page.locator('.home h1').innerText(), '직접 해 보며 배우는 쿠버네티스');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
  assert.match(page.url(), /lang=ko/);
  await page.goto(h.base + '/');
  await page.waitForSelector('.home h1');
  assert.equal(await page.locator('header nav a').nth(1).innerText(), '실습 공간');
  await page.goto(h.base + '/no/such/page?lang=en');
  await page.waitForSelector('.notfound h1');
  assert.equal(await page.locator('.notfound h1').innerText(), 'Page not found');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('home lists the lessons; a lesson page opens with its prose, steps and manifest', async () => {
  const page = await openPage(h.browser, h.base + '/?lang=en');
  await page.evaluate(() => localStorage.clear());
  await page.waitForSelector('.lesson-map li');
  assert.ok((await page.locator('.lesson-map li').count()) >= 20);
  await page.locator('.lesson-map a', { hasText: 'Pods' }).first().click();
  await page.waitForSelector('.lesson .intro h1');
  assert.match(await page.locator('.lesson .intro h1').innerText(), /Pods/);
  assert.match(await page.locator('.editor textarea').inputValue(), /kind: Pod/);
  await rows(page, 'Pod').first().waitFor();
  assert.equal(await page.locator('.lesson .steps li.current').count(), 1);
  await page.getByRole('button', { name: '한국어' }).click();
  assert.match(await page.locator('.lesson .intro h1').innerText(), /파드/);
  await page.goto(h.base + '/lessons/99-nothing?lang=en');
  await page.waitForSelector('.notfound');
  assert.match(await page.locator('.notfound').innerText(), /99-nothing/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a page shows at once while the wasm loads, in the chosen theme, and goes when the app mounts', async () => {
  // The served HTML itself says what is happening, in both languages.
  const html = await (await fetch(h.base + '/lessons/03-pod')).text();
  assert.match(html, /id="boot"[\s\S]*클러스터를 준비하는 중[\s\S]*Starting the cluster/);
  const page = await openPage(h.browser, h.base + '/?lang=en');
  await page.waitForSelector('.home h1');
  assert.equal(await page.locator('#boot').count(), 0);
  assert.equal(await page.locator('header.top').count(), 1);
  await page.context().close();
  // While the wasm has not arrived (here: never), the page is there, in the learner's theme
  // (a dark system theme, or the one chosen before) from the first paint.
  const waiting = await openPage(h.browser, 'about:blank', { serviceWorkers: 'block', colorScheme: 'dark' });
  await waiting.route('**/*.wasm', () => {});
  await waiting.goto(h.base + '/lessons/03-pod');
  await waiting.waitForSelector('#boot .boot-msg');
  assert.equal(await waiting.locator('html').getAttribute('data-theme'), 'dark');
  assert.equal(await waiting.locator('#boot .boot-msg span[lang="en"]').innerText(), 'Starting the cluster…');
  await waiting.screenshot({ path: path.join(SHOTS, 'boot-dark.png') });
  await waiting.context().close();
});

test('the lesson and its editor show before the cluster boots; text typed meanwhile is applied once it is up', async () => {
  const page = await openPage(h.browser, 'about:blank');
  // Zero-delay timeouts wait while __hold is set: the page boots its cluster in one, queued from
  // the first frame, so the test can look at the page before the boot.
  await page.addInitScript(() => {
    const real = window.setTimeout.bind(window);
    window.__hold = true;
    window.__held = [];
    window.setTimeout = (fn, ms, ...args) => (window.__hold && !ms ? (window.__held.push(() => fn(...args)), 0) : real(fn, ms, ...args));
    window.__release = () => { window.__hold = false; window.__held.splice(0).forEach((f) => f()); };
  });
  await page.goto(h.base + '/lessons/03-pod?lang=en');
  await page.waitForSelector('.cluster .booting');
  await page.waitForSelector('.lesson .intro');
  assert.equal(await page.locator('.cluster .booting').innerText(), 'Starting the cluster…');
  assert.equal(await page.locator('.diagram').count(), 0, 'no diagram of a cluster that is not there yet');
  assert.ok(await page.locator('#term-input').isDisabled(), 'the terminal waits for the cluster');
  assert.equal(await page.locator('.lesson .steps li.done').count(), 0);
  await page.screenshot({ path: path.join(SHOTS, 'lesson-booting.png') });
  await setText(page, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: early\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n');
  await page.evaluate(() => window.__release());
  await rows(page, 'Pod').filter({ hasText: 'early' }).waitFor();
  await page.waitForSelector('.diagram .el');
  assert.equal(await page.locator('.cluster .booting').count(), 0);
  assert.ok(!(await page.locator('#term-input').isDisabled()));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('pods are scheduled onto nodes and run; the lesson step ticks', async () => {
  const page = await openPage(h.browser, h.base + '/lessons/03-pod?lang=en');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.lesson .steps li.current');
  // With time running, the scheduler binds the pod, the kubelet starts it, and step 1 ticks.
  await page.waitForSelector('.lesson .steps li.done', { timeout: 15000 });
  const pod = rows(page, 'Pod').first();
  assert.match(await pod.innerText(), /Running/);
  assert.notEqual((await pod.locator('td').nth(3).innerText()).trim(), '', 'the pod shows its node');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('typing a Deployment applies it; replicas edit updates it; a typo keeps the last good cluster', async () => {
  const page = await playground();
  await setText(page, DEPLOY);
  await rows(page, 'Deployment').first().waitFor();
  assert.match(await rows(page, 'Deployment').first().innerText(), /web/);
  await page.waitForFunction(() => document.querySelectorAll('.objects tr[data-kind="Pod"]').length === 3);
  assert.match(await rows(page, 'Pod').first().innerText(), /^Pod\s+web-[a-z0-9]+-[a-z0-9]{5}\b/);
  await setText(page, DEPLOY.replace('replicas: 3', 'replicas: 5'));
  await page.waitForFunction(() => document.querySelector('.objects tr[data-kind="Deployment"]')?.innerText.includes('/5'));
  await page.waitForFunction(() => document.querySelectorAll('.objects tr[data-kind="Pod"]').length === 5);
  // A typo on line 6: the error names line 6, its gutter number is marked, the old objects stay.
  await setText(page, DEPLOY.replace('  replicas: 3', '  replicas: [3'));
  await page.waitForSelector('.problems li.err');
  const problem = await page.locator('.problems li.err').first().innerText();
  assert.match(problem, /^Line \d+: /);
  const marked = await page.locator('.gutter .gl.err').first().innerText();
  assert.ok(problem.startsWith(`Line ${marked}:`), `${problem} vs gutter ${marked}`);
  assert.ok(await page.locator('.cluster.stale').isVisible());
  assert.equal(await rows(page, 'Deployment').count(), 1);
  assert.match(await rows(page, 'Deployment').first().innerText(), /\/5/);
  // The framing follows the language.
  await page.getByRole('button', { name: '한국어' }).click();
  assert.match(await page.locator('.problems li.err').first().innerText(), /^\d+행: /);
  // Removing everything prunes what the editor created.
  await setText(page, '');
  await page.waitForFunction(() => !document.querySelector('.objects tr[data-kind="Deployment"]'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('editor keys: Tab indents by two, Enter keeps indentation, undo restores', async () => {
  const page = await playground();
  const area = page.locator('.editor textarea');
  await area.click();
  await page.keyboard.type('spec:');
  await page.keyboard.press('Enter');
  await page.keyboard.type('x: 1');
  assert.equal(await area.inputValue(), 'spec:\n  x: 1');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await area.inputValue(), 'spec:\nx: 1');
  await page.keyboard.press('Tab');
  assert.equal(await area.inputValue(), 'spec:\nx: 1  ');
  await page.keyboard.press('Control+z');
  assert.equal(await area.inputValue(), 'spec:\nx: 1');
  await page.getByRole('button', { name: 'ConfigMap', exact: true }).click();
  assert.match(await area.inputValue(), /---\napiVersion: v1\nkind: ConfigMap/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});


test('the coloured text lines up with the textarea line for line, empty lines included', async () => {
  const page = await playground();
  await setText(page, 'a: 1\n\n\nb: 2\n  c: "x"\n\n');
  await page.waitForFunction(() => document.querySelectorAll('.editor pre.hl .ln').length === 7);
  const got = await page.evaluate(() => {
    const a = document.querySelector('.editor textarea');
    const lh = parseFloat(getComputedStyle(a).lineHeight);
    const top = a.getBoundingClientRect().top + parseFloat(getComputedStyle(a).paddingTop);
    const lines = [...document.querySelectorAll('.editor pre.hl .ln')].map((l) => (l.getBoundingClientRect().top - top) / lh);
    return { lines, textarea: a.scrollHeight, pre: document.querySelector('.editor pre.hl').getBoundingClientRect().height };
  });
  assert.deepEqual(got.lines, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(got.pre, got.textarea);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
test('terminal runs commands on the same cluster, with history', async () => {
  const page = await playground();
  await setText(page, DEPLOY);
  await rows(page, 'Deployment').first().waitFor();
  const input = page.locator('#term-input');
  await input.fill('ls');
  await input.press('Enter');
  await page.waitForSelector('.term-log pre.failed');
  assert.equal((await page.locator('.term-log pre').last().innerText()).trim(), 'ls: command not found');
  await input.fill('kubectl sc');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl scale ');
  await input.fill('');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'ls');
  await input.fill('kubectl scale deployment web --replicas=2');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('.objects tr[data-kind="Deployment"]')?.innerText.includes('/2'), null, { timeout: 5000 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('reload restores the text; a huge paste gets a message; markup stays text', async () => {
  const page = await playground();
  await setText(page, DEPLOY.replace('replicas: 3', 'replicas: 4'));
  await rows(page, 'Deployment').first().waitFor();
  await page.reload();
  await page.waitForSelector('.editor textarea');
  assert.match(await page.locator('.editor textarea').inputValue(), /replicas: 4/);
  await rows(page, 'Deployment').first().waitFor();
  const big = '# ' + 'x'.repeat(1024 * 1024) + '\n';
  await setText(page, big);
  await page.waitForSelector('.problems li.err', { timeout: 10000 });
  assert.match(await page.locator('.problems li.err').innerText(), /at most 256 KB/);
  const evil = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "<img src=x onerror=alert(1)>"\n';
  await setText(page, evil);
  // Refused with a message, or accepted and listed: either way the name shows as text.
  await page.waitForSelector('.problems li.err, .objects tr[data-kind="ConfigMap"]');
  assert.equal(await page.locator('img').count(), 0, 'no markup from the manifest is rendered');
  assert.match(await page.locator('.workbench').innerText(), /<img src=x onerror=alert\(1\)>/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('time controls move the simulated clock; reset returns to the start', async () => {
  const page = await playground();
  const clock = page.locator('.timebar time');
  assert.equal(await clock.innerText(), '2026-01-05T09:00:00Z');
  await page.locator('.timebar select').selectOption('30');
  await page.waitForFunction(() => document.querySelector('.timebar time').innerText !== '2026-01-05T09:00:00Z');
  await page.getByRole('button', { name: 'Pause' }).click();
  const paused = await clock.innerText();
  await page.waitForTimeout(600);
  assert.equal(await clock.innerText(), paused);
  await page.getByRole('button', { name: 'Reset to start' }).click();
  assert.equal(await clock.innerText(), '2026-01-05T09:00:00Z');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('two tabs on the same page get a warning', async () => {
  const first = await playground();
  const second = await first.context().newPage();
  await second.goto(`${h.base}/playground?lang=en`);
  await second.waitForSelector('.editor textarea');
  await first.waitForSelector('.notice.warn');
  await second.waitForSelector('.notice.warn');
  await first.context().close();
});

test('works offline after the first visit', async () => {
  const page = await playground();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload(); // the worker now controls the page and has cached the build
  await page.waitForSelector('.editor textarea');
  await page.context().setOffline(true);
  await page.reload();
  await page.waitForSelector('.editor textarea');
  await page.waitForSelector('.diagram'); // the simulator's module came from the cache too
  await page.goto(`${h.base}/?lang=en`);
  await page.waitForSelector('.home h1');
  await page.context().setOffline(false);
  await page.context().close();
});

test('a simulator module that does not load gets a message; the editor still works and saves', async () => {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(/\/sim-[0-9a-f]+\.wasm$/, (route) => route.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${h.base}/playground?lang=en`);
  const alert = page.locator('.cluster .load-failed');
  await alert.waitFor();
  assert.match(await alert.innerText(), /did not load/);
  await page.screenshot({ path: path.join(SHOTS, 'simulator-load-failed.png') });
  assert.ok(await page.locator('#term-input').isDisabled());
  assert.ok(await page.locator('.sharebar button.share').isDisabled(), 'no share link without the simulator');
  await setText(page, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kept\n');
  await page.reload();
  await alert.waitFor();
  assert.match(await page.locator('.editor textarea').inputValue(), /name: kept/);
  assert.deepEqual(errors, [], 'no uncaught error (no panic)');
  await context.close();
});

test('screenshots: the playground with a multi-resource manifest, both languages and themes', async () => {
  for (const lang of ['en', 'ko']) {
    for (const scheme of ['light', 'dark']) {
      const page = await playground(lang, { colorScheme: scheme, viewport: { width: 1400, height: 1000 } });
      await setText(page, MULTI);
      await rows(page, 'Ingress').first().waitFor();
      await page.getByRole('button', { name: lang === 'ko' ? '일시 정지' : 'Pause' }).click();
      await page.screenshot({ path: path.join(SHOTS, `playground-${lang}-${scheme}.png`), fullPage: true });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
  const phone = await playground('ko', { viewport: { width: 390, height: 844 } });
  await setText(phone, MULTI);
  await phone.screenshot({ path: path.join(SHOTS, 'playground-phone-ko.png'), fullPage: true });
  await phone.context().close();
});
