#!/usr/bin/env python3
"""Training speed of the encoder fine-tune, Parallax (Rust) against PyTorch,
in the same run on the same machine: seconds for 50 training batches of 32
sentences of the CheckThat! train part (all-MiniLM-L6-v2 plus a logistic
head, AdamW, dropout 0.1, the same settings in both), measured between the
50th and the 100th batch so that loading and the first batches are left out.

- Parallax: `parallax train checkworthy-encoder --limit 4000 --epochs 1`
  (release build; it prints the elapsed time every 50 batches);
- PyTorch: the same loop as bench/checkworthy_finetune.py (padding to the
  longest sentence of each batch, as a PyTorch user does).

Both use all cores (torch.set_num_threads(os.cpu_count()); rayon's default).
Usage: python3 bench/finetune_speed.py MODEL_DIR [LAYERS]
with the venv of bench/checkworthy_finetune.py (torch, transformers); run
`cargo build --release -p parallax-cli` first.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkworthy_finetune import TSV, Head, batches  # noqa: E402
from ct24 import bucket, read_rows  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rust(model_dir, layers):
    with tempfile.TemporaryDirectory() as out:
        cmd = [os.path.join(ROOT, "target", "release", "parallax"), "train", "checkworthy-encoder",
               "--tsv", TSV, "--model-dir", model_dir, "--out", out, "--limit", "4000",
               "--epochs", "1", "--layers", str(layers)]
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    at = {int(b): float(s) for b, s in re.findall(r"batch (\d+)/\d+ loss \S+\s+([\d.]+) s", p.stderr)}
    return at[100] - at[50]


def torch_run(model_dir, layers):
    import numpy as np
    import torch
    from transformers import AutoTokenizer
    torch.manual_seed(42)
    torch.set_num_threads(os.cpu_count() or 2)
    train = [(t, y) for sid, t, y in read_rows(TSV) if bucket(sid) >= 20][:3200]
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = Head(model_dir, layers)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    order = np.random.default_rng(42).permutation(len(train))
    texts = [train[i][0] for i in order]
    gold = torch.tensor([float(train[i][1]) for i in order])
    at = {}
    t0 = time.time()
    for n, (i, ids, mask) in enumerate(batches(tok, texts, 32), start=1):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(ids, mask), gold[i:i + len(ids)])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        at[n] = time.time() - t0
        if n == 100:
            break
    return at[100] - at[50], torch.get_num_threads()


def main():
    model_dir = sys.argv[1]
    layers = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    r = rust(model_dir, layers)
    p, threads = torch_run(model_dir, layers)
    print(f"encoder layers {layers or 6}, {threads} threads; seconds for training batches 51-100 (32 sentences each)")
    print(f"parallax (Rust)  {r:7.1f} s")
    print(f"PyTorch          {p:7.1f} s")
    print(f"ratio PyTorch / parallax: {p / r:.2f}x")


if __name__ == "__main__":
    main()
