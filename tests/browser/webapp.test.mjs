// The web app end to end in headless Chromium: paste an article and read a
// highlight's evidence, open a side-by-side comparison, search the corpus.
// Run by tests/browser/run.sh (it starts the server and sets PARALLAX_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch } from './chromium.mjs';

const URL = process.env.PARALLAX_URL;
const SHOTS = process.env.SCREENSHOTS === '1'
  ? path.join(process.env.PARALLAX_ROOT || '../..', 'docs', 'img') : null;

// An emoji (two UTF-16 units, one code point) sits before the quotes: if
// the app mixed up code points and UTF-16 indices, every highlight after it
// would be off by one.
const ARTICLE = `Harbor tunnel 🚇 vote splits the council

The city council voted 7 to 2 on Monday to approve the $1.2 billion harbor tunnel. "This is the most important investment this city has made in a generation," Mayor Ana Ruiz said after the vote.

According to a 2015 report by the Regional Transit Authority, about 48,000 vehicles cross the harbor each day. Opponents called the plan a reckless, disastrous gamble with taxpayers' money.

Councilman Tom Berger said the cost estimates were "wildly optimistic" and warned that delays could double the price.`;

let browser;
let page;

before(async () => {
  assert.ok(URL, 'PARALLAX_URL is not set: run tests/browser/run.sh');
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('pageerror', (e) => { throw e; });
});

after(async () => { if (browser) await browser.close(); });

async function open(hash) {
  await page.goto(`${URL}/#${hash}`);
  await page.waitForSelector('body[data-ready="1"]');
}

test('paste an article, see highlights, click one and read its evidence', async () => {
  await open('analyze');
  await page.fill('#input', ARTICLE);
  await page.click('#analyze-btn');
  await page.waitForSelector('#analysis mark.hl', { timeout: 30000 });
  const marks = await page.$$('#analysis mark.hl');
  assert.ok(marks.length > 0, 'no highlights');

  // Every highlight's text is the text at its code-point offsets.
  const check = await page.evaluate(() => {
    const bad = [];
    for (const m of document.querySelectorAll('#analysis mark.hl')) {
      const ids = m.dataset.f.split(',').map(Number);
      for (const i of ids) {
        const f = window.parallax.lastFindings[i];
        if (f.text !== null && !f.text.includes(m.textContent)) bad.push([m.textContent, f.text]);
      }
    }
    const f = window.parallax.lastFindings;
    const cps = Array.from(window.parallax.lastText);
    for (const x of f) if (x.text !== null && cps.slice(x.start, x.end).join('') !== x.text) bad.push([x.text, x.start, x.end]);
    const shown = [...document.querySelectorAll('#analysis mark.hl')].map((m) => m.dataset.layer);
    return { bad, layers: [...new Set(shown)] };
  });
  assert.deepEqual(check.bad, [], 'highlight text differs from the finding text');

  // Click a highlight: the detail panel shows its label and evidence.
  const first = marks[0];
  const markText = await first.textContent();
  await first.click();
  await page.waitForSelector('#analysis .detail .finding');
  const evidence = await page.$eval('#analysis .detail .evidence', (e) => e.textContent);
  assert.ok(evidence.includes(markText), `evidence "${evidence}" should contain "${markText}"`);
  assert.ok(ARTICLE.includes(evidence), 'evidence must be a span of the article');
  const heading = await page.$eval('#analysis .detail h3', (e) => e.textContent);
  assert.match(heading, /\w+: \S+/);

  // The legend toggles a layer off and on.
  const layer = check.layers[0];
  const count = async () => page.$$eval(`#analysis mark.hl`, (ms, l) => ms.filter((m) => m.dataset.f.length && m.dataset.layer === l).length, layer);
  assert.ok(await count() > 0);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'analyze.png'), fullPage: true });
  await page.uncheck(`#analysis .legend input[data-layer="${layer}"]`);
  assert.equal(await count(), 0, `layer ${layer} still highlighted after toggling it off`);
  await page.check(`#analysis .legend input[data-layer="${layer}"]`);
  assert.ok(await count() > 0);
});

test('score the claims with the fine-tuned encoder and read the words behind a call', async () => {
  await open('analyze');
  await page.fill('#input', ARTICLE);
  await page.selectOption('#claims-scorer', 'explain');
  await page.click('#analyze-btn');
  await page.waitForFunction(() => /findings/.test(document.querySelector('#analyze-status').textContent), null, { timeout: 60000 });
  const claims = await page.evaluate(() => window.parallax.lastFindings
    .filter((f) => f.layer === 'claims' && f.obj && Array.isArray(f.obj.cues))
    .map((f) => ({ label: f.obj.label, cues: f.obj.cues.map((c) => c.feature), start: f.start })));
  assert.ok(claims.length > 0, 'no claims findings');
  for (const c of claims) assert.equal(c.cues[0], 'm:fine-tuned-encoder', JSON.stringify(c));
  const explained = claims.filter((c) => c.label === 'check-worthy' && c.cues.slice(1).some((x) => x.startsWith('w:')));
  assert.ok(explained.length > 0, `no word reasons: ${JSON.stringify(claims)}`);
  // the detail panel of a claim shows its word cues
  const mark = await page.$(`#analysis mark.hl[data-layer="claims"]`);
  assert.ok(mark, 'no claims highlight');
  await mark.click();
  await page.waitForSelector('#analysis .detail .finding');
  const detail = await page.$eval('#analysis .detail', (e) => e.textContent);
  assert.match(detail, /fine-tuned-encoder/);
  await page.selectOption('#claims-scorer', 'linear');
});

