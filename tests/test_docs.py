"""The README is part of the product: it opens with the two commands, documents every command
and carries the current configuration reference."""

from __future__ import annotations

from pathlib import Path

from afmon.cli import COMMANDS, build_parser
from afmon.config_doc import BEGIN, END, FEEDS_BEGIN, FEEDS_END, feeds_markdown, reference_markdown
from core.config import load_config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    lines = [line for line in README.splitlines() if line.strip()]
    assert lines[:4] == ["# afmon", "```", "make demo", "make test"]


def test_every_command_is_documented():
    parser = build_parser()
    registered = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert registered == set(COMMANDS)
    for name in COMMANDS:
        assert f"`afmon {name}" in README, name


def test_configuration_reference_is_current():
    embedded = README[README.index(BEGIN) + len(BEGIN) : README.index(END)]
    assert embedded.strip() == reference_markdown().strip(), (
        "run: python -m afmon.config_doc --write README.md"
    )


def test_shipped_feeds_table_is_current():
    embedded = README[README.index(FEEDS_BEGIN) + len(FEEDS_BEGIN) : README.index(FEEDS_END)]
    config = load_config(ROOT / "config.toml")
    assert embedded.strip() == feeds_markdown(config).strip(), (
        "run: python -m afmon.config_doc --write README.md"
    )
    for feed in config.feeds:
        assert (
            f"| {feed.outlet_name} | {feed.name} | {feed.language} | {feed.confidence}" in embedded
        )


def test_screenshot_exists():
    assert (ROOT / "docs" / "screenshot.svg").stat().st_size > 10_000
