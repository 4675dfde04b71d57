#!/usr/bin/env python3
"""Writes N plain-text articles into DIR for timing `parallax cluster` on
a big folder: the PolNeAR (train, dev) and PTC texts of ../shared/data,
1,295 of them, repeated as the cluster bench does
(crates/parallax-compare/benches/speed.rs): copy r of a text drops every
(r+2)-th paragraph, so each text has about N/1,295 near-identical
versions, which should end in one story. Never commit the output.

    python3 bench/gen_cluster_folder.py 100000 /tmp/big100k
    /usr/bin/time -v parallax cluster /tmp/big100k > stories.json
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_corpus import DATA  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    pool = []
    for sub in ("polnear/train/text", "polnear/dev/text", "ptc/train-articles"):
        for f in sorted(glob.glob(os.path.join(DATA, sub, "*.txt"))):
            with open(f, encoding="utf-8") as fh:
                pool.append(fh.read())
    if not pool:
        sys.exit(f"no texts under {DATA}")
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        text, r = pool[i % len(pool)], i // len(pool)
        if r:
            text = "\n".join(p for k, p in enumerate(text.split("\n")) if k % (r + 2) != 1)
        with open(os.path.join(out, f"d{i:06d}.txt"), "w", encoding="utf-8") as fh:
            fh.write(text)
    print(f"{n} articles from {len(pool)} texts in {out}")


if __name__ == "__main__":
    main()
