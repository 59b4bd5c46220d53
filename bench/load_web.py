"""Load run against `edusearch serve` over loopback: concurrent clients calling the /search API (and a
burst past the queue limit), with error rate, latency percentiles and the server's memory before and after.

    python bench/load_web.py [--clients 50] [--queries 2000] [--endpoint search] [--burst 300]

Starts its own server on a free port over the index in $EDUSEARCH_INDEX_DIR (built from documents/ if
missing) and stops it at the end."""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Sở nào bố trí kinh phí thực hiện kế hoạch", "so nao bo tri kinh phi", "tỷ lệ học sinh tốt nghiệp THPT",
    "phân luồng học sinh sau THCS", "51-KL/TW", "biên chế ngành giáo dục", "chuyển đổi số trong giáo dục",
    "Which department funds the plan?", "giáo viên đạt chuẩn trình độ đào tạo", "trường đạt chuẩn quốc gia",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--endpoint", default="search", choices=["search", "ask", "topics"])
    parser.add_argument("--burst", type=int, default=300, help="simultaneous requests sent at once afterwards")
    args = parser.parse_args()

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/gradio_api/call/{args.endpoint}"
    try:
        _wait_ready(port, server)
        _call(base, QUESTIONS[0])  # the model is loaded in the background; wait for it once
        rss_before = _rss_mb(server.pid)
        latencies, errors = _run(base, args.clients, args.queries)
        rss_after = _rss_mb(server.pid)
        burst_latencies, burst_errors = _run(base, args.burst, args.burst)
    finally:
        server.terminate()
        server.wait(30)
    ok = sorted(latencies)
    print(f"endpoint /{args.endpoint}: {args.queries} queries from {args.clients} concurrent clients, "
          f"{os.cpu_count()} CPUs")
    print(f"  errors: {len(errors)} ({100 * len(errors) / args.queries:.2f}%) {_kinds(errors)}")
    if ok:
        print(f"  latency ms: p50 {_pct(ok, 50):.0f}  p95 {_pct(ok, 95):.0f}  p99 {_pct(ok, 99):.0f}  "
              f"max {ok[-1]:.0f}  mean {statistics.mean(ok):.0f}")
        print(f"  throughput: {len(ok) / (sum(ok) / 1000 / args.clients):.1f} queries/s")
    print(f"  server memory (RSS): {rss_before:.0f} MB before, {rss_after:.0f} MB after")
    print(f"burst of {args.burst} at once (queue limit 64): {len(burst_latencies)} answered, "
          f"{len(burst_errors)} refused {_kinds(burst_errors)}, slowest {max(burst_latencies + [0]):.0f} ms")


def _run(base: str, clients: int, total: int) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        started = time.perf_counter()
        try:
            _call(base, QUESTIONS[n % len(QUESTIONS)])
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
        except Exception as error:  # noqa: BLE001 - counted and reported
            with lock:
                errors.append(str(error)[:80])

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(total)))
    return latencies, errors


def _call(base: str, question: str) -> object:
    defaults = {"search": ["", "", 0, 10], "ask": ["", "", 0, 5], "topics": ["", "", 0]}[base.rsplit("/", 1)[-1]]
    request = urllib.request.Request(base, json.dumps({"data": [question, *defaults]}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        event = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{base}/{event}", timeout=120) as response:
        stream = response.read().decode("utf-8")
    if "event: complete" not in stream:
        raise RuntimeError(stream.strip().splitlines()[-1] if stream.strip() else "empty response")
    return stream


def _kinds(errors: list[str]) -> str:
    counts: dict[str, int] = {}
    for error in errors:
        counts[error] = counts.get(error, 0) + 1
    return "; ".join(f"{n}× {text}" for text, n in sorted(counts.items(), key=lambda p: -p[1])[:3])


def _pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped; run `edusearch serve` to see why")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise SystemExit("the server did not start in 10 minutes")


if __name__ == "__main__":
    main()
