"""Candidate pairs of the `ptc` split of bench/align/pairs.tsv.

usage: python3 bench/align/sample_ptc.py OUT_DIR   (after cargo build --release)

One pair of articles per labelled same-event story of
bench/cluster_events/groups.tsv (random.Random(29): two articles of the
story), `parallax compare A B --align-threshold 0.40 --skip techniques`
on each, every aligned pair kept; the split (ptc-tune or ptc-test) is
the story's in groups.tsv. Writes OUT_DIR/candidates.tsv (split,
a, start, end, b, start, end, label "?", then the two texts and the
comparer's label, for the labellers; the texts are not committed).
"""
import json
import os
import random
import subprocess
import sys
from collections import defaultdict

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
arts = os.path.join(root, "..", "shared", "data", "ptc", "train-articles")
exe = os.path.join(root, "target", "release", "parallax")
out = sys.argv[1]
stories = defaultdict(list)
split_of = {}
for line in open(os.path.join(root, "bench", "cluster_events", "groups.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    aid, story, _split = line.rstrip("\n").split("\t")
    split_of["article" + aid] = "ptc-" + _split
    if story != "-":
        stories[story].append("article" + aid)
rng = random.Random(29)
rows = []
for story in sorted(stories):
    a, b = sorted(rng.sample(sorted(stories[story]), 2))
    res = subprocess.run(
        [exe, "compare", os.path.join(arts, a + ".txt"), os.path.join(arts, b + ".txt"),
         "--align-threshold", "0.40", "--skip", "techniques"],
        capture_output=True, text=True, check=True)
    for al in json.loads(res.stdout)["aligned"]:
        sa, sb = al["sides"]
        if sa["article"] == 1:
            sa, sb = sb, sa
        clean = lambda t: " ".join(t.split())
        rows.append([split_of[a], a, sa["span"]["start"], sa["span"]["end"],
                     b, sb["span"]["start"], sb["span"]["end"], "?",
                     clean(sa["text"]), clean(sb["text"]), al["label"]])
with open(os.path.join(out, "candidates.tsv"), "w", encoding="utf-8") as f:
    for r in rows:
        f.write("\t".join(map(str, r)) + "\n")
print(f"{len(rows)} aligned pairs from {len(stories)} article pairs", file=sys.stderr)
