#!/usr/bin/env python3
"""Load test on loopback: C concurrent clients send R `POST /api/analyze`
requests in all (each a PTC or PolNeAR article), keep-alive connections.
Prints requests/s, p50/p99 latency, errors, and the server's peak RSS.
Bounded: R requests, nothing else.

    python3 bench/load_test.py [R=2000] [C=16]
"""
import http.client
import json
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import build_release, pct, peak_rss_mb, start_server  # noqa: E402
import gen_corpus  # noqa: E402


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    conc = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    binary = build_release()
    bodies = [json.dumps({"text": a["text"], "title": a["title"]}).encode()
              for a in gen_corpus.base_articles()[:200]]
    tmp = tempfile.mkdtemp()
    srv, host, port = start_server(binary, os.path.join(tmp, "load.db"), ["--max-concurrent", "64"])
    lat, errors, lock = [], [], threading.Lock()
    counter = iter(range(total))

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=60)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            body = bodies[i % len(bodies)]
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/analyze", body, {"content-type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                ok = r.status == 200 and data.startswith(b"{")
            except Exception as e:  # a dropped connection counts as an error
                ok, data = False, str(e).encode()
                conn = http.client.HTTPConnection(host, port, timeout=60)
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                lat.append(ms)
                if not ok:
                    errors.append(data[:200])

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.perf_counter() - t0
    rss = peak_rss_mb(srv.pid)
    srv.kill()
    srv.wait()
    avg_kb = sum(len(b) for b in bodies) / len(bodies) / 1024
    print(f"POST /api/analyze: {total} requests, {conc} concurrent, mean body {avg_kb:.1f} KB")
    print(f"{total / secs:.1f} requests/s; latency p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms, "
          f"max {max(lat):.1f} ms; errors {len(errors)}; server peak RSS {rss:.0f} MB; {os.cpu_count()} CPUs")
    if errors:
        print("first error:", errors[0])
        sys.exit(1)


if __name__ == "__main__":
    main()
