"""Charts drawn on the server as SVG geometry (no JavaScript, nothing fetched): bars a template
draws with <rect>; each chart sits beside the table of the same numbers, which is what a screen
reader, a print-out and the CSV give."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190


@dataclass(frozen=True)
class HBar:
    label: str
    value: int
    y: int
    width: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class HBarChart:
    bars: list[HBar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = WIDTH


def hbars(rows: list[tuple[str, int]]) -> HBarChart:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    top = max((value for _, value in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        width = round(room * value / top)
        bars.append(HBar(label, value, y, width, LABEL_WIDTH + width + 6, y + BAR_HEIGHT - 6))
    return HBarChart(bars=bars, height=max(len(rows), 1) * (BAR_HEIGHT + GAP))


@dataclass(frozen=True)
class Column:
    x: int
    y: int
    width: int
    height: int
    value: int
    series: int  # 0 or 1: which of the two colours


@dataclass(frozen=True)
class WeekGroup:
    label: str
    label_x: int
    columns: list[Column]


@dataclass(frozen=True)
class ColumnChart:
    groups: list[WeekGroup]
    height: int
    plot_height: int
    width: int
    top: int


def columns(weeks: list[tuple[str, int, int]]) -> ColumnChart:
    """Two columns per week, (label, first, second), on one scale."""
    plot_height = 160
    top = max((max(a, b) for _, a, b in weeks), default=0) or 1
    group_width = max(24, min(80, (WIDTH - 20) // max(len(weeks), 1)))
    column_width = max(6, (group_width - 8) // 2)
    groups = []
    for index, (label, first, second) in enumerate(weeks):
        x0 = 10 + index * group_width
        cols = []
        for series, value in enumerate((first, second)):
            height = round(plot_height * value / top)
            cols.append(
                Column(x0 + series * column_width, plot_height - height, column_width - 1, height, value, series)
            )
        groups.append(WeekGroup(label, x0 + column_width, cols))
    width = max(WIDTH, 20 + len(weeks) * group_width)
    return ColumnChart(groups=groups, height=plot_height + 30, plot_height=plot_height, width=width, top=top)
