"""The surge rule: latest window at least double the average of the previous four."""

from __future__ import annotations

from analysis.surge import Cell, surges


def test_double_the_average_of_four_windows_is_a_surge():
    table = {("AF-KAB", "isk"): (1, 2, 1, 2, 3), ("AF-HEL", "taliban"): (3, 3, 3, 3, 5)}
    hot = surges(table)
    assert [(c.province, c.actor) for c in hot] == [("AF-KAB", "isk")]
    assert hot[0].baseline == 1.5


def test_just_below_double_is_not_a_surge():
    assert surges({("AF-KAB", "isk"): (2, 2, 2, 2, 3)}) == []
    assert surges({("AF-KAB", "isk"): (2, 2, 2, 2, 4)}) != []


def test_a_lone_report_after_quiet_weeks_is_not_a_surge():
    assert surges({("AF-NUR", "isk"): (0, 0, 0, 0, 2)}) == []
    assert surges({("AF-NUR", "isk"): (0, 0, 0, 0, 2)}, min_count=1) != []


def test_strongest_surge_first():
    table = {("AF-A", "x"): (0, 0, 0, 0, 3), ("AF-B", "x"): (0, 0, 0, 0, 9)}
    assert [c.province for c in surges(table)] == ["AF-B", "AF-A"]
    assert Cell("AF-A", "x", (4,)).baseline == 0.0
