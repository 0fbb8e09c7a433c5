"""Flame graph of the fused search: this process loads the service, warms it up, then has py-spy
sample itself (every thread, so the network's worker thread too) while it searches the real-case
test queries in a loop. Writes an SVG (default `docs/flame-fused-search.svg`).

Needs py-spy (`pip install -e ".[bench]"`). It reads this process with ptrace: the process lets
its child do so (Yama's `ptrace_scope=1`, Ubuntu's default, otherwise allows only root); a
container may still forbid ptrace altogether. Run: `.venv/bin/python -m bench.flame_fused [--seconds 20] [--out FILE]`.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from app.loading import load_service
from bench.common import ROOT, load_queries, machine, warm_up_queries
from core.config import Settings
from indexer.store import make_engine


PR_SET_PTRACER, PR_SET_PTRACER_ANY = 0x59616D61, ctypes.c_ulong(-1)


def _allow_tracing() -> None:
    """Let py-spy, a child of this process, attach to it under Yama's ptrace_scope=1 (Linux only)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: py-spy's own rules apply


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "flame-fused-search.svg")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(ROOT / ".venv" / "bin" / "py-spy")
    if not Path(spy).exists():
        raise SystemExit('py-spy is not installed: .venv/bin/pip install -e ".[bench]"')
    settings = Settings()
    service = load_service(settings, make_engine(settings.sql_url))[0]
    queries = load_queries(600, ROOT / "data" / "queries" / "real-test.jsonl")
    for q in warm_up_queries(50):
        service.search(q, 20)  # warm: word cache, first-call costs
    _allow_tracing()
    record = subprocess.Popen([spy, "record", "--threads", "--rate", "250", "--duration", str(args.seconds),
                               "--pid", str(os.getpid()), "--output", str(args.out)])
    time.sleep(1)  # py-spy attaches
    searches = 0
    while record.poll() is None:
        service.search(queries[searches % len(queries)], 20)
        searches += 1
    if record.returncode:
        raise SystemExit(f"py-spy failed (exit {record.returncode})")
    title = f"Fused search, real-case test queries, in-process, {searches:,} searches — {machine()}"
    svg = re.sub(r'(<text id="title"[^>]*>)[^<]*<', lambda m: m.group(1) + title + "<", args.out.read_text(), count=1)
    args.out.write_text(svg)
    print(f"{searches:,} searches in {args.seconds} s; flame graph written to {args.out}")


if __name__ == "__main__":
    main()
