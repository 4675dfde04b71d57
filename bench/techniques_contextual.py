#!/usr/bin/env python3
"""What would a contextual encoder add to the span tagger of the techniques
layer? A side-by-side on the 334 PTC training articles (the 37 held-out
validation articles are left out), 5-fold out of fold by article.

Word vectors of each PTC line (a line is a sentence in PTC) come from
  - the embedded static table (no context: each word's pieces averaged), or
  - the full all-MiniLM-L6-v2 transformer (last hidden states of the whole
    line, each word's pieces averaged), via the example
    `parallax-compare --example token_vectors` (about 6 minutes on 2 cores).
Features per word: its vector, the mean of the words within 2 either side,
the mean of its line; optionally beside the out-of-fold logit of a sparse
tagger (hashed word, neighbour, bigram, suffix and shape features), which
stands in for the shipped tagger's sparse part. A logistic regression
labels words inside any gold span; words above a threshold form spans
(contiguous runs in a line), scored with the PTC SI metric; the best
threshold of the sweep is printed for each set (the same decoding for all,
so the rows compare; the shipped tagger's decoding and features are
richer: its out-of-fold SI F1 is 0.4233).

Usage (from the repository root; about 25 minutes on 2 cores):
  bench/.venv/bin/python bench/techniques_contextual.py MODEL_DIR
MODEL_DIR: the folder `parallax compare --model-dir` takes. The venv is made
by `python3 bench/claims.py` (scikit-learn 1.8.0).
"""
import collections
import os
import re
import subprocess
import sys

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptc_metric import si_f1 as ptc_si_f1  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PTC = os.path.join(ROOT, "..", "shared", "data", "ptc")
OUT = os.path.join(ROOT, "bench", "out", "techniques_contextual")


def words_and_labels():
    """(article, start, end, in-gold) per word, the word lines, merged gold spans."""
    held = {l.strip() for l in open(os.path.join(ROOT, "models", "techniques", "validation-ids.txt"))
            if l.strip() and not l.startswith("#")}
    arts = sorted(f[7:-4] for f in os.listdir(os.path.join(PTC, "train-articles")))
    rows, lines, gold = [], [], {}
    for a in arts:
        if a in held:
            continue
        text = open(os.path.join(PTC, "train-articles", f"article{a}.txt"), encoding="utf-8").read()
        spans = sorted((int(l.split("\t")[2]), int(l.split("\t")[3]))
                       for l in open(os.path.join(PTC, "train-labels-TC", f"article{a}.task2-TC.labels")))
        merged = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        gold[a] = merged
        off = 0
        for line in text.split("\n"):
            ws = [(m.start() + off, m.end() + off, m.group()) for m in re.finditer(r"\w+|[^\w\s]", line)]
            off += len(line) + 1
            if ws:
                lines.append([w for _, _, w in ws])
                rows += [(a, s, e, int(any(s < t1 and e > t0 for t0, t1 in merged))) for s, e, _ in ws]
    return rows, lines, gold


def vectors(arg, lines, dim, name):
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "parallax-compare", "--example",
                        "token_vectors"], check=True, cwd=ROOT)
        data = "".join("\t".join(ws) + "\n" for ws in lines).encode()
        with open(path + ".tmp", "wb") as fh:
            subprocess.run([os.path.join(ROOT, "target", "release", "examples", "token_vectors"), arg],
                           input=data, stdout=fh, check=True)
        os.rename(path + ".tmp", path)
    x = np.fromfile(path, dtype=np.float32)
    return x.reshape(-1, dim)


def main():
    model_dir = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    rows, lines, gold = words_and_labels()
    n = len(rows)
    lens = [len(ws) for ws in lines]
    line_of = np.repeat(np.arange(len(lens)), lens)
    y = np.array([r[3] for r in rows])
    art = np.array([r[0] for r in rows])
    folds = list(GroupKFold(5).split(np.zeros(n), y, art))

    def context(x):
        sent, win = np.zeros_like(x), np.zeros_like(x)
        st = 0
        for k in lens:
            seg = x[st:st + k]
            sent[st:st + k] = seg.mean(0)
            c = np.cumsum(np.vstack([np.zeros((1, x.shape[1]), np.float32), seg]), 0)
            i = np.arange(k)
            lo, hi = np.maximum(i - 2, 0), np.minimum(i + 3, k)
            win[st:st + k] = (c[hi] - c[lo]) / (hi - lo)[:, None]
            st += k
        return np.hstack([x, win, sent])

    def si_f1(p, t):
        pred = collections.defaultdict(list)
        on = p >= t
        i = 0
        while i < n:
            if on[i]:
                j = i
                while j + 1 < n and on[j + 1] and line_of[j + 1] == line_of[i]:
                    j += 1
                pred[rows[i][0]].append((rows[i][1], rows[j][2]))
                i = j + 1
            else:
                i += 1
        return ptc_si_f1(pred, gold)

    def report(name, oof):
        (f, p, r), t = max((si_f1(oof, t), t) for t in np.arange(0.1, 0.6, 0.025))
        print(f"{name:30s} word AUC {roc_auc_score(y, oof):.4f}  best SI F1 {f:.4f} (P {p:.3f} R {r:.3f}) at {t:.3f}",
              flush=True)

    def run(name, x, **kw):
        oof = np.zeros(n)
        for tr, te in folds:
            m = LogisticRegression(max_iter=300, **kw).fit(x[tr], y[tr])
            oof[te] = m.predict_proba(x[te])[:, 1]
        report(name, oof)
        return oof

    static = context(vectors("--static", lines, 256, "static.f32"))
    full = context(vectors(model_dir, lines, 384, "full.f32"))
    words = [w for ws in lines for w in ws]
    lw = [w.lower() for w in words]
    shape = lambda w: re.sub(r"[A-Z]+", "A", re.sub(r"[a-z]+", "a", re.sub(r"\d+", "0", w)))
    feats, st = [], 0
    for k in lens:
        for i in range(st, st + k):
            g = lambda j: lw[j] if st <= j < st + k else "<s>"
            feats.append([f"w={lw[i]}", f"p={g(i-1)}", f"n={g(i+1)}", f"pp={g(i-2)}", f"nn={g(i+2)}",
                          f"b1={g(i-1)}_{lw[i]}", f"b2={lw[i]}_{g(i+1)}", f"s3={lw[i][-3:]}",
                          f"sh={shape(words[i])}", f"pos={min(i-st, 10)}", f"len={min(k//5, 10)}"])
        st += k
    hashed = FeatureHasher(2**20, input_type="string", alternate_sign=False).transform(feats).tocsr()
    print(f"{n} words of {len(gold)} articles, {y.sum()} inside gold spans")
    run("static (word, window, line)", static)
    run("full model (word, window, line)", full)
    sparse = run("sparse features only", hashed, C=0.5, solver="liblinear")
    logit = np.log(sparse / (1 - sparse))[:, None].astype(np.float32)
    run("sparse logit + static", np.hstack([logit, static]))
    run("sparse logit + full model", np.hstack([logit, full]))
    run("sparse logit + static + full", np.hstack([logit, static, full]))


if __name__ == "__main__":
    main()
