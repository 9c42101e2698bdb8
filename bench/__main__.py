"""Every Limber benchmark in one bounded run (about 8 minutes on a 2-core machine).

    .venv/bin/python -m bench [--quick] [--out results.json] [--no-postgres] [--profile]

Runs the dispatch benchmark (10k due users twice, 100k once), the claim benchmark (10k due out
of 1M, SQLite and PostgreSQL), the start-up benchmark (``limber run`` with 1M users) and the
stretch pictures (render all, cost per card once uploaded), then prints a summary table
against the targets. ``--quick`` shrinks everything (a smoke test of the
scripts, not a measurement). Results go to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import PYTHON, REPO, machine


def summary(results: dict[str, Any]) -> str:
    rows = ["| measure | result | target | met |", "|---|---|---|---|"]

    def row(measure: str, value: str, target: str, met: bool | None) -> None:
        mark = "" if met is None else ("yes" if met else "**no**")
        rows.append(f"| {measure} | {value} | {target} | {mark} |")

    for block in results.get("dispatch", []):
        users = block["users"]
        runs = block["runs"]
        limber = [r["limber"]["per_second"] for r in runs]
        bare = [r["aiohttp"]["per_second"] for r in runs]
        chunked = [r["aiohttp_chunked"]["per_second"] for r in runs]
        httpx = [r["httpx"]["per_second"] for r in runs]
        lag = max(r["limber"]["loop_lag"]["max_ms"] for r in runs)
        row(f"dispatch {users:,}: Limber end to end", _span(limber, "/s"), ">= 2,000/s",
            min(limber) >= 2000)  # fmt: skip
        row(f"dispatch {users:,}: bare aiohttp, 64 workers", _span(bare, "/s"), "", None)
        row(f"dispatch {users:,}: bare aiohttp, chunks of 64", _span(chunked, "/s"), "", None)
        row(f"dispatch {users:,}: bare httpx, 64 workers", _span(httpx, "/s"), "", None)
        ratios = [r["ratio_to_aiohttp"] for r in runs]
        row(f"dispatch {users:,}: Limber / bare aiohttp", _span(ratios, ""), "report", None)
        ratios = [r["ratio_to_aiohttp_chunked"] for r in runs]
        row(f"dispatch {users:,}: Limber / bare aiohttp in chunks of 64", _span(ratios, ""), "",
            None)  # fmt: skip
        row(f"dispatch {users:,}: longest event-loop block", f"{lag} ms", "<= 100 ms", lag <= 100)
        for variant in block.get("variants", []):
            label = ", ".join(f"{k}={v}" for k, v in variant["variant"].items())
            row(
                f"dispatch {users:,} ({label}): Limber end to end",
                f"{variant['per_second']:,}/s",
                ">= 2,000/s",
                variant["per_second"] >= 2000,
            )
            block_ms = variant["loop_lag"]["max_ms"]
            row(f"dispatch {users:,} ({label}): longest event-loop block", f"{block_ms} ms",
                "<= 100 ms", block_ms <= 100)  # fmt: skip
    claim = results.get("claim")
    if claim:
        for engine in ("sqlite", "postgresql"):
            data = claim.get(engine)
            if not data or "error" in data:
                continue
            for kind in ("statement", "claim"):
                for entry in data[kind]:
                    label = "UPDATE ... RETURNING only" if kind == "statement" else "full claim"
                    target = "<= 50 ms" if entry["limit"] == claim["due"] else ""
                    met = entry["median_ms"] <= 50 if target else None
                    row(
                        f"claim {entry['limit']:,} of {claim['users']:,} ({engine}, {label})",
                        f"{entry['median_ms']} ms (block {entry['loop_block_max_ms']} ms)",
                        target,
                        met,
                    )
    startup = results.get("startup")
    if startup:
        full = startup["full"]
        row(
            f"`limber run` start-up, {full['users']:,} users",
            f"{full['startup_median_seconds']:.2f} s",
            "< 2 s",
            full["startup_median_seconds"] < 2,
        )
        row(
            f"`limber run` peak RSS, {full['users']:,} users",
            f"{full['peak_rss_max_mib']} MiB",
            "<= 150 MB",
            full["peak_rss_max_mib"] * 1.048576 <= 150,
        )
        empty = startup["empty"]
        row(
            "`limber run` start-up / peak RSS, empty database",
            f"{empty['startup_median_seconds']:.2f} s / {empty['peak_rss_max_mib']} MiB",
            "",
            None,
        )
    pictures = results.get("illustrations")
    if pictures:
        runs = pictures["render_runs"]
        row(
            f"render every picture from scratch ({pictures['stretches']} stills, "
            f"{pictures['drills']} loops) and the contact sheet",
            _span([run["seconds"] for run in runs], " s"),
            "report",
            None,
        )
        for kind, label in (("stills", "still (PNG)"), ("animations", "loop (GIF)")):
            best = min(runs, key=lambda run: run[kind]["median_ms"])[kind]
            row(
                f"one {label}, {', '.join(best['pixels'])}",
                f"{best['median_ms']} ms median, {best['median_bytes']:,} bytes "
                f"({best['min_bytes']:,}-{best['max_bytes']:,})",
                "",
                None,
            )
        cards = pictures["per_card"]
        row(
            "a card's picture once uploaded (renders, uploads)",
            f"{cards['cached_us_per_card']} us ({cards['cached_renders']}, "
            f"{cards['uploads_after_the_first']})",
            "no render, no upload",
            cards["cached_renders"] == 0 and cards["uploads_after_the_first"] == 0,
        )
        lag = cards["event_loop_lag_while_rendering"]["max_ms"]
        row("longest event-loop block while pictures render (worker thread)", f"{lag} ms",
            "<= 100 ms", lag <= 100)  # fmt: skip
        drawing = pictures["reminder_path_imports_that_draw"]
        row("pictures drawn on the reminder path", "none" if not drawing else str(drawing),
            "none", not drawing)  # fmt: skip
    return "\n".join(rows)


def _span(values: list[float], unit: str) -> str:
    if len(values) == 1:
        return f"{values[0]:,}{unit}"
    return f"{min(values):,}-{max(values):,}{unit} ({len(values)} runs)"


def _part(module: str, args: list[str], workdir: Path) -> dict[str, Any]:
    """One benchmark in a fresh interpreter (no garbage or caches left by another part)."""
    out = workdir / f"{module}.json"
    command = [PYTHON, "-m", f"bench.{module}", *args, "--out", str(out)]
    print("$", " ".join(command[1:]), flush=True)
    subprocess.run(command, cwd=REPO, check=True, timeout=900)
    return dict(json.loads(out.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description="all Limber benchmarks")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check the scripts run")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="py-spy the first 10k dispatch")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.monotonic()
    small, large, users, due = (1000, 3000, 50_000, 1000) if args.quick else (
        10_000, 100_000, 1_000_000, 10_000)  # fmt: skip
    results: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="limber-bench-") as tmp:
        workdir = Path(tmp)
        profile = ["--profile"] if args.profile else []
        small_run = _part(
            "dispatch",
            ["--users", str(small), "--repeat", "2", "--variants", *profile],
            workdir,
        )
        large_run = _part(
            "dispatch", ["--users", str(large), "--httpx-users", str(large // 5)], workdir
        )
        results["dispatch"] = small_run["dispatch"] + large_run["dispatch"]
        claim_args = ["--users", str(users), "--due", str(due), "--repeat", "5"]
        if args.no_postgres:
            claim_args.append("--no-postgres")
        results["claim"] = _part("claim", claim_args, workdir)["claim"]
        seconds = "8" if args.quick else "12"
        startup_args = ["--users", str(users), "--due", "2000", "--repeat", "3"]
        results["startup"] = _part("startup", [*startup_args, "--seconds", seconds], workdir)[
            "startup"
        ]
        sends = "2000" if args.quick else "20000"
        results["illustrations"] = _part(
            "illustrations", ["--repeat", "1" if args.quick else "2", "--sends", sends], workdir
        )["illustrations"]
    results["seconds"] = round(time.monotonic() - started, 1)
    table = summary(results)
    results["summary"] = table
    print(table)
    print(f"\n{results['seconds']} s in all")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
