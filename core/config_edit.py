"""Appending to config.toml from afmon itself (OPML import, a query saved in the app).

Text is appended, never re-serialised, so the operator's comments and layout survive; the
result is validated before anything is written, so afmon never leaves an invalid file.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.config import Config, parse_config


def toml_string(value: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def query_block(name: str, query: str, pane: bool = False) -> str:
    return (
        f"\n[[queries]]\nname = {toml_string(name)}\nquery = {toml_string(query)}\n"
        f"pane = {'true' if pane else 'false'}\n"
    )


def append_to_config(path: Path, blocks: str) -> Config:
    """Append `blocks` to the config at `path`, validated first; return the new Config.
    Raises core.config.ConfigError (nothing written) or OSError."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    text = (old if not old or old.endswith("\n") else old + "\n") + blocks
    config = parse_config(text, path)
    path.write_text(text, encoding="utf-8")
    return config


def save_query(path: Path, name: str, query: str, pane: bool = False) -> Config:
    """Save a filter under `name` (a saved query; with `pane`, also a dashboard pane)."""
    return append_to_config(path, query_block(name.strip(), query.strip(), pane))
