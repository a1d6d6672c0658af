"""The default fronts, threat groups and watch rules (afmon/defaults.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def default_sections() -> dict[str, Any]:
    """`fronts`, `threat_groups` and `watch` as TOML-loaded dicts, ready for Config(**...)."""
    text = resources.files("afmon").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
