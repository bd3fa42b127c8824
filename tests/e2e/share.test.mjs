// Share by URL, driven the way a teacher and a learner would: Share copies a #v1: link, a fresh
// browser opens it with the same text, language and diagram without losing its own saved work,
// damaged or hostile links show a translated error and a usable page, and too-big manifests are
// offered as a download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { start, openPage, SHOTS } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h.stop(); });

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # 한국어 주석도 그대로
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
const OWN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\ndata:\n  a: "1"\n';

async function setText(page, text) {
  await page.evaluate((t) => {
    const a = document.querySelector('.editor textarea');
    a.focus();
    a.value = t;
    a.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}
const editorText = (page) => page.locator('.editor textarea').inputValue();
const stored = (page) => page.evaluate(() => localStorage.getItem('kubelab.text.playground'));

/// Shares the current editor text; returns the link read from the panel's field.
async function share(page) {
  await page.locator('button.share').click();
  const field = page.locator('.share-panel input.share-link');
  await field.waitFor();
  return field.inputValue();
}

test('share from the playground; a fresh browser opens the same text, language and diagram', async () => {
  const page = await openPage(h.browser, `${h.base}/playground?lang=ko`, { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.waitForSelector('.editor textarea');
  await setText(page, DEPLOY);
  assert.equal(await page.locator('button.share').innerText(), '공유');
  const link = await share(page);
  assert.match(link, /\/playground\?lang=ko#v1:[A-Za-z0-9_-]+$/);
  await page.waitForSelector('.share-panel[data-copied="true"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  assert.match(await page.locator('.share-status').innerText(), new RegExp(`클립보드에 복사했습니다\\(${link.length}자\\)`));
  await page.screenshot({ path: path.join(SHOTS, 'share-link.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // A fresh browser (English by default) that has its own saved playground work. The link names
  // the language; drop ?lang= so only the fragment can set it.
  const bare = link.replace('?lang=ko', '');
  const other = await openPage(h.browser, `${h.base}/playground?lang=en`, { locale: 'en-US' });
  await other.waitForSelector('.editor textarea');
  await setText(other, OWN);
  await other.waitForFunction(() => localStorage.getItem('kubelab.text.playground')?.includes('mine'));
  await other.evaluate(() => localStorage.removeItem('kubelab.lang'));
  await other.goto(bare);
  await other.waitForSelector('.share-opened');
  assert.equal(await editorText(other), DEPLOY, 'byte for byte, Korean included (a textarea itself turns CRLF into LF)');
  assert.equal(await other.locator('html').getAttribute('lang'), 'ko');
  assert.match(await other.locator('.share-opened').innerText(), /공유 링크로 연 매니페스트/);
  await other.waitForFunction(() => document.querySelectorAll('.diagram .el.k-pod').length === 3);
  await other.screenshot({ path: path.join(SHOTS, 'share-opened.png') });
  // Running a command does not save the link's text over the learner's work.
  await other.locator('.terminal input').fill('kubectl get deployments');
  await other.locator('.terminal input').press('Enter');
  assert.equal(await stored(other), OWN);
  await other.locator('button.share-back').click();
  assert.equal(await editorText(other), OWN);
  assert.equal(await stored(other), OWN);
  assert.doesNotMatch(other.url(), /#/);
  // Open again and keep it this time: now it is saved.
  await other.goto(bare);
  await other.waitForSelector('.share-opened');
  await other.locator('button.share-keep').click();
  assert.equal(await stored(other), DEPLOY);
  assert.equal(await other.locator('.share-opened').count(), 0);
  await other.reload();
  await other.waitForSelector('.editor textarea');
  assert.equal(await editorText(other), DEPLOY);
  assert.deepEqual(other.errors, []);
  await other.context().close();
});

test('damaged and hostile links: a translated error, markup stays text, the page stays usable', async () => {
  const page = await openPage(h.browser, `${h.base}/playground?lang=en#v1:garbage`);
  await page.waitForSelector('.share-error');
  assert.match(await page.locator('.share-error').innerText(), /This link is damaged.*Your workbench is unchanged/);
  await page.goto(`${h.base}/playground?lang=ko#v1:***`);
  await page.waitForSelector('.share-error');
  assert.match(await page.locator('.share-error').innerText(), /링크가 손상되었습니다/);
  await page.goto(`${h.base}/playground?lang=en#v9:abc`);
  await page.waitForSelector('.share-error');
  assert.match(await page.locator('.share-error').innerText(), /not a kubelab share link/);
  await page.locator('.share-error button', { hasText: 'Dismiss' }).click();
  assert.equal(await page.locator('.share-error').count(), 0);
  // Still usable: typing applies.
  await setText(page, OWN);
  await page.locator('.objects tbody tr[data-kind="ConfigMap"]').first().waitFor();
  // An anchor such as the skip link's #main is not a share link.
  await page.goto(`${h.base}/playground?lang=en#main`);
  await page.waitForSelector('.editor textarea');
  assert.equal(await page.locator('.share-error, .share-opened').count(), 0);

  // Markup inside the manifest travels as text and renders as text.
  const evil = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: <img src=x onerror="window.__pwned=1">\n';
  await setText(page, evil);
  const link = await share(page);
  const fresh = await openPage(h.browser, link);
  await fresh.waitForSelector('.share-opened');
  assert.equal(await editorText(fresh), evil);
  await fresh.waitForTimeout(500);
  assert.equal(await fresh.evaluate(() => document.querySelectorAll('img[src="x"]').length), 0);
  assert.equal(await fresh.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(fresh.errors.filter((e) => !/x:1|ERR_FILE_NOT_FOUND|404/.test(e)), []);
  await fresh.context().close();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a manifest too big for a link is offered as a download', async () => {
  const page = await openPage(h.browser, `${h.base}/playground?lang=en`);
  await page.waitForSelector('.editor textarea');
  // Incompressible data: deterministic pseudo-random hex.
  let x = 12345, data = '';
  for (let i = 0; i < 300; i++) {
    let v = '';
    for (let j = 0; j < 32; j++) { x = (x * 1103515245 + 12345) % 2147483648; v += (x >> 16 & 15).toString(16); }
    data += `  k${i}: "${v}"\n`;
  }
  const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${data}`;
  await setText(page, big);
  await page.locator('button.share').click();
  await page.waitForSelector('.share-too-long');
  assert.equal(await page.locator('input.share-link').count(), 0);
  assert.match(await page.locator('.share-too-long').innerText(), /too big for a link \(\d+ characters; links stop at 8000/);
  const a = page.locator('a.share-download');
  assert.equal(await a.getAttribute('download'), 'kubelab-manifest.yaml');
  assert.match(await a.getAttribute('href'), /^blob:/);
  const [download] = await Promise.all([page.waitForEvent('download'), a.click()]);
  assert.equal(download.suggestedFilename(), 'kubelab-manifest.yaml');
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), big);
  await page.screenshot({ path: path.join(SHOTS, 'share-too-long.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a lesson page shares its lesson, step and language; the link opens that lesson', async () => {
  const page = await openPage(h.browser, `${h.base}/lessons/03-pod?lang=en`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.lesson .steps li.current');
  const text = await editorText(page);
  const link = await share(page);
  assert.match(link, /\/lessons\/03-pod\?lang=en#v1:/);
  const state = JSON.parse(zlib.inflateRawSync(Buffer.from(link.split('#v1:')[1], 'base64url')).toString('utf8'));
  assert.equal(state.t, text);
  assert.equal(state.l, '03-pod');
  assert.equal(state.g, 'en');
  assert.match(state.s, /^[a-z0-9-]+$/);
  const fresh = await openPage(h.browser, link);
  await fresh.waitForSelector('.share-opened');
  assert.match(await fresh.locator('.lesson .intro h1').innerText(), /Pods/);
  assert.equal(await editorText(fresh), text);
  assert.deepEqual(fresh.errors, []);
  await fresh.context().close();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

const encodeLink = (state) => `v1:${zlib.deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url')}`;
const decodeLink = (link) => JSON.parse(zlib.inflateRawSync(Buffer.from(link.split('#v1:')[1], 'base64url')).toString('utf8'));

test('a link carries the diagram view and the terminal commands; opening it replays them', async () => {
  const page = await openPage(h.browser, `${h.base}/lessons/05-deployment?lang=en`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.diagram[data-view="ownership"]');
  await page.locator('#diagram-tab-networking').click();
  const cmd = 'kubectl scale deployment web --replicas=2';
  await page.locator('.terminal input').fill(cmd);
  await page.locator('.terminal input').press('Enter');
  await page.waitForFunction(() => document.querySelector('.term-log')?.innerText.includes('scaled'));
  const link = await share(page);
  const state = decodeLink(link);
  assert.equal(state.d, 'networking');
  assert.deepEqual(state.h, [cmd]);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const fresh = await openPage(h.browser, link);
  await fresh.waitForSelector('.share-opened');
  await fresh.waitForSelector('.diagram[data-view="networking"]');
  await fresh.waitForFunction((c) => document.querySelector('.term-log')?.innerText.includes(c), cmd);
  assert.match(await fresh.locator('.term-log').innerText(), /deployment.apps\/web scaled/);
  await fresh.locator('.objects tbody tr[data-kind="Deployment"]').filter({ hasText: /\/2$/ }).waitFor();
  assert.deepEqual(fresh.errors, []);
  await fresh.context().close();
});

test('a link made in another lesson (or the playground) is not loaded without asking, and leads to its page', async () => {
  const page = await openPage(h.browser, `${h.base}/lessons/05-deployment?lang=en`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.editor textarea');
  await setText(page, DEPLOY);
  const link = await share(page);
  await page.context().close();

  // The same fragment on lesson 06: a warning naming lesson 05; lesson 06's own text stays.
  const wrong = link.replace('/lessons/05-deployment', '/lessons/06-service');
  const other = await openPage(h.browser, wrong);
  await other.waitForSelector('.share-elsewhere');
  assert.match(await other.locator('.share-elsewhere').innerText(), /made in lesson 05\. Deployments, not on this page/);
  assert.notEqual(await editorText(other), DEPLOY);
  assert.equal(await other.locator('.share-opened').count(), 0);
  await other.screenshot({ path: path.join(SHOTS, 'share-elsewhere-en.png') });
  await other.locator('button.share-go').click();
  await other.waitForURL(/\/lessons\/05-deployment.*#v1:/);
  await other.waitForSelector('.share-opened');
  assert.equal(await editorText(other), DEPLOY);
  assert.deepEqual(other.errors, []);
  await other.context().close();

  // On the playground, the same link in Korean (the link names its language); "open it here
  // anyway" loads it without saving.
  const ko = encodeLink({ ...decodeLink(link), g: 'ko' });
  const play = await openPage(h.browser, `${h.base}/playground#${ko}`);
  await play.waitForSelector('.share-elsewhere');
  assert.match(await play.locator('.share-elsewhere').innerText(), /레슨 05\. 디플로이먼트에서 만든 것이라/);
  await play.locator('button.share-here').click();
  await play.waitForSelector('.share-opened');
  assert.equal(await editorText(play), DEPLOY);
  assert.equal(await stored(play), null, 'not saved until kept');
  assert.deepEqual(play.errors, []);
  await play.context().close();

  // A playground link opened in a lesson.
  const fromPlay = await openPage(h.browser, `${h.base}/playground?lang=en`);
  await fromPlay.waitForSelector('.editor textarea');
  await setText(fromPlay, OWN);
  const pl = await share(fromPlay);
  await fromPlay.context().close();
  const inLesson = await openPage(h.browser, pl.replace('/playground', '/lessons/03-pod'));
  await inLesson.waitForSelector('.share-elsewhere');
  assert.match(await inLesson.locator('.share-elsewhere').innerText(), /made in the playground, not in this lesson/);
  assert.match(await inLesson.locator('button.share-go').innerText(), /Open it in the playground/);
  assert.deepEqual(inLesson.errors, []);
  await inLesson.context().close();
});
