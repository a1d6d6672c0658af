from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("15m", 900),
        ("24h", 86400),
        ("7d", 604800),
        ("2w", 1209600),
        ("45", 45),
        (" 1.5h ", 5400),
        ("3D", 259200),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("bad", ["", "soon", "-5m", "5 minutes", "1y", True])
def test_bad_durations_raise(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


@given(st.integers(min_value=1, max_value=10**8))
def test_format_round_trips(seconds):
    delta = timedelta(seconds=seconds)
    assert parse_duration(format_duration(delta)) == delta
