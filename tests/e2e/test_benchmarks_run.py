"""Each benchmark still runs, at a toy size: they call the bot's own internals (the claim,
the re-engagement step, the timer tick...), and a change of signature there once broke
`bench.claim` unnoticed. Numbers are not checked here; they live in docs/benchmarks.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

TOY_RUNS = {
    "claim": ["--users", "600", "--due", "500", "--repeat", "1", "--no-postgres"],
    "retention": ["--users", "200", "--rows", "2", "--repeat", "1", "--no-postgres"],
    "reengagement": ["--users", "600", "--days", "2", "--repeat", "1", "--no-postgres"],
    "progress": ["--renders", "2", "--users", "600", "--no-postgres"],
    "timers": ["--timers", "50", "--repeat", "1"],
    "day": ["--users", "2000"],
}


@pytest.mark.parametrize(("bench", "args"), TOY_RUNS.items(), ids=list(TOY_RUNS))
def test_the_benchmark_runs_at_a_toy_size(bench: str, args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{bench}", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "{" in done.stdout, "no JSON results printed"
