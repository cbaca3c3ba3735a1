"""The geometry of the server-drawn bar charts: lengths in proportion, bars growing from the
right edge right to left, shares, the stacked bar filling its width, the top rows and others."""

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.charts import (
    FIGURE_ROOM,
    PALETTE,
    ROW_HEIGHT,
    bar_chart,
    bars,
    bars_height,
    stacked,
    stacked_chart,
    top_and_others,
)


def test_bars_are_in_proportion_to_the_largest():
    drawn = bars([("Uganda", 30), ("France", 15), ("Kenya", 0)], width=600)

    assert [(bar["label"], bar["value"]) for bar in drawn] == [
        ("Uganda", 30),
        ("France", 15),
        ("Kenya", 0),
    ]
    assert [bar["width"] for bar in drawn] == [600 - FIGURE_ROOM, 235.0, 0.0]
    assert [bar["x"] for bar in drawn] == [0.0, 0.0, 0.0]
    assert [bar["y"] for bar in drawn] == [18, 18 + ROW_HEIGHT, 18 + 2 * ROW_HEIGHT]
    assert [bar["percent"] for bar in drawn] == [66.7, 33.3, 0.0]
    assert [bar["figure_x"] for bar in drawn] == [476.0, 241.0, 6.0]
    assert {bar["label_x"] for bar in drawn} == {0}


def test_bars_grow_from_the_right_edge_right_to_left():
    drawn = bars([("Uganda", 30), ("France", 15)], width=600, rtl=True)

    assert [(bar["x"], bar["width"]) for bar in drawn] == [(130.0, 470.0), (365.0, 235.0)]
    assert [bar["figure_x"] for bar in drawn] == [124.0, 359.0]
    assert {bar["label_x"] for bar in drawn} == {600}


def test_bars_of_nothing():
    assert bars([]) == []
    assert [bar["width"] for bar in bars([("A", 0), ("B", None), ("C", -3)])] == [0.0] * 3
    assert bars_height(0) == ROW_HEIGHT


def test_stacked_parts_fill_the_bar_in_order():
    drawn = stacked([("First", 2), ("Top 3", 1), ("Later", 0), ("Unplaced", 1)], width=400)

    assert [(bar["x"], bar["width"]) for bar in drawn] == [
        (0.0, 200.0),
        (200.0, 100.0),
        (300.0, 0.0),
        (300.0, 100.0),
    ]
    assert [bar["percent"] for bar in drawn] == [50.0, 25.0, 0.0, 25.0]
    assert [bar["fill"] for bar in drawn] == list(PALETTE[:4])


def test_stacked_right_to_left_starts_at_the_right_edge():
    drawn = stacked([("First", 3), ("Unplaced", 1)], width=400, rtl=True)

    assert [(bar["x"], bar["width"]) for bar in drawn] == [(100.0, 300.0), (0.0, 100.0)]


def test_charts_say_their_size_and_direction():
    chart = bar_chart([("A", 1), ("B", 3)], rtl=True)
    whole = stacked_chart([("A", 1), ("B", 3)])

    assert (chart["stacked"], chart["height"], chart["total"], chart["direction"]) == (
        False,
        2 * ROW_HEIGHT,
        4,
        "rtl",
    )
    assert (whole["stacked"], whole["total"], whole["direction"]) == (True, 4, "ltr")


def test_top_and_others():
    rows = [("a", 1), ("b", 5), ("c", 3), ("d", 3), ("e", 2)]

    assert top_and_others(rows, keep=3, others="Others") == [
        ("b", 5),
        ("c", 3),
        ("d", 3),
        ("Others", 3),
    ]
    assert top_and_others(rows, keep=5, others="Others") == sorted(rows, key=lambda r: -r[1])
    assert top_and_others([], keep=3, others="Others") == []


values = st.lists(st.integers(min_value=0, max_value=10**6), max_size=20)


@given(values, st.booleans(), st.integers(min_value=200, max_value=1200))
def test_bars_stay_inside_the_chart(counts, rtl, width):
    drawn = bars([(str(i), n) for i, n in enumerate(counts)], width=width, rtl=rtl)

    for bar in drawn:
        assert 0 <= bar["x"] <= width
        assert 0 <= bar["width"] <= width - FIGURE_ROOM
        assert bar["x"] + bar["width"] == pytest.approx(width if rtl else bar["width"], abs=0.2)
    if any(counts):
        assert max(bar["width"] for bar in drawn) == width - FIGURE_ROOM
        assert sum(bar["percent"] for bar in drawn) == pytest.approx(100, abs=0.05 * len(counts))


@given(values, st.booleans())
def test_stacked_segments_tile_the_bar(counts, rtl):
    drawn = stacked([(str(i), n) for i, n in enumerate(counts)], width=600, rtl=rtl)
    spans = sorted((bar["x"], bar["x"] + bar["width"]) for bar in drawn if bar["width"])

    if any(counts):
        assert spans[0][0] == pytest.approx(0, abs=0.1)
        assert spans[-1][1] == pytest.approx(600, abs=0.1 * len(counts))
        for (_start, end), (start, _end) in pairwise(spans):
            assert start == pytest.approx(end, abs=0.15)
    else:
        assert spans == []
