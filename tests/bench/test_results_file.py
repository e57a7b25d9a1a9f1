"""benchmarks/results.json: the latest figures of each configuration; a run of some parts updates
only those and keeps the whole run's date and duration (the bench's time on this machine)."""

import json

from benchmarks.report import Figure, Goal, write_json

EMBEDDED = {"database": "sqlite bench.sqlite3", "cache": "database cache (table portal_cache)"}
POSTGRES = {"database": "postgresql 127.0.0.1:5432/x_bench", "cache": "rediscache://127.0.0.1:6379/1"}
ALL = ["1", "4", "9"]


def _meta(base, parts, date, seconds):
    return {**base, "parts": parts, "all_parts": ALL, "date": date, "duration_seconds": seconds}


def test_a_partial_run_updates_its_figures_and_keeps_the_whole_runs_date_and_duration(tmp_path):
    path = tmp_path / "results.json"
    ratio = Figure("create_overhead_ratio", "9", "ratio", 1.2, "×", Goal("<=", 1.15))
    write_json(path, [ratio, Figure("http_rps", "4", "rps", 100, "req/s")], _meta(EMBEDDED, ALL, "d1", 280))
    write_json(path, [Figure("http_rps", "4", "rps", 90, "req/s")], _meta(POSTGRES, ALL, "d2", 290))

    better = Figure("create_overhead_ratio", "9", "ratio", 1.1, "×", Goal("<=", 1.15))
    write_json(path, [better], _meta(EMBEDDED, ["9"], "d3", 20))

    data = json.loads(path.read_text())
    embedded = data["configurations"]["embedded"]
    assert embedded["create_overhead_ratio"] == {"value": 1.1, "unit": "×", "goal": "<= 1.15", "met": True}
    assert embedded["http_rps"]["value"] == 100  # not measured again: kept
    assert (embedded["_meta"]["date"], embedded["_meta"]["duration_seconds"]) == ("d1", 280)
    assert embedded["_meta"]["later_parts"] == [{"date": "d3", "parts": ["9"], "duration_seconds": 20}]
    assert data["configurations"]["postgresql+redis"]["http_rps"]["value"] == 90  # the other one kept
    assert data["http_rps"]["value"] == 100 and data["_meta"]["configuration"] == "embedded"


def test_a_whole_run_with_the_breakdown_starts_its_configuration_afresh(tmp_path):
    path = tmp_path / "results.json"
    write_json(path, [Figure("old", "1", "old", 1, "x")], _meta(EMBEDDED, ALL, "d1", 280))
    write_json(path, [Figure("new", "1", "new", 2, "x")], _meta(EMBEDDED, [*ALL, "B"], "d2", 300))

    embedded = json.loads(path.read_text())["configurations"]["embedded"]
    assert "old" not in embedded and embedded["new"]["value"] == 2
    assert embedded["_meta"]["date"] == "d2" and "later_parts" not in embedded["_meta"]
