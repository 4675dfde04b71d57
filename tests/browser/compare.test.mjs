// End-to-end: `parallax compare ../shared/samples/*.txt --html` renders in
// headless Debian Chromium; findings are present; clicking a finding
// scrolls each article column to its span. With SCREENSHOTS=1 saves
// docs/img/compare.png (the README's picture of the report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const samplesDir = resolve(root, '..', 'shared', 'samples');

function parallaxBin() {
  if (process.env.PARALLAX_BIN) return process.env.PARALLAX_BIN;
  for (const p of ['target/debug/parallax', 'target/release/parallax']) {
    const f = join(root, p);
    if (existsSync(f)) return f;
  }
  execFileSync('cargo', ['build', '-q', '-p', 'parallax-cli'], { cwd: root, stdio: 'inherit' });
  return join(root, 'target/debug/parallax');
}

test('compare report: findings present, click scrolls both texts', { skip: !existsSync(samplesDir) && 'no ../shared/samples' }, async () => {
  const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.txt')).sort().map((f) => join(samplesDir, f));
  const out = join(mkdtempSync(join(tmpdir(), 'px-compare-')), 'compare.html');
  execFileSync(parallaxBin(), ['compare', ...samples, '--html', out, '--format', 'none'], { cwd: root });
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    const requests = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(out).href);
    assert.equal(await page.title(), 'Parallax comparison');
    assert.equal(await page.locator('article.col').count(), 2);
    const aligned = await page.locator('#sec-aligned .finding').count();
    assert.ok(aligned > 0, 'aligned findings present');
    assert.ok(await page.locator('#sec-naming .finding').count() > 0, 'naming findings present');
    const kim = page.locator('#sec-quotes .finding', { hasText: 'Kim Il Sung' });
    assert.ok(await kim.count() > 0, 'Kim Il Sung quotes present');
    // click the aligned finding about the 1970s and 1980s: both columns scroll to their span
    const target = page.locator('#sec-aligned .finding', { hasText: '1970s and 1980s' }).first();
    assert.ok(await target.count() > 0, 'shared 1970s/1980s claim aligned');
    const id = await target.getAttribute('data-target');
    await target.click();
    await page.waitForTimeout(200);
    for (const col of [0, 1]) {
      const inView = await page.evaluate(([col, id]) => {
        const c = document.querySelector('#art' + col);
        const h = c.querySelector('.hl[data-f~="' + id + '"]');
        if (!h) return 'missing';
        const a = c.getBoundingClientRect(), b = h.getBoundingClientRect();
        return b.top >= a.top && b.top < a.bottom && h.classList.contains('flash') ? 'ok' : `out ${b.top} ${a.top} ${a.bottom}`;
      }, [col, id]);
      assert.equal(inView, 'ok', `article ${col} scrolled to ${id}`);
    }
    assert.ok(await page.evaluate(() => document.querySelector('#art1').scrollTop) > 0, 'second text scrolled');
    if (process.env.SCREENSHOTS === '1') {
      mkdirSync(join(root, 'docs', 'img'), { recursive: true });
      await page.screenshot({ path: join(root, 'docs', 'img', 'compare.png') });
    }
    assert.deepEqual(requests, [], 'no network requests');
  } finally {
    await browser.close();
  }
});
