#!/usr/bin/env python3
"""Writes N articles as JSONL (id, source, published, title, text) built from
the PTC and PolNeAR articles in ../shared/data. There are about 1,300
distinct texts; past that, each copy gets an "Edition k" line so every
article has its own text (and content hash). Never commit the output.

    python3 bench/gen_corpus.py 10000 bench/out/corpus10k.jsonl
"""
import csv
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_data():
    """../shared/data next to the checkout (or next to a parent of it)."""
    if os.environ.get("PARALLAX_DATA"):
        return os.environ["PARALLAX_DATA"]
    d = ROOT
    while True:
        cand = os.path.join(os.path.dirname(d), "shared", "data")
        if os.path.isdir(cand) or os.path.dirname(d) == d:
            return cand
        d = os.path.dirname(d)


DATA = find_data()


def base_articles():
    out = []
    meta = {}
    with open(os.path.join(DATA, "polnear", "metadata.tsv"), newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            meta[row["filename"]] = row
    for split in ("train", "dev"):
        d = os.path.join(DATA, "polnear", split, "text")
        for name in sorted(os.listdir(d)):
            stem = name[:-4]
            m = meta.get(stem, {})
            with open(os.path.join(d, name), encoding="utf-8") as f:
                text = f.read()
            out.append({
                "id": f"polnear-{stem}",
                "source": m.get("publisher") or stem.split("_")[0],
                "published": m.get("publication_date") or None,
                "title": m.get("title") or None,
                "text": text,
            })
    d = os.path.join(DATA, "ptc", "train-articles")
    for i, name in enumerate(sorted(os.listdir(d))):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            text = f.read()
        title = text.split("\n", 1)[0].strip()
        # PTC has no outlet or date: spread its articles over 2017 by index.
        out.append({
            "id": f"ptc-{name[:-4]}",
            "source": "ptc",
            "published": f"2017-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
            "title": title or None,
            "text": text,
        })
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "bench", "out", f"corpus{n}.jsonl")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    base = [a for a in base_articles() if a["text"].strip()]
    with open(path, "w", encoding="utf-8") as f:
        for k in range(n):
            a = dict(base[k % len(base)])
            edition = k // len(base)
            if edition:
                a["id"] = f"{a['id']}-e{edition}"
                a["text"] = f"Edition {edition}\n\n{a['text']}"
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    print(f"{path}: {n} articles from {len(base)} distinct PTC + PolNeAR texts", file=sys.stderr)


if __name__ == "__main__":
    main()
