"""Helpers shared by the bench scripts: build, run with peak memory, serve."""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")


VENV = os.path.join(ROOT, "bench", ".venv")


def bench_env():
    """The environment for code run inside bench/.venv: bench/ on
    PYTHONPATH, so that it imports the shared readers (ct24.py)."""
    env = dict(os.environ)
    here = os.path.join(ROOT, "bench")
    env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_venv(check_import, packages):
    """bench/.venv with the peer tools: `check_import` is a Python import
    line that succeeds once `packages` are installed. Returns its python."""
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        sh([sys.executable, "-m", "venv", VENV])
    try:
        sh([py, "-c", check_import], stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        sh([py, "-m", "pip", "install", "-q", *packages])
    return py


def build_release():
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "parallax-cli"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "parallax")


def run_measured(cmd, **kw):
    """Runs cmd; returns (exit code, seconds, peak RSS in MB, stderr)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, **kw)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, secs, usage.ru_maxrss / 1024.0, err


def start_server(binary, db, extra=()):
    p = subprocess.Popen([binary, "serve", "--db", db, "--addr", "127.0.0.1:0", *extra],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    m = re.search(r"http://(127\.0\.0\.1):(\d+)", line)
    if not m:
        p.kill()
        sys.exit(f"server did not start: {line} {p.stderr.read()}")
    return p, m.group(1), int(m.group(2))


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    i = min(len(xs) - 1, max(0, int(round(q / 100.0 * (len(xs) - 1)))))
    return xs[i]
