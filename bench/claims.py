#!/usr/bin/env python3
"""Quantities and claims benchmark: throughput of the two layers on the PTC
training articles, side by side with the Python tools a user would pick
instead, and the check-worthiness F1 of a scikit-learn baseline on the same
held-out split.

Usage (from the repository root):  python3 bench/claims.py
It builds the release example `bench_claims`, installs quantulum3 and
scikit-learn into bench/.venv, and prints a Markdown table for BENCHMARKS.md.

- quantities vs quantulum3 (`quantulum3.parser.parse`, quantities and units
  from text), one thread each, on the same 371 articles;
- claims vs scikit-learn: a TfidfVectorizer(1-2 grams) + LogisticRegression
  trained on the same train part of the seeded split (fnv1a("42:"+id) % 100
  >= 20), threshold tuned on the dev part (10-19), scored on the held-out
  part (0-9), and its prediction throughput on the PTC sentences.
"""
import re, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
PTC = SHARED / "ptc" / "train-articles"
TSV = SHARED / "checkworthy" / "CT24_checkworthy_english_train.tsv"


from common import sh
import common


def ensure_venv():
    # quantulum3 0.10 ships a classifier pickled with scikit-learn 1.8.0 and
    # needs `stemming`; other scikit-learn versions fail to load it (1.9) or
    # warn (1.5).
    return common.ensure_venv(
        "import quantulum3, stemming, sklearn; assert sklearn.__version__ == '1.8.0'",
        ["quantulum3==0.10.0", "stemming==1.0.1", "scikit-learn==1.8.0"],
    )


PEER = r'''
import sys, time
from pathlib import Path
PTC, TSV = Path(sys.argv[1]), Path(sys.argv[2])
docs = [p.read_text() for p in sorted(PTC.glob("*.txt"))]
sents = [l for d in docs for l in d.splitlines() if l.strip()]
mb = sum(len(d.encode()) for d in docs) / 1e6

from quantulum3 import parser
parser.parse("warm up 3 tons")
t = time.perf_counter(); n = 0
for d in docs:
    n += len(parser.parse(d))
dt = time.perf_counter() - t
print(f"quantulum3\t{dt*1e3:.0f}\t{len(docs)/dt:.1f}\t{len(sents)/dt:.0f}\t{mb/dt:.3f}\t{n}")

from ct24 import bucket, read_rows
rows = read_rows(TSV)
part = lambda i: (lambda b: 2 if b < 10 else 1 if b < 20 else 0)(bucket(i))
P = [[r for r in rows if part(r[0]) == k] for k in range(3)]
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
X = vec.fit_transform([r[1] for r in P[0]])
clf = LogisticRegression(C=4.0, max_iter=2000).fit(X, [r[2] for r in P[0]])
pd = clf.predict_proba(vec.transform([r[1] for r in P[1]]))[:, 1]
best = max((f1_score([r[2] for r in P[1]], pd >= t / 100), t / 100) for t in range(5, 96))
ph = clf.predict_proba(vec.transform([r[1] for r in P[2]]))[:, 1] >= best[1]
y = [r[2] for r in P[2]]
print(f"sklearn-f1\t{f1_score(y, ph):.4f}\t{precision_score(y, ph):.4f}\t{recall_score(y, ph):.4f}\t{best[1]:.2f}\t{len(y)}")
t = time.perf_counter()
for s in sents:
    clf.predict_proba(vec.transform([s]))
dt = time.perf_counter() - t
print(f"sklearn\t{dt*1e3:.0f}\t{len(docs)/dt:.1f}\t{len(sents)/dt:.0f}\t{mb/dt:.3f}\t{len(sents)}")
'''


def main():
    py = ensure_venv()
    sh(["cargo", "build", "--release", "-q", "-p", "parallax-analyze", "--example", "bench_claims"], cwd=ROOT)
    ex = ROOT / "target" / "release" / "examples" / "bench_claims"
    rust = subprocess.run([str(ex), str(PTC)], check=True, capture_output=True, text=True).stdout
    print(rust)
    peer = subprocess.run([str(py), "-c", PEER, str(PTC), str(TSV)], check=True,
                          capture_output=True, text=True, env=common.bench_env()).stdout
    print(peer)
    r = {}
    for line in rust.splitlines()[1:]:
        m = re.match(r"(\S+)\s+([\d.]+) ms\s+([\d.]+) docs/s\s+([\d.]+) sentences/s\s+([\d.]+) MB/s", line)
        if m:
            r[m.group(1)] = float(m.group(3))
    p = {}
    for line in peer.splitlines():
        f = line.split("\t")
        p[f[0]] = f[1:]
    print("| layer | parallax docs/s | peer | peer docs/s | ratio |")
    print("|---|---|---|---|---|")
    print(f"| quantities | {r['quantities']:.0f} | quantulum3 | {float(p['quantulum3'][1]):.1f} | {r['quantities'] / float(p['quantulum3'][1]):.0f}x |")
    print(f"| claims | {r['claims']:.0f} | scikit-learn TF-IDF + LR, one sentence a call | {float(p['sklearn'][1]):.1f} | {r['claims'] / float(p['sklearn'][1]):.0f}x |")
    f = p["sklearn-f1"]
    print(f"\nscikit-learn TF-IDF(1-2) + LR on the same held-out split: F1 {f[0]}  P {f[1]}  R {f[2]}  (threshold {f[3]} tuned on dev, {f[4]} sentences)")


if __name__ == "__main__":
    main()
