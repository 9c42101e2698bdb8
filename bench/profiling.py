"""Where the time goes: py-spy (a sampling profiler, from PyPI) when it is installed, else
cProfile. Both summaries list functions by own time and by inclusive time."""

from __future__ import annotations

import contextlib
import cProfile
import os
import pstats
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def find_py_spy() -> str | None:
    return os.environ.get("PY_SPY") or shutil.which("py-spy")


@contextlib.contextmanager
def sampled(pid: int, out: Path, *, rate: int = 250) -> Iterator[None]:
    """py-spy record of process ``pid`` (this one, or the sandbox server) while the block runs;
    collapsed stacks go to ``out``."""
    py_spy = find_py_spy()
    if py_spy is None:
        raise RuntimeError("py-spy not found: pip install py-spy, or set PY_SPY")
    command = [py_spy, "record", "--pid", str(pid), "--format", "raw", "--rate", str(rate)]
    spy = subprocess.Popen(
        [*command, "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)  # let it attach
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
            spy.wait()


_LINE = re.compile(r":\d+\)$")
# Frames that only mean "waiting": a sampling profiler sees them while the process is idle.
_IDLE = ("EpollSelector.select", "select (selectors.py", "_WorkItem.run", "Condition.wait")


def summarize_collapsed(path: Path, top: int = 25) -> dict[str, Any]:
    """Own and inclusive shares of busy samples (idle waits left out), by function."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    busy = idle = 0
    if not path.exists():
        return {"error": f"no profile written to {path}"}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [_LINE.sub(")", frame) for frame in stack.split(";")]
        if any(marker in frames[-1] for marker in _IDLE):
            idle += count
            continue
        busy += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count

    def share(counter: Counter[str]) -> list[tuple[float, str]]:
        return [(round(100 * n / busy, 1), name) for name, n in counter.most_common(top)]

    return {
        "profiler": "py-spy",
        "busy_samples": busy,
        "idle_samples": idle,
        "own": share(own),
        "inclusive": share(inclusive),
    }


@contextlib.contextmanager
def cprofiled(out: Path) -> Iterator[cProfile.Profile]:
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield profile
    finally:
        profile.disable()
        profile.dump_stats(out)


def summarize_cprofile(path: Path, top: int = 25) -> dict[str, Any]:
    stats = pstats.Stats(str(path))
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(value[2] for value in entries.values()) or 1.0

    def name(key: tuple[str, int, str]) -> str:
        filename, line, function = key
        return f"{function} ({_short(filename)}:{line})"

    own = sorted(entries.items(), key=lambda item: -item[1][2])[:top]
    cumulative = sorted(entries.items(), key=lambda item: -item[1][3])[:top]
    return {
        "profiler": "cProfile (deterministic: inflates many small calls)",
        "own": [(round(100 * value[2] / total, 1), name(key)) for key, value in own],
        "inclusive": [(round(100 * value[3] / total, 1), name(key)) for key, value in cumulative],
    }


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename
