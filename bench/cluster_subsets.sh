#!/bin/sh
# Cluster tuning on dev-size batches of PolNeAR train (docs/compare.md,
# "Dev-size train batches"): train is cut into 10 disjoint sets of 83
# articles (Python random.Random(7) shuffle of the sorted file names), each
# set is clustered with `parallax eval cluster --sweep`, and the B-cubed F1
# per threshold is averaged over the 10 sets, for --parts 3 and 6.
#
#   sh bench/cluster_subsets.sh [FLAGS...]      e.g. --name-weight 0.1
#
# PARALLAX (default target/release/parallax), POLNEAR (default
# ../shared/data/polnear) may be set. Nothing is copied: the sets are
# folders of symbolic links in a temporary directory.
set -eu
PARALLAX=${PARALLAX:-target/release/parallax}
POLNEAR=${POLNEAR:-../shared/data/polnear}
TRAIN=$(cd "$POLNEAR/train/text" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$TRAIN" "$TMP" <<'PY'
import os, random, sys
train, tmp = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(train) if n.endswith(".txt"))
random.Random(7).shuffle(names)
for k in range(10):
    d = os.path.join(tmp, f"s{k}")
    os.makedirs(d)
    for n in names[k * 83:(k + 1) * 83]:
        os.symlink(os.path.join(train, n), os.path.join(d, n))
PY
for P in 3 6; do
  printf 'parts %s, mean F1 over 10 sets by threshold:' "$P"
  for k in 0 1 2 3 4 5 6 7 8 9; do
    "$PARALLAX" eval cluster "$TMP/s$k" --parts "$P" --sweep "$@" 2>&1 | grep '^  threshold'
  done | awk '{t=$2; sub(":","",t); f[t]+=$NF; n[t]++} END {for (t in f) printf "%s %.4f\n", t, f[t]/n[t]}' \
    | sort -g | awk '{printf " %s:%s", $1, $2} END {print ""}'
done
