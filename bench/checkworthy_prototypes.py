#!/usr/bin/env python3
"""Check-worthiness prototypes quoted in models/checkworthy/README.md
(2026-11-30): 5-fold out-of-fold F1 on the train part of the seeded split
(fnv1a("42:"+id) % 100 >= 20, as `parallax train checkworthy`), each
against TF-IDF (1-2 grams) + static embedding + logistic regression:

- + the labels of the 5/20 nearest training sentences by embedding (kNN);
- gradient-boosted trees on the embedding and six surface counts, alone and
  averaged with the linear model;
- NBSVM (binary 1-3 grams scaled by naive-Bayes log-count ratios) with the
  embedding, alone and averaged.

Usage (from the repository root):  python3 bench/checkworthy_prototypes.py
Installs scikit-learn 1.8.0 into bench/.venv; takes several minutes.

    python3 bench/checkworthy_prototypes.py --model-dir DIR

instead measures what a contextual encoder would add: the same folds and
TF-IDF + logistic regression with the static embedding, with the full
all-MiniLM-L6-v2 sentence embedding (DIR holds config.json, vocab.txt,
model.safetensors, as for `parallax compare --model-dir`; embedded by
`cargo run --release -p parallax-compare --example full_embed`, about 5
minutes for the 18,015 sentences on 2 cores), and with both.
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common

PROTO = r'''
import re, struct, sys, unicodedata
import numpy as np
from pathlib import Path
from scipy.sparse import csr_matrix, hstack
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from ct24 import bucket, read_rows
ROOT, TSV = Path(sys.argv[1]), Path(sys.argv[2])
rows = read_rows(TSV)
train = [r for r in rows if bucket(r[0]) >= 20]
# the static table of models/embeddings (int8 rows with per-row scales)
B = (ROOT / "models/embeddings/static.bin").read_bytes()
v, dim = struct.unpack("<II", B[8:16])
scales = np.frombuffer(B[16:16 + 4 * v], dtype="<f4")
R = np.frombuffer(B[16 + 4 * v:16 + 4 * v + v * dim], dtype=np.int8).reshape(v, dim).astype(np.float32) * scales[:, None]
vocab = {w: i for i, w in enumerate((ROOT / "models/embeddings/vocab.txt").read_text().split("\n")[:v])}
def toks(text):
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    out = []
    for w in re.findall(r"\w+|[^\w\s]", text):
        s, pieces = 0, []
        while s < len(w):
            e, f = len(w), None
            while s < e:
                sub = ("##" if s else "") + w[s:e]
                if sub in vocab: f = vocab[sub]; break
                e -= 1
            if f is None: pieces = [vocab["[UNK]"]]; break
            pieces.append(f); s = e
        out += pieces
    return out
def emb(text):
    ids = toks(text)
    if not ids: return np.zeros(dim, np.float32)
    x = R[ids].mean(0); n = np.linalg.norm(x)
    return x / n if n > 0 else x
X0 = [r[1] for r in train]; y0 = np.array([r[2] for r in train]).astype(int); E0 = np.stack([emb(t) for t in X0])
skf = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X0, y0))
def best(pr): return round(max(f1_score(y0, pr >= t / 100) for t in range(5, 96)), 4)
def knn(Etr, ytr, Ete, self_ex):
    S = Ete @ Etr.T
    if self_ex: np.fill_diagonal(S, -1)
    idx = np.argsort(-S, axis=1)[:, :20]
    return np.stack([ytr[idx[:, :5]].mean(1), ytr[idx].mean(1), S[np.arange(len(S)), idx[:, 0]]], 1)
if len(sys.argv) > 3:
    # the contextual-encoder comparison (--model-dir): full-model vectors
    # of the same sentences, in order, from the full_embed example
    Ef = np.fromfile(sys.argv[3], dtype="<f4").reshape(len(X0), -1)
    Ef /= np.linalg.norm(Ef, axis=1, keepdims=True)
    def oof(E):
        pr = np.zeros(len(y0))
        for tr, te in skf:
            vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
            At = hstack([vec.fit_transform([X0[i] for i in tr]), csr_matrix(E[tr])]).tocsr()
            Ae = hstack([vec.transform([X0[i] for i in te]), csr_matrix(E[te])]).tocsr()
            pr[te] = LogisticRegression(C=4.0, max_iter=3000).fit(At, y0[tr]).predict_proba(Ae)[:, 1]
        return pr
    print("| TF-IDF 1-2 grams + ... , logistic regression | out-of-fold F1 (train part) |\n|---|---|")
    for name, E in [("static embedding (shipped model's dense block)", E0), ("full all-MiniLM-L6-v2 embedding", Ef),
                    ("both", np.hstack([E0, Ef]))]:
        print(f"| {name} | {best(oof(E))} |", flush=True)
    sys.exit(0)
base, with_knn, nb = np.zeros(len(y0)), np.zeros(len(y0)), np.zeros(len(y0))
for tr, te in skf:
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    At = hstack([vec.fit_transform([X0[i] for i in tr]), csr_matrix(E0[tr])]).tocsr()
    Ae = hstack([vec.transform([X0[i] for i in te]), csr_matrix(E0[te])]).tocsr()
    base[te] = LogisticRegression(C=4.0, max_iter=3000).fit(At, y0[tr]).predict_proba(Ae)[:, 1]
    Kt, Ke = knn(E0[tr], y0[tr].astype(float), E0[tr], True), knn(E0[tr], y0[tr].astype(float), E0[te], False)
    m = LogisticRegression(C=4.0, max_iter=3000).fit(hstack([At, csr_matrix(Kt)]).tocsr(), y0[tr])
    with_knn[te] = m.predict_proba(hstack([Ae, csr_matrix(Ke)]).tocsr())[:, 1]
    cv = CountVectorizer(ngram_range=(1, 3), binary=True)
    Ct = cv.fit_transform([X0[i] for i in tr]); Ce = cv.transform([X0[i] for i in te])
    p = 1 + Ct[y0[tr] == 1].sum(0); q = 1 + Ct[y0[tr] == 0].sum(0)
    r = np.asarray(np.log((p / p.sum()) / (q / q.sum()))).ravel()
    m = LogisticRegression(C=1.0, max_iter=3000).fit(hstack([Ct.multiply(r), csr_matrix(E0[tr])]).tocsr(), y0[tr])
    nb[te] = m.predict_proba(hstack([Ce.multiply(r), csr_matrix(E0[te])]).tocsr())[:, 1]
def hand(t):
    w = t.split()
    return [len(w), sum(c.isdigit() for c in t), 1.0 if re.search(r"\d|percent|million|billion|thousand", t.lower()) else 0,
            t.count(","), sum(1 for x in w if x[:1].isupper()), 1.0 if "?" in t else 0]
F = np.hstack([E0, np.array([hand(t) for t in X0], float)])
gb = np.zeros(len(y0))
for tr, te in skf:
    m = HistGradientBoostingClassifier(max_iter=400, learning_rate=0.05, max_leaf_nodes=31, l2_regularization=1.0, random_state=0)
    gb[te] = m.fit(F[tr], y0[tr]).predict_proba(F[te])[:, 1]
print("| model | out-of-fold F1 (train part) |\n|---|---|")
print(f"| TF-IDF 1-2 grams + embedding, logistic regression | {best(base)} |")
print(f"| + labels of the 5/20 nearest training sentences | {best(with_knn)} |")
print(f"| boosted trees on embedding + 6 counts | {best(gb)} (averaged 0.3/0.7 with the linear model: {best(0.3 * gb + 0.7 * base)}) |")
print(f"| NBSVM 1-3 grams + embedding | {best(nb)} (averaged 0.5/0.5: {best(0.5 * nb + 0.5 * base)}) |")
'''

if __name__ == "__main__":
    py = common.ensure_venv("import sklearn; assert sklearn.__version__ == '1.8.0'", ["scikit-learn==1.8.0"])
    tsv = os.path.join(common.ROOT, "..", "shared", "data", "checkworthy", "CT24_checkworthy_english_train.tsv")
    extra = []
    if "--model-dir" in sys.argv:
        model_dir = sys.argv[sys.argv.index("--model-dir") + 1]
        sys.path.insert(0, os.path.join(common.ROOT, "bench"))
        from ct24 import bucket, read_rows
        os.makedirs(common.OUT, exist_ok=True)
        lines = os.path.join(common.OUT, "checkworthy_train.txt")
        vecs = os.path.join(common.OUT, "checkworthy_train_full.f32")
        with open(lines, "w", encoding="utf-8") as f:
            for r in read_rows(tsv):
                if bucket(r[0]) >= 20:
                    f.write(r[1].replace("\n", " ") + "\n")
        with open(lines, "rb") as fi, open(vecs, "wb") as fo:
            common.sh(["cargo", "run", "--release", "-q", "-p", "parallax-compare", "--example", "full_embed", "--", model_dir],
                      stdin=fi, stdout=fo, cwd=common.ROOT)
        extra = [vecs]
    common.sh([py, "-c", PROTO, common.ROOT, tsv] + extra, env=common.bench_env())
