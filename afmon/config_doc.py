"""The configuration reference, generated from the config model's field docstrings, and the
table of shipped feeds, generated from config.toml.

README.md embeds both between markers; tests/test_docs.py fails when they drift, and
`python -m afmon.config_doc --write README.md` refreshes them.
"""

from __future__ import annotations

import ast
import inspect
import sys
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel

from core.config import (
    ActorAlias,
    Config,
    FeedConfig,
    FrontConfig,
    OutletConfig,
    PlaceAlias,
    SavedQuery,
    Settings,
    ThreatGroupConfig,
    WatchRule,
    load_config,
)
from core.durations import format_duration

BEGIN = "<!-- config-reference:begin -->"
END = "<!-- config-reference:end -->"
FEEDS_BEGIN = "<!-- feeds-table:begin -->"
FEEDS_END = "<!-- feeds-table:end -->"
SHIPPED_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"
LANGUAGES = {"en": "English", "fa": "Dari/Persian", "ps": "Pashto", "uz": "Uzbek", "tg": "Tajik"}

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("[settings]", Settings),
    ("[[feeds]]", FeedConfig),
    ("[[fronts]]", FrontConfig),
    ("[[threat_groups]]", ThreatGroupConfig),
    ("[[watch]]", WatchRule),
    ("[[outlets]]", OutletConfig),
    ("[[queries]]", SavedQuery),
    ("[[tagger.places]]", PlaceAlias),
    ("[[tagger.aliases]]", ActorAlias),
]


def _default(value: object) -> str:
    if isinstance(value, timedelta):
        return f'`"{format_duration(value)}"`'
    if value is None:
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str) and len(value) > 40:
        return "(see text)"
    return f"`{value!r}`".replace("'", '"')


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """The docstring under each field of `model`'s class body (core/config.py's convention)."""
    (cls,) = ast.parse(inspect.getsource(model)).body
    assert isinstance(cls, ast.ClassDef)
    docs: dict[str, str] = {}
    for field, after in zip(cls.body, cls.body[1:], strict=False):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[field.target.id] = inspect.cleandoc(after.value.value)
    return docs


def reference_markdown() -> str:
    lines = []
    for header, model in SECTIONS:
        lines += [f"#### `{header}`", "", "| key | default | meaning |", "|---|---|---|"]
        docs = field_docs(model)
        for name, field in model.model_fields.items():
            default = "required" if field.is_required() else _default(field.get_default())
            doc = " ".join((field.description or docs.get(name, "")).split())
            lines.append(f"| `{name}` | {default} | {doc} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def feeds_markdown(config: Config) -> str:
    """The shipped feeds as a table: outlet, feed, language, confidence (and disabled ones)."""
    feeds = config.feeds
    counts = {c: sum(1 for f in feeds if f.confidence == c) for c in ("evidenced", "plausible")}
    counts["unverified"] = len(feeds) - sum(counts.values())
    disabled = sum(1 for f in feeds if not f.enabled)
    summary = ", ".join(f"{n} {level}" for level, n in counts.items() if n)
    order = list(LANGUAGES)
    used = sorted(
        {f.language for f in feeds if f.language},
        key=lambda code: (order.index(code) if code in order else len(order), code),
    )
    lines = [
        f"{len(feeds)} feeds from {len({f.outlet_name for f in feeds})} outlets: {summary};"
        f" {disabled} disabled. Languages: "
        + ", ".join(f"`{code}` {LANGUAGES.get(code, code)}" for code in used)
        + ".",
        "",
        "| outlet | feed | language | confidence |",
        "|---|---|---|---|",
    ]
    for f in feeds:
        confidence = f.confidence if f.enabled else f"{f.confidence}, disabled"
        name = f.name.replace("|", "\\|")
        lines.append(f"| {f.outlet_name} | {name} | {f.language or '—'} | {confidence} |")
    return "\n".join(lines) + "\n"


def _between(text: str, begin: str, end: str, body: str) -> str:
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n" + body + text[stop:]


def embed(readme: str) -> str:
    readme = _between(readme, BEGIN, END, reference_markdown())
    return _between(readme, FEEDS_BEGIN, FEEDS_END, feeds_markdown(load_config(SHIPPED_CONFIG)))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        path = Path(sys.argv[2])
        path.write_text(embed(path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(reference_markdown())
