#!/bin/sh
# Throughput of `parallax analyze` with and without the techniques layer on
# the 371 PTC training articles, on one core (taskset + RAYON_NUM_THREADS=1),
# three runs each; then one run with the opt-in fine-tuned span tagger
# (`--techniques-encoder`, minutes). ENCODER=0 leaves that run out.
# Usage: sh bench/techniques.sh   (from the repository root; PTC=DIR if the
# PTC folder is not ../shared/data/ptc)
set -e
cargo build --release -p parallax-cli >/dev/null 2>&1
BIN=target/release/parallax
ARTS=${PTC:-../shared/data/ptc}/train-articles
N=$(ls "$ARTS"/*.txt | wc -l)
for run in 1 2 3; do
  for mode in all skip; do
    if [ "$mode" = all ]; then SKIP=""; else SKIP="--skip techniques"; fi
    /usr/bin/time -f "$mode run $run: wall %e s, user %U s, sys %S s, peak RSS %M KB" \
      env RAYON_NUM_THREADS=1 taskset -c 0 "$BIN" analyze --no-progress --format jsonl $SKIP "$ARTS" >/dev/null 2>/tmp/parallax-bench-$$.err
    tail -n 1 /tmp/parallax-bench-$$.err
  done
done
if [ "${ENCODER:-1}" != 0 ]; then
  /usr/bin/time -f "encoder run: wall %e s, user %U s, sys %S s, peak RSS %M KB" \
    env RAYON_NUM_THREADS=1 taskset -c 0 "$BIN" analyze --no-progress --format jsonl --techniques-encoder "$ARTS" >/dev/null 2>/tmp/parallax-bench-$$.err
  tail -n 1 /tmp/parallax-bench-$$.err
fi
rm -f /tmp/parallax-bench-$$.err
echo "articles: $N"
