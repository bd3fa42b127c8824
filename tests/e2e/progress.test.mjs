// Moving browsers: a learner downloads their progress file on the home page, and a fresh browser
// loads it: the steps done and the manifest come back. Bad files get a clear message and change
// nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { start, openPage, SHOTS } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h.stop(); });

const MINE = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: mine   # 내 매니페스트\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n';
const card = (page, id) => page.locator('.lesson-card', { has: page.locator(`a[href$="/lessons/${id}"]`) }).locator('.progress');

test('export then import restores progress and manifests in a fresh browser; bad files get a message', async () => {
  const page = await openPage(h.browser, `${h.base}/?lang=en`);
  await page.waitForSelector('.lesson-map');
  await page.evaluate((mine) => {
    localStorage.clear();
    localStorage.setItem('kubelab.progress', JSON.stringify({ version: 1, lessons: { '03-pod': { done: ['run', 'typo'] } } }));
    localStorage.setItem('kubelab.text.lesson.03-pod', mine);
  }, MINE);
  await page.reload();
  await page.waitForSelector('.progress-file');
  assert.match(await card(page, '03-pod').innerText(), /^2 of 4 steps done/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button.progress-save').click()]);
  assert.equal(download.suggestedFilename(), 'kubelab-progress.json');
  const file = path.join(SHOTS, '..', 'kubelab-progress.json');
  fs.copyFileSync(await download.path(), file);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.deepEqual(saved.lessons['03-pod'], { done: ['run', 'typo'], manifest: MINE });
  await page.locator('.progress-msg.ok').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'progress-saved-en.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // A fresh browser, in Korean: nothing done; bad files first.
  const other = await openPage(h.browser, `${h.base}/?lang=ko`);
  await other.waitForSelector('.progress-file');
  assert.match(await card(other, '03-pod').innerText(), /4단계 중 0단계 완료/);
  const input = other.locator('.progress-load input[type=file]');
  for (const [name, body, msg] of [
    ['notes.txt', 'hello', /kubelab 학습 기록 파일이 아닙니다/],
    ['other.json', '{"lessons": 5}', /kubelab 학습 기록 파일이 아닙니다/],
    ['empty.json', '{"version":1,"lessons":{"99-nope":{"done":["x"]}}}', /완료한 단계나 매니페스트가 없습니다/],
  ]) {
    await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
    await other.waitForFunction((re) => new RegExp(re).test(document.querySelector('.progress-msg.error')?.innerText || ''), msg.source);
  }
  assert.match(await card(other, '03-pod').innerText(), /4단계 중 0단계 완료/, 'a bad file changes nothing');
  await other.screenshot({ path: path.join(SHOTS, 'progress-bad-file-ko.png'), fullPage: true });
  await input.setInputFiles(file);
  await other.locator('.progress-msg.ok').waitFor();
  assert.match(await other.locator('.progress-msg').innerText(), /레슨 1개의 학습 기록을 불러왔습니다/);
  assert.match(await card(other, '03-pod').innerText(), /4단계 중 2단계 완료/);
  await other.screenshot({ path: path.join(SHOTS, 'progress-loaded-ko.png'), fullPage: true });
  // The lesson opens with the learner's manifest and its steps done.
  await other.locator('a[href$="/lessons/03-pod"]').click();
  await other.waitForSelector('.lesson .steps li.done');
  assert.equal(await other.locator('.editor textarea').inputValue(), MINE);
  assert.ok(await other.locator('.lesson .steps li.done').count() >= 2);
  assert.deepEqual(other.errors, []);
  await other.context().close();
});
