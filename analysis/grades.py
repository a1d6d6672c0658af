"""Outlet reliability grades (Admiralty style, A-F) and story corroboration.

config.toml's [[outlets]] entries win; analysis/data/grades.toml holds sensible defaults for
outlets an operator has not graded; anything else is F ("cannot be judged"), never a guess.
A story is corroborated when at least two independent outlets report it; "independent" is
taken literally as two different `outlet` values (TOLOnews English and TOLOnews Dari are one
outlet).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.config import Config

GRADES = ("A", "B", "C", "D", "E", "F")


@cache
def default_grades() -> dict[str, str]:
    text = resources.files("analysis").joinpath("data/grades.toml").read_text(encoding="utf-8")
    grades = tomllib.loads(text)["grades"]
    bad = {k: v for k, v in grades.items() if v not in GRADES}
    if bad:
        raise ValueError(f"analysis/data/grades.toml: bad grades {bad}")
    return grades


class Grader:
    """outlet -> grade, config first, then the defaults, then F."""

    def __init__(self, config: Config | None = None):
        configured = {o.name: o.grade for o in config.outlets} if config else {}
        self._grades = {**default_grades(), **configured}

    def grade(self, outlet: str) -> str:
        return self._grades.get(outlet, "F")

    def best(self, outlets: Iterable[str]) -> str:
        """The best grade among a story's outlets (F when there are none)."""
        return min((self.grade(o) for o in outlets), default="F")


def corroborated(outlets: Iterable[str]) -> bool:
    """At least two different outlets."""
    return len(set(outlets)) >= 2


def at_least(grade: str, floor: str) -> bool:
    """Whether `grade` is `floor` or better (A is best)."""
    return GRADES.index(grade) <= GRADES.index(floor)
