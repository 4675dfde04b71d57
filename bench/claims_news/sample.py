#!/usr/bin/env python3
"""Rebuilds the sentence list that bench/claims_news/labels.tsv labels:
32 PolNeAR dev articles (sorted ids shuffled with random.Random(31), the
first 32), every sentence of the claims layer of `parallax analyze` (as it
cut them on 2026-12-01, commit of this file), with code-point spans.

Usage (from the repository root, after `cargo build --release`):
  python3 bench/claims_news/sample.py > sentences.tsv
Prints `article<TAB>start<TAB>end<TAB>text` lines.
"""
import json, os, random, subprocess, sys

D = "../shared/data/polnear/dev/text"
ids = sorted(f[:-4] for f in os.listdir(D) if f.endswith(".txt"))
random.Random(31).shuffle(ids)
for i in ids[:32]:
    out = subprocess.run(
        ["target/release/parallax", "analyze", f"{D}/{i}.txt",
         "--skip", "techniques,attributions,entities"],
        capture_output=True, check=True).stdout
    for s in json.loads(out)["layers"]["claims"]["sentences"]:
        text = s["text"].replace("\t", " ").replace("\n", " ")
        print(f"{i}\t{s['span']['start']}\t{s['span']['end']}\t{text}")
