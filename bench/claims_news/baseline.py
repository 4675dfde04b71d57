#!/usr/bin/env python3
"""A scikit-learn peer on the news labels, and what news training rows add.

TF-IDF (1-2 grams) + logistic regression trained on every row of the
CheckThat! 2024 English train file, alone or with the tune split of
bench/claims_news/labels.tsv (once or three times), scored on the test
split: AUC and F1 of the positive class at 0.5, 0.3 and the best
threshold (the best is optimistic: chosen on the test split itself).

Usage (from the repository root): bench/.venv/bin/python bench/claims_news/baseline.py
(the venv is made by `python3 bench/claims.py`, which installs scikit-learn 1.8.0).
"""
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from ct24 import read_rows  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
ct = [(r[1], r[2]) for r in read_rows(SHARED / "checkworthy" / "CT24_checkworthy_english_train.tsv")]
texts, news = {}, {"tune": [], "test": []}
for line in open(ROOT / "bench" / "claims_news" / "labels.tsv", encoding="utf-8"):
    if line.startswith(("#", "split\t")):
        continue
    split, art, s, e, y = line.rstrip("\n").split("\t")
    if art not in texts:
        texts[art] = (SHARED / "polnear" / "dev" / "text" / f"{art}.txt").read_text(encoding="utf-8")
    news[split].append((texts[art][int(s):int(e)], y == "Y"))
yt = np.array([v for _, v in news["test"]])
for name, train in [("CT24", ct), ("CT24 + news tune", ct + news["tune"]),
                    ("CT24 + news tune x3", ct + news["tune"] * 3), ("news tune only", news["tune"])]:
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    m = LogisticRegression(C=4, max_iter=3000).fit(vec.fit_transform([t for t, _ in train]), [v for _, v in train])
    p = m.predict_proba(vec.transform([t for t, _ in news["test"]]))[:, 1]
    best = max((f1_score(yt, p >= t), t) for t in np.arange(0.1, 0.9, 0.05))
    print(f"{name:20s} test AUC {roc_auc_score(yt, p):.3f}  F1@0.5 {f1_score(yt, p >= 0.5):.3f}  "
          f"F1@0.3 {f1_score(yt, p >= 0.3):.3f}  best {best[0]:.3f} at {best[1]:.2f}")
