// The page as a beginner sees it at 1440×900 and on a phone: the diagram fits its panel (lesson
// 05's Deployment → ReplicaSet → 3 Pods all inside the visible box, text drawn at a readable
// scale), each lesson opens on the view it is about, the terminal sits under the editor on a wide
// screen and everything stacks on a phone, and a lesson "ghost" shows what the step asks for
// until the object exists. Screenshots in both languages and both themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { start, openPage, SHOTS } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h.stop(); });

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
/// The smallest scale the picture is drawn at before it scrolls (canvas.rs MIN_SCALE).
const MIN_SCALE = 0.8;

async function lesson(slug, lang = 'en', opts = {}) {
  const page = await openPage(h.browser, `${h.base}/lessons/${slug}?lang=${lang}`, { viewport: WIDE, ...opts });
  await page.waitForSelector('.editor textarea');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.diagram .diagram-svg');
  return page;
}

/// Elements (not ghosts, not lanes) whose box leaves the visible diagram box; the drawing scale.
const fit = (page, vertical) => page.evaluate((vertical) => {
  const c = document.querySelector('.diagram-canvas').getBoundingClientRect();
  const svg = document.querySelector('.diagram-svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const out = [...document.querySelectorAll('.diagram .el .box, .diagram .lane .lane-box')].filter((b) => {
    const r = b.getBoundingClientRect();
    return r.left < c.left - 0.5 || r.right > c.right + 0.5 || (vertical && (r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5));
  }).map((b) => b.closest('[data-id]').dataset.id);
  return { out, scale, scrolls: document.querySelector('.diagram-canvas').scrollWidth > document.querySelector('.diagram-canvas').clientWidth };
}, vertical);

const realPods = (page) => page.locator('.diagram .el.k-pod:not(.st-ghost)');

