"""The command palette: every action, and every front, threat group, province, actor and saved
query ("noun: verb" titles, as in Posting). Choosing a filter opens the items screen.

Front, group and query names and query text come from config.toml: untrusted. Textual's palette
parses a str title or help as markup, so titles go in as `Text` (highlighted here) and help
through `markup_escaped`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.fuzzy import Matcher

from core.vocab import ACTORS, COUNTRIES, PROVINCES, actor_short_names
from store.models import ItemFilter
from tui.text import markup_escaped, safe_text

if TYPE_CHECKING:
    from tui.app import AfmonApp


class AfmonCommands(Provider):
    _actions = 0  # how many of `_commands()` are actions (shown before anything is typed)

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = cast("AfmonApp", self.app)
        config = app.config
        out: list[tuple[str, Callable[[], Any], str]] = [
            (
                "screen: dashboard",
                partial(app.run_action, "show('dashboard')"),
                "Panes per front and group",
            ),
            ("screen: items", partial(app.run_action, "show('items')"), "All items, filterable"),
            (
                "screen: provinces",
                partial(app.run_action, "show('provinces')"),
                "Activity by province",
            ),
            (
                "screen: map",
                partial(app.run_action, "show('map')"),
                "Stories by province on a schematic map",
            ),
            ("screen: feeds", partial(app.run_action, "show('feeds')"), "Feed health"),
            ("screen: alerts", partial(app.run_action, "show('alerts')"), "Watch-rule alerts"),
            ("help: keys", app.action_help, "Key reference"),
            ("items: search", partial(app.run_action, "search"), "Focus the filter bar"),
            (
                "items: unread",
                partial(app.open_items, ItemFilter(unread=True), "is:unread"),
                "Unread items",
            ),
            (
                "items: flagged",
                partial(app.open_items, ItemFilter(flagged=True), "is:flagged"),
                "Flagged and escalated items",
            ),
            (
                "collector: refresh all feeds",
                partial(app.refresh_feed, None),
                "Fetch every feed now",
            ),
            (
                "handover: write shift handover",
                partial(app.run_action, "handover"),
                "Markdown file in the current directory",
            ),
            (
                "report: sitrep",
                partial(app.run_action, "sitrep"),
                "Situation report, every front and group, last 24 h (Markdown file)",
            ),
            ("app: quit", partial(app.run_action, "quit"), "Leave afmon"),
        ]
        self._actions = len(out)
        for front in config.fronts:
            flt = ItemFilter(provinces=tuple(front.provinces))
            out.append(
                (
                    f"front: {front.name}",
                    partial(app.open_items, flt, f'front:"{front.name}"'),
                    ", ".join(front.provinces),
                )
            )
        for group in config.threat_groups:
            flt = ItemFilter(actors=tuple(group.actors))
            out.append(
                (
                    f"group: {group.name}",
                    partial(app.open_items, flt, f'group:"{group.name}"'),
                    ", ".join(group.actors),
                )
            )
        for code, name in {**PROVINCES, **COUNTRIES}.items():
            flt = ItemFilter(provinces=(code,))
            out.append(
                (f"province: {name}", partial(app.open_items, flt, f'province:"{name}"'), code)
            )
        short = actor_short_names()
        for slug, name in ACTORS.items():
            flt = ItemFilter(actors=(slug,))
            alias = short.get(slug)
            title = f"actor: {alias}" if alias else f"actor: {name}"
            out.append((title, partial(app.open_items, flt, f"actor:{slug}"), f"{name} ({slug})"))
        for query in config.queries:
            out.append((f"query: {query.name}", partial(app.open_query, query.query), query.query))
        return out

    async def discover(self) -> Hits:
        commands = self._commands()
        for title, callback, help_text in commands[: self._actions]:
            shown = safe_text(title)
            yield DiscoveryHit(shown, callback, text=shown.plain, help=markup_escaped(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            shown = safe_text(title)
            score = max(matcher.match(shown.plain), matcher.match(f"{title} {help_text}") * 0.8)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, shown),
                    callback,
                    text=shown.plain,
                    help=markup_escaped(help_text),
                )


def _highlight(matcher: Matcher, shown: Text) -> Text:
    """Matcher.highlight without its markup parsing: the matched letters of `shown` styled."""
    _score, offsets = matcher.fuzzy_search.match(matcher.query, shown.plain)
    out = shown.copy()
    for offset in offsets:
        if not shown.plain[offset].isspace():
            out.stylize("bold reverse", offset, offset + 1)
    return out
