#!/usr/bin/env python3
"""Ingest benchmark: N articles generated from PTC + PolNeAR (default 10,000)
into a fresh corpus with the release binary; articles/s and peak memory;
re-ingest (idempotent: all skipped); then search latency through the HTTP
API (`GET /api/search`) and the CLI (`parallax search`, process included).

    python3 bench/ingest_bench.py [N]
"""
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import OUT, build_release, pct, run_measured, start_server  # noqa: E402

QUERIES = ["Trump", "Clinton", "email", "immigration", "tax", "\"Supreme Court\"", "police", "Russia",
           "election", "border wall", "Obama OR Sanders", "terror*", "climate", "jobs", "vote", "media"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    binary = build_release()
    os.makedirs(OUT, exist_ok=True)
    # A folder of 1,000-article JSONL shards (one JSONL file must stay under
    # the input size limit, 20 MB by default).
    corpus = os.path.join(OUT, f"corpus{n}")
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "gen_corpus.py"), str(n), corpus, "1000"], check=True)
    db = os.path.join(OUT, "bench.db")
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(db + ext):
            os.remove(db + ext)
    code, secs, rss, err = run_measured([binary, "ingest", "--no-progress", "--db", db, corpus])
    refused = [l for l in err.splitlines() if "an analyzer failed" in l]
    print(err.strip().splitlines()[-1])
    print(f"articles refused by an analyzer bug (reported, not stored): {len(refused)}")
    if code not in (0, 1):
        sys.exit(f"ingest failed:\n{err[-2000:]}")
    print(f"ingest: {n} articles in {secs:.1f} s = {n / secs:.1f} articles/s, peak RSS {rss:.0f} MB, exit {code}")
    print(f"database size: {os.path.getsize(db) / 1e6:.0f} MB")
    code2, secs2, rss2, err2 = run_measured([binary, "ingest", "--no-progress", "--db", db, corpus])
    print(f"re-ingest (all skipped): {secs2:.1f} s, peak RSS {rss2:.0f} MB; {err2.strip().splitlines()[-1]}")

    srv, host, port = start_server(binary, db)
    try:
        conn = http.client.HTTPConnection(host, port)
        lat = []
        hits = 0
        for rep in range(10):
            for q in QUERIES:
                t0 = time.perf_counter()
                conn.request("GET", "/api/search?" + urllib.parse.urlencode({"q": q, "limit": 20}))
                r = conn.getresponse()
                body = r.read()
                lat.append((time.perf_counter() - t0) * 1000)
                assert r.status == 200, body
                hits += len(json.loads(body)["hits"])
        print(f"search via HTTP API: {len(lat)} queries, p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms, "
              f"mean hits {hits / len(lat):.1f}")
        fl = []
        for q in ["Trump", "immigration"]:
            t0 = time.perf_counter()
            conn.request("GET", "/api/search?" + urllib.parse.urlencode({"q": q, "source": "breitbart", "from": "2016-01", "to": "2016-06", "limit": 20}))
            r = conn.getresponse()
            r.read()
            fl.append((time.perf_counter() - t0) * 1000)
        print(f"search with source+date filters: {', '.join(f'{x:.1f} ms' for x in fl)}")
        t0 = time.perf_counter()
        conn.request("GET", "/api/stats")
        r = conn.getresponse()
        r.read()
        print(f"stats over the corpus: {(time.perf_counter() - t0) * 1000:.0f} ms")
    finally:
        srv.kill()
        srv.wait()
    # What a user would do without a corpus: grep the JSONL for the word.
    gl = []
    for q in ["Trump", "Clinton", "email", "immigration", "tax"]:
        t0 = time.perf_counter()
        subprocess.run(["grep", "-r", "-c", "-i", "-w", q, corpus], stdout=subprocess.DEVNULL)
        gl.append((time.perf_counter() - t0) * 1000)
    size = sum(os.path.getsize(os.path.join(corpus, x)) for x in os.listdir(corpus))
    print(f"grep -r -c -i -w WORD over the JSONL shards ({size / 1e6:.0f} MB): p50 {pct(gl, 50):.1f} ms "
          f"(the API search takes {pct(lat, 50) / pct(gl, 50):.2f}x grep's time at p50, and ranks and filters)")
    cl = []
    for q in QUERIES[:5]:
        t0 = time.perf_counter()
        subprocess.run([binary, "search", q, "--db", db], stdout=subprocess.DEVNULL, check=True)
        cl.append((time.perf_counter() - t0) * 1000)
    print(f"parallax search (CLI, process start included): p50 {pct(cl, 50):.1f} ms over {len(cl)} queries")


if __name__ == "__main__":
    main()
