#!/usr/bin/env python3
"""Crash test: kill -9 a running `parallax ingest` several times at random
moments, restart it, and check that the corpus holds every article exactly
once and passes PRAGMA integrity_check (and the FTS5 index check).

    python3 bench/crash_test.py [N=3000] [KILLS=5]
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import OUT, build_release  # noqa: E402


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    kills = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    binary = build_release()
    os.makedirs(OUT, exist_ok=True)
    corpus = os.path.join(OUT, f"crash{n}.jsonl")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "gen_corpus.py"), str(n), corpus], check=True)
    db = os.path.join(OUT, "crash.db")
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    rng = random.Random(7)
    counts = []
    for k in range(kills):
        p = subprocess.Popen([binary, "ingest", "--no-progress", "--batch-size", "50", "--db", db, corpus],
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 3.0))
        p.send_signal(signal.SIGKILL)
        p.wait()
        c = sqlite3.connect(db)
        counts.append(c.execute("SELECT count(*) FROM articles").fetchone()[0])
        c.close()
    print(f"articles stored after each kill -9: {counts}")
    r = subprocess.run([binary, "ingest", "--no-progress", "--db", db, corpus], stderr=subprocess.PIPE, text=True)
    print(r.stderr.strip().splitlines()[-1])
    c = sqlite3.connect(db)
    total, distinct_hash, distinct_id = c.execute(
        "SELECT count(*), count(DISTINCT content_hash), count(DISTINCT doc_id) FROM articles").fetchone()
    integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
    c.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
    orphans = c.execute("SELECT count(*) FROM findings WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
    fts_rows = c.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
    print(f"final: {total} articles, {distinct_hash} distinct texts, {distinct_id} distinct ids (expected {n}); "
          f"integrity_check {integrity}; FTS rows {fts_rows}; orphan findings {orphans}")
    ok = total == distinct_hash == distinct_id == n == fts_rows and integrity == "ok" and orphans == 0
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
