"""The geometry of the bar charts that pages draw as inline SVG (`includes/bar_chart.html`):
plain numbers computed here, so that templates only place them and no script draws anything.

Horizontal bars: each row has its label on a line of its own, the bar under it, and its figure
after the bar's end. Right to left, the bars grow from the right edge and the labels and figures
start there. `bars` draws one bar per row, scaled to the largest; `stacked` draws the parts of
one whole side by side in a single bar, each as wide as its share.
"""

from collections.abc import Iterable, Sequence

#: Height of one row of a bar chart: its label line, then its bar.
ROW_HEIGHT = 40
BAR_HEIGHT = 16
LABEL_HEIGHT = 18
#: Room kept after the longest bar for its figure ("12,345 (100 %)").
FIGURE_ROOM = 130
#: A part's colour in a stacked bar, in order; each holds 3:1 against white (WCAG 1.4.11).
PALETTE = ("#0b5d4b", "#4a7f2c", "#5f6b7a", "#a4161a", "#7a4a9c", "#8a5a00")


def _share(value: int, total: int) -> float:
    return round(100 * value / total, 1) if total else 0.0


def bars(
    rows: Iterable[Sequence],
    *,
    width: int = 600,
    rtl: bool = False,
    figure_room: int = FIGURE_ROOM,
) -> list[dict]:
    """One bar per `(label, value)` row, in the given order, the largest value as long as the
    chart allows (`width` less the room for its figure); a value of 0 has no bar.

    Each bar: `label`, `value`, `x` and `width` of the bar, `y` of its top, `percent` (its share
    of the sum of all values, to one decimal), `label_x` and `label_y` (the baseline of its
    label), `figure_x` and `figure_y` (where its figure starts). Negative values count as 0.
    """
    rows = [(label, max(int(value or 0), 0)) for label, value in rows]
    total = sum(value for _label, value in rows)
    largest = max((value for _label, value in rows), default=0)
    span = max(width - figure_room, 0)
    drawn = []
    for index, (label, value) in enumerate(rows):
        length = round(span * value / largest, 1) if largest else 0.0
        top = index * ROW_HEIGHT + LABEL_HEIGHT
        x = round(width - length, 1) if rtl else 0.0
        drawn.append(
            {
                "label": label,
                "value": value,
                "x": x,
                "width": length,
                "y": top,
                "height": BAR_HEIGHT,
                "percent": _share(value, total),
                "label_x": width if rtl else 0,
                "label_y": top - 5,
                "figure_x": round(x - 6, 1) if rtl else round(length + 6, 1),
                "figure_y": top + BAR_HEIGHT - 3,
            }
        )
    return drawn


def bars_height(count: int) -> int:
    """The height of a chart of `count` bars."""
    return max(count, 1) * ROW_HEIGHT


def stacked(parts: Iterable[Sequence], *, width: int = 600, rtl: bool = False) -> list[dict]:
    """The `(label, value)` parts of one whole as segments of a single bar `width` wide, in the
    given order from the start (the right edge, right to left); each as wide as its share of
    the sum, so the segments fill the bar unless every value is 0.

    Each segment: `label`, `value`, `x`, `width`, `y` (0), `percent` and `fill` (a colour of
    `PALETTE`, in order, so a legend can repeat it).
    """
    parts = [(label, max(int(value or 0), 0)) for label, value in parts]
    total = sum(value for _label, value in parts)
    drawn = []
    start = 0.0
    for index, (label, value) in enumerate(parts):
        length = width * value / total if total else 0.0
        x = width - start - length if rtl else start
        drawn.append(
            {
                "label": label,
                "value": value,
                "x": round(x, 1),
                "width": round(length, 1),
                "y": 0,
                "height": BAR_HEIGHT * 2,
                "percent": _share(value, total),
                "fill": PALETTE[index % len(PALETTE)],
            }
        )
        start += length
    return drawn


def _chart(drawn: list[dict], *, stacked: bool, width: int, height: int, rtl: bool) -> dict:
    return {
        "stacked": stacked,
        "bars": drawn,
        "width": width,
        "height": height,
        "total": sum(bar["value"] for bar in drawn),
        "direction": "rtl" if rtl else "ltr",
    }


def bar_chart(rows: Iterable[Sequence], *, width: int = 600, rtl: bool = False) -> dict:
    """What `includes/bar_chart.html` draws: the bars of `rows`, and the chart's size."""
    drawn = bars(rows, width=width, rtl=rtl)
    return _chart(drawn, stacked=False, width=width, height=bars_height(len(drawn)), rtl=rtl)


def stacked_chart(parts: Iterable[Sequence], *, width: int = 600, rtl: bool = False) -> dict:
    """What `includes/bar_chart.html` draws for the parts of one whole, in a single bar."""
    drawn = stacked(parts, width=width, rtl=rtl)
    return _chart(drawn, stacked=True, width=width, height=BAR_HEIGHT * 2, rtl=rtl)


def top_and_others(rows: Iterable[Sequence], *, keep: int, others: str) -> list[tuple]:
    """The `keep` largest `(label, value)` rows (the largest first, ties in the given order),
    and one more row labelled `others` with the sum of the rest, when there is a rest."""
    ordered = sorted(rows, key=lambda row: -row[1])
    shown = [tuple(row) for row in ordered[:keep]]
    rest = ordered[keep:]
    if rest:
        shown.append((others, sum(value for _label, value in rest)))
    return shown