test('lesson 05 at 1440×900: Deployment → ReplicaSet → 3 Pods all inside the diagram, in every view nothing sticks out', async () => {
  for (const [lang, scheme] of [['en', 'light'], ['ko', 'dark']]) {
    const page = await lesson('05-deployment', lang, { colorScheme: scheme });
    assert.equal(await page.locator('#diagram-tab-ownership').getAttribute('aria-selected'), 'true', 'opens on Ownership');
    await page.waitForFunction(() => document.querySelectorAll('.diagram .el.k-pod .state').length === 3
      && [...document.querySelectorAll('.diagram .el.k-pod .state')].every((s) => s.textContent.trim() === 'Running'));
    await page.waitForTimeout(400); // moves animate
    const { out, scale, scrolls } = await fit(page, true);
    assert.deepEqual(out, [], 'every element of the ownership view is inside the visible box');
    assert.ok(!scrolls, 'the ownership view does not scroll sideways');
    assert.ok(scale >= MIN_SCALE - 0.001, `drawn at ${scale}`);
    // Top-down: the Deployment above its ReplicaSet above the pods, the 3 pods in one row.
    const y = (sel) => page.locator(sel).first().evaluate((e) => e.getBoundingClientRect().top);
    const [d, rs] = [await y('.el.k-deployment'), await y('.el.k-replicaset')];
    const podTops = await realPods(page).evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    assert.ok(d < rs && rs < Math.min(...podTops), `Deployment ${d}, ReplicaSet ${rs}, pods ${podTops}`);
    assert.equal(new Set(podTops).size, 1, `the pods share a row: ${podTops}`);
    // A pod's name is drawn at least ~10 px tall on screen.
    const nameH = await realPods(page).first().locator('.name').evaluate((t) => t.getBoundingClientRect().height);
    assert.ok(nameH >= 10, `pod name ${nameH}px tall`);
    await page.screenshot({ path: path.join(SHOTS, `lesson05-ownership-${lang}-${scheme}.png`) });
    await page.locator('.diagram').screenshot({ path: path.join(SHOTS, `lesson05-ownership-diagram-${lang}-${scheme}.png`) });
    for (const v of ['cluster', 'networking', 'storage', 'config', 'rbac']) {
      await page.locator(`#diagram-tab-${v}`).click();
      await page.waitForSelector(`.diagram[data-view="${v}"]`);
      await page.waitForTimeout(400);
      const f = await fit(page, false);
      assert.deepEqual(f.out, [], `${v}: nothing sticks out sideways`);
      assert.ok(!f.scrolls, `${v} does not scroll sideways`);
      if (v === 'cluster') {
        // The control plane's four components are chips inside their lane, names not cut.
        assert.equal(await page.locator('.diagram .el.k-component').count(), 4);
        const cut = await page.locator('.diagram .el.k-component').evaluateAll((els) => els.filter((e) =>
          e.querySelector('.name').getBoundingClientRect().right > e.querySelector('.box').getBoundingClientRect().right).length);
        assert.equal(cut, 0, 'component names fit their chips');
        await page.locator('.diagram').screenshot({ path: path.join(SHOTS, `lesson05-cluster-diagram-${lang}-${scheme}.png`) });
      }
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('each lesson opens on the view it is about (lesson 18 on RBAC)', async () => {
  for (const [slug, view] of [['18-rolebinding', 'rbac'], ['01-cluster', 'cluster'], ['06-service', 'networking'], ['21-daemonset', 'cluster']]) {
    const page = await lesson(slug);
    await page.waitForSelector(`.diagram[data-view="${view}"]`);
    assert.equal(await page.locator(`#diagram-tab-${view}`).getAttribute('aria-selected'), 'true', slug);
    if (slug === '18-rolebinding') {
      // The lesson's picture: User jane → RoleBinding → Role → its rule, not empty nodes.
      await page.locator('.diagram .el[data-id="subject/User/jane"]').waitFor();
      await page.locator('.diagram .el[data-id="RoleBinding/dev/jane-reads-pods"]').waitFor();
      await page.locator('.diagram .el.k-rule').first().waitFor();
      assert.deepEqual((await fit(page, true)).out, []);
      await page.screenshot({ path: path.join(SHOTS, 'lesson18-rbac-en-light.png') });
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

const box = (page, sel) => page.locator(sel).evaluate((e) => { const r = e.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; });

test('wide: the terminal under the editor, the diagram alone on the right; phone: stacked, nothing wider than the screen', async () => {
  const page = await lesson('05-deployment');
  const [ed, term, cl] = [await box(page, '.editor-pane'), await box(page, '.terminal-pane'), await box(page, '.cluster-pane')];
  assert.ok(term.t >= ed.b && Math.abs(term.l - ed.l) < 2, `terminal ${JSON.stringify(term)} under editor ${JSON.stringify(ed)}`);
  assert.ok(cl.l > ed.r && cl.t < term.t, 'the cluster pane has the right column');
  assert.ok(term.t < 900, 'the terminal starts above the fold');
  await page.context().close();
  for (const [lang, scheme] of [['en', 'light'], ['ko', 'dark']]) {
    const phone = await lesson('05-deployment', lang, { viewport: PHONE, colorScheme: scheme, isMobile: true, hasTouch: true });
    await phone.waitForFunction(() => document.querySelectorAll('.diagram .el.k-pod').length === 3);
    const [e, c, t] = [await box(phone, '.editor-pane'), await box(phone, '.cluster-pane'), await box(phone, '.terminal-pane')];
    assert.ok(e.b <= c.t && c.b <= t.t, 'editor, cluster, terminal, in that order');
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways page scroll');
    await phone.waitForTimeout(400);
    assert.deepEqual((await fit(phone, false)).out, [], 'the ownership view fits a phone');
    await phone.locator('.diagram').screenshot({ path: path.join(SHOTS, `lesson05-phone-diagram-${lang}-${scheme}.png`) });
    await phone.screenshot({ path: path.join(SHOTS, `lesson05-phone-${lang}-${scheme}.png`), fullPage: true });
    assert.deepEqual(phone.errors, []);
    await phone.context().close();
  }
});

test('a ghost shows what the step asks for, and goes away once the object exists', async () => {
  for (const [lang, scheme] of [['ko', 'light'], ['en', 'dark']]) {
    const page = await lesson('01-cluster', lang, { colorScheme: scheme });
    const ghost = page.locator('.diagram .el.st-ghost[data-id="ghost/Pod/default/hello"]');
    await ghost.waitFor();
    assert.match(await ghost.getAttribute('aria-label'), lang === 'ko' ? /Pod hello.*목표: 아직 만들지 않음/ : /Pod hello.*Goal: not created yet/);
    await page.locator('.diagram .lane[data-id="lane/goal"]').waitFor();
    await page.locator('.diagram-legend li.st-ghost').waitFor();
    assert.deepEqual((await fit(page, true)).out, []);
    await page.locator('.diagram').screenshot({ path: path.join(SHOTS, `ghost-lesson01-${lang}-${scheme}.png`) });
    await page.locator('.terminal input').fill('kubectl run hello --image=nginx:1.27');
    await page.locator('.terminal input').press('Enter');
    await page.locator('.diagram .el[data-id="Pod/default/hello"]').waitFor();
    assert.equal(await ghost.count(), 0, 'the ghost is gone');
    assert.equal(await page.locator('.diagram .lane[data-id="lane/goal"]').count(), 0);
    assert.equal(await page.locator('.diagram-legend li.st-ghost').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
