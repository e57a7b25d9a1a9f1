"""`python -m benchmarks.table`: the latest figures of each configuration in results.json, side by
side, as the Markdown table of benchmarks/README.md."""

from __future__ import annotations

import json
import sys

from .__main__ import RESULTS
from .report import fmt

ORDER = ("embedded", "postgresql+redis")


def main() -> int:
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    configurations = data.get("configurations", {})
    names = [name for name in ORDER if name in configurations] + sorted(set(configurations) - set(ORDER))
    keys: list[str] = []
    for name in names:
        keys += [key for key in configurations[name] if key != "_meta" and key not in keys]
    print("| figure | " + " | ".join(names) + " | unit | goal |")
    print("|---|" + "---|" * len(names) + "---|---|")
    for key in keys:
        cells, unit, goal = [], "", ""
        for name in names:
            figure = configurations[name].get(key)
            if figure is None:
                cells.append("—")
                continue
            unit, goal = figure.get("unit", ""), figure.get("goal", goal)
            mark = "" if "met" not in figure else (" ✓" if figure["met"] else " ✗")
            cells.append(f"{fmt(figure['value'])}{mark}")
        print(f"| `{key}` | " + " | ".join(cells) + f" | {unit} | {goal} |")
    for name in names:
        meta = configurations[name].get("_meta", {})
        when = f"{meta.get('date')}, {meta.get('duration_seconds')} s"
        for later in meta.get("later_parts", []):
            parts = [str(p) for p in later.get("parts") or []]
            when += f" (part{'s' if len(parts) > 1 else ''} {','.join(parts)} again at {later.get('date')})"
        print(f"\n{name}: {when}, {meta.get('database')}; {meta.get('cache')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
