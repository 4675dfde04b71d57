"""Adds a seeded tune/test split to the adjudicated story labels.

usage: python3 bench/cluster_events/split.py LABELS.tsv > bench/cluster_events/groups.tsv

LABELS.tsv: `article_id<TAB>story` lines (`-`: the article shares its story
with no other). The split is by story, so that all articles of one story
fall in one split: the shared stories are shuffled (random.Random(7), after
sorting by name) and dealt alternately to tune and test, and so are the
articles alone. Output: `article_id<TAB>story<TAB>split`, sorted by id.
"""
import random
import sys
from collections import defaultdict

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
stories = defaultdict(list)
for aid, story in rows:
    stories[story if story != "-" else "alone:" + aid].append(aid)
shared = sorted(s for s, v in stories.items() if len(v) > 1)
alone = sorted(s for s, v in stories.items() if len(v) == 1)
rng = random.Random(7)
split = {}
for group in (shared, alone):
    rng.shuffle(group)
    for i, s in enumerate(group):
        split[s] = "tune" if i % 2 == 0 else "test"
print("# article_id\tstory\tsplit  (bench/cluster_events/GUIDE.md; split.py)")
for aid, story in sorted(rows):
    key = story if story != "-" else "alone:" + aid
    if len(stories[key]) == 1:
        story = "-"
    print(f"{aid}\t{story}\t{split[key]}")
