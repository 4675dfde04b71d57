#!/usr/bin/env python3
"""Foundation benchmark: ingest+segment throughput, and HTML extraction
speed and quality of `parallax extract` against Python trafilatura, run side
by side on the same pages.

Usage (from the repository root):  python3 bench/foundation.py
It builds the release binary, installs trafilatura into bench/.venv, and
prints a Markdown table for BENCHMARKS.md.

The HTML pages are generated from the PTC training articles: each article
is wrapped in one of three page templates (semantic <article>, div soup,
and a page with comments and in-body boilerplate) with navigation, related
links, share/newsletter blocks, comments and a footer. The gold main text is
the article itself, so the quality figure (word 4-gram shingle F1) measures
boilerplate removal on these pages, not on the open web.
"""
import json, os, random, re, subprocess, sys, time, html
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ptc" / "train-articles"
OUT = ROOT / "bench" / "out"
BIN = ROOT / "target" / "release" / "parallax"


from common import sh
import common


def ensure_venv():
    return common.ensure_venv("import trafilatura", ["trafilatura==2.3.1", "lxml_html_clean"])


TEMPLATES = [
    """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | The Daily Record</title>
<meta property="og:site_name" content="The Daily Record"></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a> <a href="/opinion">Opinion</a> <a href="/subscribe">Subscribe</a></nav></header>
<div class="share">Share on Facebook | Share on Twitter | Email this article</div>
<main><article><h1>{title}</h1><p class="byline">By Staff Writer</p>{body}</article>
<aside><h3>Related stories</h3><ul>{related}</ul></aside></main>
<div class="newsletter">Sign up for our newsletter to get the top stories delivered to your inbox every morning.</div>
<footer><p>© 2019 The Daily Record. All rights reserved.</p><a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer></body></html>""",
    """<html><head><title>{title}</title></head><body>
<div id="top"><div class="logo">NEWSWIRE</div><div class="menu"><a href="/a">Latest</a> | <a href="/b">Video</a> | <a href="/c">Podcasts</a></div></div>
<div id="wrap"><div class="col-main"><div class="headline"><h1>{title}</h1></div><div class="story-body">{body}</div></div>
<div class="col-side"><div class="widget"><b>Most popular</b><ul>{related}</ul></div><div class="ad">Advertisement</div></div></div>
<div id="bottom">Copyright NewsWire Media Group. Contact us | Advertise | Careers</div></body></html>""",
    """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<nav><ul><li><a href="/">Front page</a></li><li><a href="/us">U.S.</a></li><li><a href="/world">World</a></li></ul></nav>
<div class="post"><h2 class="entry-title">{title}</h2><div class="entry-content">{body}</div>
<div class="tags">Tags: politics, world, news</div></div>
<section class="comments"><h3>3 comments</h3><div class="comment"><p>Great article, thanks for sharing this with everyone!</p></div>
<div class="comment"><p>I completely disagree with the author on this one, the facts are wrong.</p></div><div class="comment"><p>Who funds this site anyway?</p></div></section>
<footer>Powered by WordPress. Theme by Example.</footer></body></html>""",
]


def make_pages(n_max=None):
    pages = OUT / "html"
    pages.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    files = sorted(DATA.glob("*.txt"))[: n_max or None]
    gold = {}
    for i, f in enumerate(files):
        lines = f.read_text(encoding="utf-8").split("\n")
        title = lines[0].strip()
        paras, cur = [], []
        for l in lines[2:]:
            if l.strip():
                cur.append(l.strip())
            elif cur:
                paras.append(" ".join(cur)); cur = []
        if cur:
            paras.append(" ".join(cur))
        if not paras:
            continue
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        related = "".join(f'<li><a href="/story/{rng.randint(1000,9999)}">{html.escape(t)}</a></li>'
                          for t in rng.sample(["Markets rally on rate hopes", "Storm batters the coast", "Five things to know today",
                                               "Opinion: the week in review", "Local team wins again", "Inside the budget fight"], 4))
        page = TEMPLATES[i % len(TEMPLATES)].format(title=html.escape(title), body=body, related=related)
        (pages / f"{f.stem}.html").write_text(page, encoding="utf-8")
        gold[f.stem] = "\n".join(paras)
    return pages, gold


