"""`make bench` (`python -m benchmarks`): set up, run every part against the sandbox and the portal's
own gunicorn on 127.0.0.1, print one table and write benchmarks/results.json.

    python -m benchmarks              # every part
    python -m benchmarks --parts 1,5  # some parts (for working on one; they update only those figures)

The exit status is non-zero only when the harness itself failed (set-up, a crashed part); a figure
that misses its goal is reported in the table, never by the exit status.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from datetime import UTC, datetime

from . import environment
from .environment import WORK, Gunicorn, HarnessError
from .report import Figure, missed, notes, table, write_json

RESULTS = environment.PACKAGE / "results.json"
PARTS = {
    "1": ("crm_calls", "CRM round trips per create"),
    "2": ("crowd", "one login under a crowd"),
    "3": ("address", "address check cost"),
    "4": ("http_load", "HTTP throughput under gunicorn"),
    "5": ("growth", "growth from 1k to 100k submissions"),
    "6": ("outage", "outage drill"),
    "7": ("records", "MyCRM's own records: search, open, update"),
    "8": ("load", "50 concurrent clients for 60 s"),
    "9": ("overhead", "the portal's own cost per create"),
    "10": ("bulk", "a bulk address list of 1,000, half cached"),
    "B": ("breakdown", "where one request's time goes (BENCH_BREAKDOWN=1)"),
}
# Run by default: every part but the breakdown, which BENCH_BREAKDOWN=1 (or --parts B) adds.
DEFAULT_PARTS = [p for p in PARTS if p != "B"] + (["B"] if os.environ.get("BENCH_BREAKDOWN") == "1" else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--parts", default=",".join(DEFAULT_PARTS), help="comma-separated part numbers (default: all)")
    args = parser.parse_args(argv)
    chosen = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    signal.signal(signal.SIGTERM, _interrupt)  # so that `finally` stops gunicorn and the worker

    started = time.monotonic()
    date = datetime.now(UTC).isoformat(timespec="seconds")
    load_at_start = _load_average()
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    bench = None
    try:
        _say(started, "setting up (database, migrate, cache table, collectstatic)")
        bench = environment.prepare()
        environment.django_setup()
        _say(started, f"starting gunicorn on {bench.base_url}")
        _say(started, f"starting the sandbox's gunicorn on {bench.crm_url}")
        with Gunicorn(bench, sandbox=True) as crm, Gunicorn(bench) as server:
            for number in chosen:
                module_name, title = PARTS[number]
                if not server.alive() or not crm.alive():
                    errors[f"{number} {title}"] = "gunicorn is no longer running"
                    continue
                _say(started, f"part {number}: {title}")
                try:
                    module = __import__(f"benchmarks.{module_name}", fromlist=["run"])
                    figures.extend(module.run(bench))
                except Exception as exc:
                    errors[f"{number} {title}"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
                    _log_traceback()
    except HarnessError as exc:
        errors["setup"] = str(exc).splitlines()[0]
        _log_traceback()
        print(exc, file=sys.stderr)
    except KeyboardInterrupt:
        errors["interrupted"] = "stopped before the end"
    duration = time.monotonic() - started
    meta = {
        "machine": environment.machine(),
        "database": bench.database if bench else None,
        "cache": bench.cache if bench else None,
        "server": f"gunicorn, {environment.GUNICORN_WORKERS} workers x {environment.GUNICORN_THREADS} threads, "
        "DEBUG off, collected static",
        "sync_retry": f"SYNC_RETRY_BASE_SECONDS={environment.SYNC_RETRY_BASE_SECONDS}, "
        f"SYNC_RETRY_MAX_SECONDS={environment.SYNC_RETRY_MAX_SECONDS} (outage drill)",
        # Other work on the machine during the run makes the times (not the counts) worse.
        "load_average_1min": {"start": load_at_start, "end": _load_average()},
        "parts": chosen,
        "all_parts": list(DEFAULT_PARTS),
        "date": date,
        "duration_seconds": round(duration, 1),
        "errors": errors,
    }
    write_json(RESULTS, figures, meta)
    print()
    print(table(figures, errors))
    print()
    if notes(figures):
        print(notes(figures))
        print()
    print(f"Database: {meta['database']}; cache: {meta['cache']}")
    print(f"Machine: {meta['machine']['cpu']}, {meta['machine']['cores']} cores, Python {meta['machine']['python']}")
    misses = missed(figures)
    print(f"{len(figures)} figures, {len(misses)} goal(s) missed; {RESULTS} written in {duration:.0f} s.")
    if errors:
        print(f"The harness failed ({', '.join(errors)}): see {WORK}/*.log", file=sys.stderr)
    return 1 if errors else 0


def _say(started: float, text: str) -> None:
    print(f"[{time.monotonic() - started:6.1f} s] {text}", flush=True)


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _log_traceback() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / "harness.log", "a", encoding="utf-8") as log:
        log.write(traceback.format_exc())


if __name__ == "__main__":
    sys.exit(main())
