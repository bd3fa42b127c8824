// The live diagram in the playground, driven the way a learner would: pods appear in node lanes,
// views switch, an element is selected with the mouse and the keyboard, positions stay put when
// an unrelated object is added, the language switches; screenshots of every view; and the
// keystroke-to-diagram time for a 50-line and a 500-line manifest (printed, not asserted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { start, openPage, SHOTS, setText, oneReplicaLess, timedPaste } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h.stop(); });

const deploy = (name, replicas, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports:
        - containerPort: 80${extra}
`;
const envFrom = `
        envFrom:
        - configMapRef:
            name: web-config`;
const MIXED = `${deploy('web', 3, envFrom)}---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
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


async function playground(lang = 'en', opts = {}) {
  const page = await openPage(h.browser, `${h.base}/playground?lang=${lang}`, opts);
  await page.waitForSelector('.editor textarea');
  await page.evaluate(() => localStorage.clear());
  await page.waitForSelector('.diagram .diagram-svg');
  return page;
}

const pods = (page) => page.locator('.diagram .el.k-pod');
const tab = (page, view) => page.locator(`#diagram-tab-${view}`);
const transforms = (page) => page.evaluate(() => Object.fromEntries(
  [...document.querySelectorAll('.diagram .el, .diagram .lane')].map((e) => [e.dataset.id, e.style.transform])));

test('a Deployment\'s pods appear in node lanes, and selecting one shows its details', async () => {
  const page = await playground();
  await setText(page, deploy('web', 3));
  await page.waitForFunction(() => document.querySelectorAll('.diagram .el.k-pod').length === 3);
  await page.waitForTimeout(500); // lanes below a grown one slide down (320 ms)
  // Every pod sits inside a node lane (or the Pending lane): its box lies within a lane's box.
  const inLane = await page.evaluate(() => {
    const lanes = [...document.querySelectorAll('.diagram .lane .lane-box')].map((r) => r.getBoundingClientRect());
    return [...document.querySelectorAll('.diagram .el.k-pod .box')].every((p) => {
      const b = p.getBoundingClientRect();
      return lanes.some((l) => b.left >= l.left - 1 && b.right <= l.right + 1 && b.top >= l.top - 1 && b.bottom <= l.bottom + 1);
    });
  });
  assert.ok(inLane, 'pods are drawn inside lanes');
  // The control plane shows its four components.
  for (const c of ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager']) {
    await page.locator(`.diagram .el[data-id="cp/${c}"]`).waitFor();
  }
  // Click a pod: the details panel names it; Escape/Close clears it.
  const first = pods(page).first();
  const id = await first.getAttribute('data-id');
  await first.click();
  await page.waitForFunction((n) => document.querySelector('.diagram-details h3')?.innerText.includes(n), id.split('/')[2]);
  assert.equal(await first.getAttribute('aria-pressed'), 'true');
  await page.locator('.diagram-close').click();
  await page.waitForSelector('.diagram-details p.muted');
  // Keyboard: focus an element and press Enter.
  await pods(page).nth(1).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.diagram-details h3');
  assert.deepEqual(page.errors, []);
});

test('scaling changes the pod count; an unrelated object moves nothing', async () => {
  const page = await playground();
  await setText(page, deploy('web', 3));
  await page.waitForFunction(() => document.querySelectorAll('.diagram .el.k-pod').length === 3);
  await page.waitForTimeout(500);
  const before = await transforms(page);
  await setText(page, `${deploy('web', 3)}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: unrelated
data:
  a: b
`);
  await page.waitForTimeout(500);
  const after = await transforms(page);
  for (const [id, t] of Object.entries(before)) assert.equal(after[id], t, `${id} moved`);
  await setText(page, deploy('web', 5));
  await page.waitForFunction(() => document.querySelectorAll('.diagram .el.k-pod').length === 5);
  assert.deepEqual(page.errors, []);
});

test('views switch by click and arrow keys; ownership shows Deployment → ReplicaSet → Pods; a Service selects exactly its pods', async () => {
  const page = await playground();
  await setText(page, `${MIXED}---\n${deploy('api', 2)}`);
  await page.waitForFunction(() => document.querySelectorAll('.diagram .el.k-pod').length === 5);
  await tab(page, 'networking').click();
  await page.waitForSelector('.diagram[data-view="networking"] .el.k-service');
  const sel = await page.evaluate(() => [...document.querySelectorAll('.diagram .edge')].map((e) => e.dataset.id)
    .filter((e) => e.startsWith('Selects:Service/default/web->')).map((e) => e.split('->')[1]).sort());
  const webPods = await page.evaluate(() => [...document.querySelectorAll('.diagram .el.k-pod')].map((e) => e.dataset.id)
    .filter((id) => id.startsWith('Pod/default/web-')).sort());
  assert.equal(webPods.length, 3);
  assert.deepEqual(sel, webPods, 'the Service web selects exactly the web pods');
  assert.equal(await page.locator('.diagram .el[data-id^="Pod/default/api-"]').count(), 0, 'unselected pods are not in the networking view');
  await tab(page, 'ownership').click();
  await page.waitForSelector('.diagram[data-view="ownership"] .el.k-deployment');
  const edges = await page.evaluate(() => [...document.querySelectorAll('.diagram .edge')].map((e) => e.dataset.id));
  assert.equal(edges.filter((e) => e.startsWith('Owns:Deployment/default/web->ReplicaSet/default/web-')).length, 1, edges.join('\n'));
  assert.equal(edges.filter((e) => /^Owns:ReplicaSet\/default\/web-[^>]*->Pod\/default\/web-/.test(e)).length, 3, edges.join('\n'));
  // Selecting the Deployment highlights the manifest lines it came from (the first document).
  await page.locator('.diagram .el[data-id="Deployment/default/web"]').click();
  await page.waitForSelector('.gutter .gl.focus');
  const focused = await page.evaluate(() => [...document.querySelectorAll('.gutter .gl')].map((g, i) => [i + 1, g.classList.contains('focus')])
    .filter(([, f]) => f).map(([l]) => l));
  assert.equal(focused[0], 1, `highlighted lines: ${focused}`);
  assert.ok(focused.length >= 20 && focused.length <= 26, `highlighted lines: ${focused}`);
  await tab(page, 'ownership').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('.diagram[data-view="networking"]');
  assert.equal(await tab(page, 'networking').getAttribute('aria-selected'), 'true');
  // The table alternative lists the same elements.
  await page.locator('.diagram-table summary').click();
  await page.waitForSelector('.diagram-table tbody tr[data-id="Service/default/web"]');
  assert.deepEqual(page.errors, []);
});

test('screenshots of every view, both languages and both themes', async () => {
  for (const [lang, scheme] of [['en', 'light'], ['ko', 'dark']]) {
    const page = await playground(lang, { colorScheme: scheme, viewport: { width: 1400, height: 1000 } });
    await setText(page, MIXED);
    await page.waitForFunction(() => document.querySelectorAll('.diagram .el.k-pod').length === 3);
    await page.waitForTimeout(3000); // let the pods start (the clock runs while the page is open)
    for (const v of ['cluster', 'ownership', 'networking', 'storage', 'config', 'rbac']) {
      await tab(page, v).click();
      await page.waitForSelector(`.diagram[data-view="${v}"]`);
      await page.waitForTimeout(400);
      await page.locator('.diagram').screenshot({ path: path.join(SHOTS, `diagram-${v}-${lang}-${scheme}.png`) });
    }
    if (lang === 'ko') {
      assert.equal(await tab(page, 'cluster').innerText(), '클러스터');
    }
    assert.deepEqual(page.errors, []);
  }
});

test('benchmark: keystroke to diagram for a 50-line and a 500-line manifest', async () => {
  const page = await playground();
  // ~50 lines: two Deployments (4 pods); ~500 lines: twenty Deployments (60 pods). Each run uses
  // fresh names, so pods left by an earlier run never count.
  const manifest = (run, n, replicas) => Array.from({ length: n }, (_, i) => deploy(`r${run}-app${i}`, replicas)).join('---\n');
  let run = 0;
  for (const [label, n, replicas] of [['~50-line', 2, 2], ['~500-line', 20, 3]]) {
    const times = [];
    let lines = 0;
    for (let k = 0; k < 5; k++, run++) {
      const text = manifest(run, n, replicas);
      lines = text.split('\n').length;
      // Start from the manifest with one replica less in its last Deployment, then type the
      // digit that adds a pod; time until the new pod is drawn and a frame has passed.
      const prefix = `Pod/default/r${run}-`;
      const ms = await oneReplicaLess(page, text, n * replicas, prefix, 100) < 0 ? -1 : await timedPaste(page, text, n * replicas, prefix, true);
      times.push(ms);
    }
    times.sort((x, y) => x - y);
    console.log(`diagram benchmark: ${label} manifest (${lines} lines, ${n * replicas} pods): keystroke → diagram median ${times[2].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[4].toFixed(1)})`);
    assert.ok(times[0] >= 0, 'the diagram caught up');
  }
  assert.deepEqual(page.errors, []);
});
