"""Alternating wall-time runs of several `parallax` binaries on the full
`analyze` of the 371 PTC training articles, one core (taskset,
RAYON_NUM_THREADS=1), JSONL to /dev/null; prints best and median per
binary. Alternating runs put two builds under the same machine noise.

    python3 bench/ab_analyze.py target/release/parallax /tmp/other/parallax [--runs 6]

PTC=DIR if the PTC folder is not ../shared/data/ptc.
"""
import os
import subprocess
import sys
import time

args = sys.argv[1:]
runs = 6
if "--runs" in args:
    i = args.index("--runs")
    runs = int(args[i + 1])
    del args[i : i + 2]
arts = os.path.join(os.environ.get("PTC", "../shared/data/ptc"), "train-articles")
n = len([f for f in os.listdir(arts) if f.endswith(".txt")])
res = {b: [] for b in args}
for _ in range(runs):
    for b in args:
        t = time.time()
        subprocess.run(
            ["taskset", "-c", "0", b, "analyze", "--no-progress", "--format", "jsonl", arts],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={"RAYON_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
            check=True,
        )
        res[b].append(time.time() - t)
for b in args:
    v = sorted(res[b])
    print(f"{b}: best {v[0]:.2f} median {v[len(v) // 2]:.2f} s -> {n / v[0]:.0f} articles/s best, {n / v[len(v) // 2]:.0f} median ({runs} runs, {n} articles)")
