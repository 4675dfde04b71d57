"""A folder with stories far larger than the clustering background (docs/compare.md,
"Large stories and sure links").

usage: python3 bench/cluster_bigstory.py OUT_DIR
then:  parallax eval cluster OUT_DIR/texts --gold OUT_DIR/gold.tsv [--sure-link 1]

The 371 PTC training articles (read from ../shared/data/ptc/train-articles,
nothing copied into the repository); for 10 of them (random.Random(5)) 20
versions each take the article's place, every paragraph after the title
kept with probability 0.65. Gold: the versions of one article are one
story, every other article is alone.
"""
import os
import random
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
src = os.path.join(root, "..", "shared", "data", "ptc", "train-articles")
out = sys.argv[1]
texts = os.path.join(out, "texts")
os.makedirs(texts, exist_ok=True)
names = sorted(os.listdir(src))
rng = random.Random(5)
big = rng.sample(names, 10)
gold = []
for n in names:
    t = open(os.path.join(src, n), encoding="utf-8").read()
    aid = n[:-4]
    if n in big:
        paras = t.split("\n")
        for v in range(20):
            keep = [p for k, p in enumerate(paras) if k == 0 or rng.random() > 0.35]
            name = f"{aid}v{v:02d}"
            open(os.path.join(texts, name + ".txt"), "w", encoding="utf-8").write("\n".join(keep))
            gold.append((name, aid))
    else:
        open(os.path.join(texts, aid + ".txt"), "w", encoding="utf-8").write(t)
        gold.append((aid, "-"))
with open(os.path.join(out, "gold.tsv"), "w") as f:
    f.write("".join(f"{a}\t{s}\n" for a, s in gold))
print(f"{len(gold)} documents in {out}/texts", file=sys.stderr)