def shingles(text, k=4):
    w = re.findall(r"\w+", text.lower())
    return Counter(tuple(w[i:i + k]) for i in range(max(0, len(w) - k + 1)))


def f1(pred, gold):
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    if not p or not g or not tp:
        return 0.0
    pr, rc = tp / sum(p.values()), tp / sum(g.values())
    return 2 * pr * rc / (pr + rc)


def best_of(n, fn):
    best = None
    for _ in range(n):
        t = time.perf_counter(); r = fn(); d = time.perf_counter() - t
        if best is None or d < best[0]:
            best = (d, r)
    return best


def main():
    sh(["cargo", "build", "--release", "-q", "-p", "parallax-cli"], cwd=ROOT)
    files = sorted(DATA.glob("*.txt"))
    mb = sum(f.stat().st_size for f in files) / 1e6
    rows = []
    for label, threads in [("1 core", "1"), (f"all cores ({os.cpu_count()})", str(os.cpu_count()))]:
        env = dict(os.environ, RAYON_NUM_THREADS=threads)
        for what, args in [("ingest+segment (`extract`)", ["extract", "--format", "text"]),
                           ("full `analyze` (all layers)", ["analyze", "--format", "jsonl"])]:
            d, _ = best_of(3, lambda: sh([str(BIN), *args, "--no-progress", str(DATA)], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            rows.append((what, label, mb / d, len(files) / d))
    print(f"\n### Throughput on the PTC training articles ({len(files)} docs, {mb:.2f} MB)\n")
    print("| job | threads | MB/s | docs/s |\n|---|---|---|---|")
    for what, label, mbs, dps in rows:
        print(f"| {what} | {label} | {mbs:.1f} | {dps:.0f} |")

    py = ensure_venv()
    pages, gold = make_pages()
    page_files = sorted(pages.glob("*.html"))
    hmb = sum(p.stat().st_size for p in page_files) / 1e6
    env1 = dict(os.environ, RAYON_NUM_THREADS="1")
    d_px, proc = best_of(3, lambda: subprocess.run([str(BIN), "extract", "--format", "json", "--no-progress", str(pages)],
                                                  env=env1, capture_output=True, text=True))
    px = {Path(o["origin"]).stem: o["text"] for o in json.loads(proc.stdout)}
    script = ("import sys,json,time,trafilatura,pathlib\n"
              "fs=sorted(pathlib.Path(sys.argv[1]).glob('*.html'))\n"
              "docs=[(f.stem,f.read_text(encoding='utf-8')) for f in fs]\n"
              "best=None\n"
              "for _ in range(3):\n"
              "  t=time.perf_counter(); out={s:(trafilatura.extract(h) or '') for s,h in docs}; d=time.perf_counter()-t\n"
              "  best=d if best is None or d<best else best\n"
              "print(json.dumps({'seconds':best,'out':out}))\n")
    r = json.loads(subprocess.run([str(py), "-c", script, str(pages)], capture_output=True, text=True, check=True).stdout)
    d_tr, tr = r["seconds"], r["out"]
    f_px = sum(f1(px.get(k, ""), g) for k, g in gold.items()) / len(gold)
    f_tr = sum(f1(tr.get(k, ""), g) for k, g in gold.items()) / len(gold)
    print(f"\n### HTML extraction on {len(page_files)} generated pages ({hmb:.2f} MB), one core each\n")
    print("| extractor | pages/s | MB/s | shingle F1 (word 4-grams) |\n|---|---|---|---|")
    print(f"| parallax extract (rs-trafilatura + link spans; process start and reading files included) | {len(page_files)/d_px:.0f} | {hmb/d_px:.1f} | {f_px:.3f} |")
    print(f"| Python trafilatura 2.3.1 (in-process loop, files pre-read) | {len(page_files)/d_tr:.0f} | {hmb/d_tr:.1f} | {f_tr:.3f} |")
    print(f"\nSpeed ratio parallax/trafilatura: {d_tr/d_px:.1f}x")


if __name__ == "__main__":
    main()
