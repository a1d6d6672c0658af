"""Stories in the TUI: stories mode pages like the items table, Enter on a story lists its
reports (outlet, time, title, grade), each report opens its detail, and the stories that may
tell of the same event are listed under them, each opening its own story."""

# ruff: noqa: F811 - pytest fixtures imported from tests/tui_fixtures.py

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable

from analysis.grades import Grader
from analysis.storage import assign_pending
from tests.test_story_related import CASES, place_apart
from tests.tui_fixtures import (  # noqa: F401 - fixtures
    NOW,
    _utc_localtime,
    add_item,
    app_for,
    build_db,
    corroborate,
    fx,
    make_config,
    make_entry,
    screen_text,
    settle,
    wait_for,
)
from tui.screens.detail import DetailScreen
from tui.screens.items import STORIES, ItemsScreen
from tui.screens.story import StoryScreen, story_header


async def _stories_mode(pilot) -> ItemsScreen:
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ItemsScreen)
    await pilot.press("s")
    await settle(pilot)
    assert screen.stories_mode
    return screen


async def test_enter_on_a_story_lists_its_reports_and_each_opens_its_detail(fx):
    copy = corroborate(fx)
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _stories_mode(pilot)
        story = next(v for v in screen.stories.values() if copy in v.items)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(f"story-{story.id}"))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, StoryScreen))
        story_screen = app.screen
        rows = story_screen.query_one("#story-table", DataTable)
        assert await wait_for(pilot, lambda: rows.row_count == 2)
        cells = [[c.plain for c in rows.get_row_at(r)] for r in range(2)]
        # Oldest first: grade, time, outlet, title.
        assert [c[2] for c in cells] == ["TOLOnews", "Amu TV"]
        assert [c[0] for c in cells] == ["B", "B"]
        assert cells[1][3].startswith("Explosion near Kabul airport checkpoint, ISKP")
        text = screen_text(app)
        assert "2 reports · 2 independent sources · ✓ corroborated" in text
        rows.move_cursor(row=1)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert app.screen.item_id == copy
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is story_screen)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is screen)


async def test_stories_mode_pages_like_the_items_table(tmp_path):
    fixture = build_db(tmp_path / "big.db", stories=[])
    from store import FeedUpdate

    # Untitled reports never join a story: each is one.
    count = STORIES * 2 + 30
    entries = [
        make_entry(f"b{n}", "(untitled)", "", NOW - timedelta(minutes=n)) for n in range(count)
    ]
    fixture.store.record_fetch(
        fixture.feed_ids[0], FeedUpdate(attempted=NOW, status="ok"), entries, now=NOW
    )
    assign_pending(fixture.store)
    app = app_for(fixture)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _stories_mode(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == STORIES
        assert f"{STORIES} stories so far" in screen_text(app)
        table.move_cursor(row=STORIES - 10)
        assert await wait_for(pilot, lambda: table.row_count == STORIES * 2)
        table.move_cursor(row=STORIES * 2 - 1)
        assert await wait_for(pilot, lambda: table.row_count == count)
        assert f"{count} stories (Enter" in screen_text(app)
        assert len(screen.stories) == count  # no story twice


def test_story_header_states_the_event_claims_and_sources(fx):
    corroborate(fx)
    view = next(v for v in fx.store.stories_for(limit=50) if v.copies == 2)
    text = story_header(view, Grader(fx.config)).plain
    assert text.startswith("Explosion near Kabul airport checkpoint")
    assert "claimed by ISKP" in text
    assert "2 independent sources · ✓ corroborated" in text
    assert "TOLOnews [B], Amu TV [B]" in text


async def test_a_story_lists_the_stories_that_may_tell_of_the_same_event(tmp_path):
    # One mosque bombing told by two stories (see tests/test_story_related.py), and the
    # same kind of attack in another province.
    from store import FeedUpdate

    fixture = build_db(tmp_path / "split.db", stories=[])
    cases = [c for c in CASES if c["story"] in ("first part", "in dari", "kandahar")]
    start = NOW - timedelta(hours=3)
    for case in cases:
        words = {case["provinces"][0]: _place_word(case)}
        entry = make_entry(
            f"r{case['id']}",
            case["title"],
            case["summary"],
            start + (case["published"] - CASES[0]["published"]),
            words,
        )
        fixture.store.record_fetch(
            fixture.feed_ids[0], FeedUpdate(attempted=NOW, status="ok"), [entry], now=NOW
        )
    by_title = {i.title: i.id for i in fixture.store.story_walk((float("-inf"), 0), 100)}
    parts: dict[str, list[int]] = {}
    for case in cases:
        parts.setdefault(case["story"], []).append(by_title[case["title"]])
    story_of = place_apart(fixture.store, parts)
    app = app_for(fixture)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(StoryScreen(story_of["first part"]))
        assert await wait_for(pilot, lambda: isinstance(app.screen, StoryScreen))
        first = app.screen
        related = first.query_one("#related-table", DataTable)
        assert await wait_for(pilot, lambda: related.row_count == 1)
        await settle(pilot)
        assert related.display
        assert related.ordered_rows[0].key.value == f"story-{story_of['in dari']}"
        assert related.get_row_at(0)[1].plain == "1 report"
        assert "may tell of the same event:" in screen_text(app)
        assert "Kandahar" not in screen_text(app)
        related.focus()
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.screen is not first)
        assert isinstance(app.screen, StoryScreen)
        assert app.screen.story_id == story_of["in dari"]
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is first)


async def test_a_story_with_nothing_alike_shows_no_suggestions(fx):
    copy = corroborate(fx)
    (story_id,) = fx.store.story_ids([copy]).values()
    app = app_for(fx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(StoryScreen(story_id))
        assert await wait_for(pilot, lambda: isinstance(app.screen, StoryScreen))
        rows = app.screen.query_one("#story-table", DataTable)
        assert await wait_for(pilot, lambda: rows.row_count == 2)
        await settle(pilot)
        assert not app.screen.query_one("#related-table", DataTable).display
        assert "may tell of the same event" not in screen_text(app)


def _place_word(case: dict) -> str:
    """The word of the case's text that names its province (evidence for the tag)."""
    text = case["title"] + "\n" + case["summary"]
    return next(w for w in ("Kunduz", "کندز", "Kandahar", "Herat") if w in text)
