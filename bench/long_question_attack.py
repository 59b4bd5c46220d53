"""Does one person posting huge questions slow everyone else down? Normal questions are asked through the
page's own answer event (`answer_page`), alone and then while ATTACKERS clients keep posting 1 MB questions to
the same event; prints normal-question latency p50/p95 both ways and what the attackers got back.

    python bench/long_question_attack.py [--questions 40] [--attackers 4] [--root SOURCE_TREE]

Starts `edusearch serve` from --root (default: this repository; give an older checkout to compare) on a free
port over the index in $EDUSEARCH_INDEX_DIR, and stops it at the end."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_web import QUESTIONS, _free_port, _pct, _wait_ready  # noqa: E402

FILTERS = ["Tất cả", "Tất cả", "Tất cả", "Tất cả", False]
HUGE = "giáo dục " * 120_000  # about 1 MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--attackers", type=int, default=4)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    port = _free_port()
    environment = {**os.environ, "PYTHONPATH": str(args.root)}
    server = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)], cwd=args.root,
                              env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/gradio_api/call/answer_page"
    try:
        _wait_ready(port, server)
        _ask(base, QUESTIONS[0])  # the model loads in the background; wait for it once
        alone = _normal(base, args.questions)
        stop, outcomes = threading.Event(), []
        attackers = [threading.Thread(target=_attack, args=(base, stop, outcomes)) for _ in range(args.attackers)]
        for thread in attackers:
            thread.start()
        time.sleep(1)
        attacked = _normal(base, args.questions)
        stop.set()
        for thread in attackers:
            thread.join(300)
    finally:
        server.terminate()
        server.wait(30)
    print(f"served from {args.root}; {os.cpu_count()} CPUs; {args.questions} normal questions each way")
    for label, values in (("alone", alone), (f"with {args.attackers} clients posting 1 MB questions", attacked)):
        ordered = sorted(values)
        print(f"  {label}: p50 {_pct(ordered, 50):.0f} ms, p95 {_pct(ordered, 95):.0f} ms, max {ordered[-1]:.0f} ms")
    refused = sum(1 for o in outcomes if o == "refused")
    print(f"  attackers: {len(outcomes)} huge questions sent, {refused} refused by the server, "
          f"{len(outcomes) - refused} processed")


def _normal(base: str, count: int) -> list[float]:
    latencies = []
    for n in range(count):
        started = time.perf_counter()
        _ask(base, QUESTIONS[n % len(QUESTIONS)])
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _attack(base: str, stop: threading.Event, outcomes: list[str]) -> None:
    while not stop.is_set():
        stream = _ask(base, HUGE)
        outcomes.append("refused" if "event: error" in stream else "processed")


def _ask(base: str, question: str) -> str:
    request = urllib.request.Request(base, json.dumps({"data": [question, *FILTERS]}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        event = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{base}/{event}", timeout=600) as response:
        return response.read().decode("utf-8")


if __name__ == "__main__":
    main()