test('find the technique spans with the fine-tuned encoder and read why', async () => {
  await open('analyze');
  await page.fill('#input', ARTICLE);
  await page.selectOption('#techniques-tagger', 'encoder');
  await page.click('#analyze-btn');
  await page.waitForFunction(() => /findings/.test(document.querySelector('#analyze-status').textContent), null, { timeout: 60000 });
  const spans = await page.evaluate(() => window.parallax.lastFindings
    .filter((f) => f.layer === 'techniques' && f.obj && Array.isArray(f.obj.evidence))
    .map((f) => f.obj.evidence[0].kind));
  assert.ok(spans.length > 0, 'no techniques findings');
  for (const k of spans) assert.equal(k, 'encoder');
  const mark = await page.$(`#analysis mark.hl[data-layer="techniques"]`);
  assert.ok(mark, 'no techniques highlight');
  await mark.click();
  await page.waitForSelector('#analysis .detail .finding');
  const detail = await page.$eval('#analysis .detail', (e) => e.textContent);
  assert.match(detail, /fine-tuned encoder/);
  await page.selectOption('#techniques-tagger', 'linear');
});

test('pick two stored articles and see them side by side', async () => {
  await open('compare');
  await page.waitForSelector('#compare-list input[type=checkbox]');
  const boxes = await page.$$('#compare-list input[type=checkbox]');
  assert.ok(boxes.length >= 2, 'the corpus needs two articles');
  await boxes[0].check();
  await boxes[1].check();
  await page.click('#compare-btn');
  await page.waitForSelector('#compare-out .pane .doc');
  await page.waitForFunction(() => /side by side/.test(document.querySelector('#compare-status').textContent), null, { timeout: 30000 });
  assert.equal(await page.$$eval('#compare-out .pane', (p) => p.length), 2);
  const texts = await page.$$eval('#compare-out .pane .doc', (ds) => ds.map((d) => d.textContent.length));
  assert.ok(texts.every((n) => n > 100));
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'webapp-compare.png') });
});

test('search the corpus and see charts', async () => {
  await open('corpus');
  await page.waitForSelector('#chart-sources svg, #chart-sources p');
  await page.fill('#q', 'tunnel');
  await page.click('#search-btn');
  await page.waitForSelector('#hits li.hit');
  const hits = await page.$$eval('#hits li.hit a', (as) => as.map((a) => a.textContent));
  assert.ok(hits.some((h) => /tunnel/i.test(h)), `hits: ${hits}`);
  assert.ok(await page.$$eval('#hits mark', (m) => m.length) > 0, 'snippets mark the match');
  // Filter by source: only that source's articles remain.
  await page.selectOption('#f-source', 'Harbor Gazette');
  await page.click('#search-btn');
  await page.waitForFunction(() => /hits in/.test(document.querySelector('#search-status').textContent));
  const sources = await page.$$eval('#hits .meta', (m) => m.map((x) => x.textContent));
  assert.ok(sources.length > 0 && sources.every((s) => s.includes('Harbor Gazette')), `${sources}`);
  assert.ok(await page.$$eval('#chart-sources svg rect.bar', (r) => r.length) >= 2, 'a bar per source');
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'corpus.png'), fullPage: true });
  // Open a hit: the stored article with its highlights.
  await page.click('#hits li.hit a');
  await page.waitForSelector('#article-host .doc');
});

test('group the corpus into stories and see what each story shares', async () => {
  await open('corpus');
  // the whole corpus: no search text or source filter left from before
  await page.fill('#q', '');
  await page.selectOption('#f-source', '');
  await page.click('#cluster-btn');
  await page.waitForFunction(() => /stories/.test(document.querySelector('#cluster-status').textContent), null, { timeout: 30000 });
  // the two tunnel reports form one story; its names say why
  const stories = await page.$$eval('#stories li.story', (ls) => ls.map((l) => ({
    names: l.querySelector('.shared-names').textContent,
    titles: Array.from(l.querySelectorAll('ul a')).map((a) => a.textContent),
  })));
  const tunnel = stories.find((s) => s.titles.some((t) => /tunnel/i.test(t)));
  assert.ok(tunnel, `stories: ${JSON.stringify(stories)}`);
  assert.equal(tunnel.titles.length, 2, JSON.stringify(tunnel));
  assert.match(tunnel.names, /Berger|Ruiz/, JSON.stringify(tunnel));
});

test('a bad request shows the API error', async () => {
  await open('analyze');
  await page.fill('#input', '   ');
  await page.click('#analyze-btn');
  await page.waitForSelector('#analyze-status.error');
  assert.match(await page.textContent('#analyze-status'), /text|html/);
});
