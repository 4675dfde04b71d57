#!/usr/bin/env python3
"""Scoring speed of the embedded check-worthiness encoder
(`models/checkworthy-encoder/`, all-MiniLM-L6-v2 fine-tuned, int8 weights)
against PyTorch running the same architecture, in the same run on the same
machine: the 2,251 held-out sentences of the CheckThat! 2024 English train
file (bench/ct24.py split), all cores on both sides.

- parallax: `parallax checkworthy --tsv FILE --split heldout` (release
  build), the whole command: start, building the model from the embedded
  bytes, reading the TSV, scoring, writing the scores. Also `--linear`
  (the embedded linear model) for scale.
- PyTorch: all-MiniLM-L6-v2 with a logistic head over the mean-pooled
  states (bench/checkworthy_finetune.py's `Head`; the head is untrained, so
  the scores are meaningless but the work is the same as the fine-tuned
  model's), torch.no_grad, cut at 96 word pieces as parallax does. Timed:
  the scoring loop only (tokenizing included; importing torch and loading
  the model left out, which favours PyTorch). Three ways a user would run
  it: batches of 128 in file order (as bench/checkworthy_finetune.py
  scores), batches of 32 sorted by length (least padding), and the latter
  after torch's dynamic int8 quantization of the linear layers.

Usage: python3 bench/checkworthy_score_speed.py MODEL_DIR
with the venv of bench/checkworthy_finetune.py (torch, transformers) and
MODEL_DIR the base all-MiniLM-L6-v2 folder; run
`cargo build --release -p parallax-cli` first.
"""
import os
import subprocess
import sys
import time

import numpy as np
import torch
from transformers import AutoTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkworthy_finetune import TSV, Head  # noqa: E402
from ct24 import bucket, read_rows  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "parallax")


def parallax(extra):
    t = time.perf_counter()
    p = subprocess.run([BIN, "checkworthy", "--tsv", TSV, "--split", "heldout"] + extra,
                       capture_output=True, text=True, check=True)
    secs = time.perf_counter() - t
    n = len(p.stdout.splitlines()) - 1
    return secs, n


def torch_scores(model, tok, texts, size, order):
    out = np.zeros(len(texts), dtype=np.float32)
    t = time.perf_counter()
    with torch.no_grad():
        for i in range(0, len(order), size):
            idx = order[i:i + size]
            enc = tok([texts[j] for j in idx], padding=True, truncation=True, max_length=96,
                      return_tensors="pt")
            out[idx] = torch.sigmoid(model(enc["input_ids"], enc["attention_mask"])).numpy()
    return time.perf_counter() - t


def main():
    model_dir = sys.argv[1]
    torch.set_num_threads(os.cpu_count())
    texts = [t for (i, t, _) in read_rows(TSV) if bucket(i) < 10]
    print(f"{len(texts)} held-out sentences, {os.cpu_count()} threads")
    rows = []
    secs, n = parallax([])
    assert n == len(texts), (n, len(texts))
    rows.append(("parallax, embedded fine-tuned encoder (int8), whole command", secs))
    secs, _ = parallax(["--linear"])
    rows.append(("parallax --linear (embedded linear model), whole command", secs))
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = Head(model_dir).eval()
    file_order = np.arange(len(texts))
    by_len = np.argsort([len(tok(t, truncation=True, max_length=96)["input_ids"]) for t in texts],
                        kind="stable")
    rows.append(("PyTorch, batches of 128 in file order", torch_scores(model, tok, texts, 128, file_order)))
    rows.append(("PyTorch, batches of 32 sorted by length", torch_scores(model, tok, texts, 32, by_len)))
    q = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    rows.append(("PyTorch dynamic int8, batches of 32 sorted by length",
                 torch_scores(q, tok, texts, 32, by_len)))
    base = rows[0][1]
    for name, s in rows:
        print(f"{name:<62} {s:7.2f} s  {len(texts) / s:7.0f} sentences/s  {s / base:6.2f}x parallax's time")


if __name__ == "__main__":
    main()
