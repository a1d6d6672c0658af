"""The monitor live: another process writes the database; the collector runs inside the app."""

# ruff: noqa: F811 - pytest fixtures imported from tests/tui_fixtures.py

from __future__ import annotations

import subprocess
import sys
import textwrap

from core.config import FeedConfig
from tests.httpserver import TestServer, feed
from tests.tui_fixtures import (  # noqa: F401 - fixtures
    _utc_localtime,
    app_for,
    build_db,
    fx,
    make_config,
    screen_text,
    settle,
    wait_for,
)
from tui.app import make_app

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    sys.path.insert(0, {root!r})
    from store import Store, FeedUpdate
    from tests.tui_fixtures import make_entry
    store = Store.open({path!r})
    now = datetime.now(UTC)
    entry = make_entry("other-process", "Car bomb reported in Kabul's Shar-e Naw", "",
                       datetime(2026, 11, 20, 11, 59, tzinfo=UTC), {{"AF-KAB": "Kabul"}})
    store.record_fetch({feed_id}, FeedUpdate(attempted=now, status="ok"), [entry], now=now)
    store.close()
    """
)


async def test_item_written_by_another_process_appears_without_a_keypress(fx):
    import pathlib

    root = str(pathlib.Path(__file__).resolve().parents[1])
    app = app_for(fx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        kabul = app.screen.pane("Kabul")
        code = WRITER.format(root=root, path=str(fx.path), feed_id=fx.feed_ids[1])
        subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
        # The dashboard's own poll picks it up (10 s is a hang guard; the poll is seconds).
        assert await wait_for(
            pilot, lambda: kabul.items and kabul.items[0].title.startswith("Car bomb"), 10
        )
        assert await wait_for(pilot, lambda: "Car bomb reported in Kabul" in screen_text(app))


RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Loopback News</title><link>http://127.0.0.1/</link>
<item><guid>lb-1</guid><title>Clashes reported in Panjshir valley</title>
<link>http://127.0.0.1/lb-1</link><pubDate>Fri, 20 Nov 2026 11:00:00 GMT</pubDate>
<description>Fighting between the NRF and Taliban in Panjshir.</description></item>
</channel></rss>"""


async def test_collector_worker_runs_inside_the_app_against_a_loopback_server(tmp_path):
    with TestServer() as server:
        server.route("/feed", feed(RSS))
        config = make_config()
        config = config.model_copy(
            update={
                "feeds": [
                    FeedConfig(name="Loopback", url=server.url("/feed")),
                    FeedConfig(name="Missing", url=server.url("/missing")),  # 404 every time
                ]
            }
        )
        fixture = build_db(tmp_path / "afmon.db", config=make_config())
        fixture.store.sync_feeds(config.feeds)
        app = make_app(config, fixture.store, collect=True)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen

            def arrived() -> bool:
                pane = screen.pane("Panjshir & Andarab")
                return any(i.title == "Clashes reported in Panjshir valley" for i in pane.items)

            assert await wait_for(pilot, arrived, 10.0)
            assert server.hits("/feed") >= 1
            assert app.collector is not None
            await pilot.pause(1.2)
            assert app.status.feeds_done >= 1 and app.status.last_collect is not None
            # One feed fails on every fetch: the status line counts failing feeds, steadily.
            assert await wait_for(pilot, lambda: app.status.failures == 1)
            assert "collecting" in screen_text(app) and "1 failing" in screen_text(app)
        fixture.store.close()


def _rss_items(*titles: str) -> bytes:
    items = "".join(
        f"<item><guid>g-{n}</guid><title>{t}</title><link>http://127.0.0.1/g-{n}</link>"
        f"<pubDate>Fri, 20 Nov 2026 11:0{n}:00 GMT</pubDate></item>"
        for n, t in enumerate(titles)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>'
        f"{items}</channel></rss>"
    ).encode()


async def test_monitor_keeps_showing_new_items_while_a_document_keeps_a_parse_worker_busy(
    tmp_path,
):
    from datetime import timedelta

    from tests.hostile import docs

    first = "Clashes reported in Panjshir valley"
    second = "Taliban reinforce checkpoints in Panjshir"
    with TestServer() as server:
        server.route("/slow", feed(docs.slow_parse(4.0)))  # about 40 s of feedparser time
        server.route("/good", feed(_rss_items(first)))
        base = make_config()
        settings = base.settings.model_copy(
            update={"parse_deadline": timedelta(seconds=60), "max_body_bytes": 5_000_000}
        )
        config = base.model_copy(
            update={
                "settings": settings,
                "feeds": [
                    FeedConfig(name="Slow", url=server.url("/slow")),
                    FeedConfig(name="Good", url=server.url("/good")),
                ],
            }
        )
        fixture = build_db(tmp_path / "afmon.db", config=make_config())
        fixture.store.sync_feeds(config.feeds)
        app = make_app(config, fixture.store, collect=True)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = app.screen.pane("Panjshir & Andarab")

            def shows(title: str):
                return lambda: any(i.title == title for i in pane.items)

            def parsing() -> bool:  # a worker has spent more CPU than its start-up
                pool = app.collector.parse_pool if app.collector else None
                return bool(pool) and any(_cpu(pid) > 2.0 for pid in pool.pids())

            assert await wait_for(pilot, shows(first), 15.0)
            assert await wait_for(pilot, parsing, 15.0)
            server.route("/good", feed(_rss_items(first, second)))
            good = next(f.id for f in fixture.store.feeds(silent_after=4.0) if f.name == "Good")
            assert app.refresh_feed(good)  # what `r` on the feeds screen does
            # (Generous: on a loaded machine the good feed waits for a free core; the slow
            # document takes far longer, so it is still being parsed when the item shows.)
            assert await wait_for(pilot, shows(second), 30.0)
            assert parsing()  # the slow document is still being parsed meanwhile
            assert "Taliban reinforce checkpoints" in screen_text(app)
        fixture.store.close()


def _cpu(pid: int) -> float:
    import psutil

    try:
        return sum(psutil.Process(pid).cpu_times()[:2])
    except psutil.Error:
        return 0.0


async def test_status_line_counts_feeds_already_failing_when_the_monitor_starts(tmp_path):
    from core.config import Settings
    from tests.httpserver import Reply

    with TestServer() as server:
        server.route("/hang", Reply(hang=True))  # no fetch of this run finishes during the test
        base = make_config()
        feeds = [
            f.model_copy(update={"url": server.url(f"/hang?{n}")}) for n, f in enumerate(base.feeds)
        ]
        config = base.model_copy(
            update={"feeds": feeds, "settings": Settings(fetch_deadline="60s", read_timeout="60s")}
        )
        # The last run left one feed failing (build_db records a 503 on the fourth feed).
        fixture = build_db(tmp_path / "afmon.db", config=config)
        for collect in (True, False):
            app = make_app(config, fixture.store, collect=collect)
            async with app.run_test(size=(120, 40)) as pilot:
                assert await wait_for(pilot, lambda a=app: "1 failing" in screen_text(a), 3.0), (
                    collect,
                    screen_text(app).splitlines()[-2],
                )
        fixture.store.close()


def _write_config(path, urls: list[str], **settings: object) -> None:
    import os

    lines = ["[settings]", 'timezone = "UTC"']
    lines += [f"{key} = {value}" for key, value in settings.items()]
    for n, url in enumerate(urls):
        lines += ["[[feeds]]", f'name = "Feed {n}"', f'url = "{url}"']
    path.write_text("\n".join(lines) + "\n")
    # A new mtime each write, whatever the file system's clock resolution.
    stamp = (path.stat().st_mtime_ns // 10**9 + 1 + len(urls) + len(settings)) * 10**9
    os.utime(path, ns=(stamp, stamp))


async def test_feeds_added_or_removed_in_config_toml_are_collected_while_running(tmp_path):
    from core.config import load_config

    with TestServer() as server:
        server.route("/first", feed(_rss_items("Clashes reported in Panjshir valley")))
        server.route("/second", feed(_rss_items("Taliban reinforce checkpoints in Panjshir")))
        first, second = server.url("/first"), server.url("/second")
        path = tmp_path / "config.toml"
        _write_config(path, [first])
        fixture = build_db(tmp_path / "afmon.db", config=make_config())
        app = make_app(load_config(path), fixture.store, collect=True, config_path=path)
        messages = lambda: [n.message for n in app.notices]  # noqa: E731
        async with app.run_test(size=(120, 40)) as pilot:
            assert await wait_for(pilot, lambda: server.hits("/first") >= 1, 30)
            # The config poll's first look records the mtime; the next change reloads.
            assert await wait_for(pilot, lambda: app._config_mtime is not None, 10)
            assert server.hits("/second") == 0
            _write_config(path, [first, second])
            assert await wait_for(pilot, lambda: server.hits("/second") >= 1, 30)
            assert "config reloaded — feeds: 1 added, 0 removed, collected from now on" in (
                messages()
            )
            assert await wait_for(
                pilot, lambda: [f.url for f in fixture.store.feeds()] == [first, second], 10
            )
            # A removed feed leaves the collector; a fetch setting waits for a restart.
            _write_config(path, [second], concurrency=3)
            assert await wait_for(pilot, lambda: any("1 removed" in m for m in messages()), 10)
            said = next(m for m in messages() if "1 removed" in m)
            assert "restart afmon to apply settings.concurrency" in said
            assert await wait_for(
                pilot, lambda: [f.url for f in fixture.store.feeds()] == [second], 10
            )
            # Once nothing is in flight, a refresh of every feed fetches only the second.
            assert await wait_for(pilot, lambda: not app.collector._inflight, 30)
            hits = server.hits("/first"), server.hits("/second")
            app.collector.request_refresh()
            assert await wait_for(pilot, lambda: server.hits("/second") > hits[1], 30)
            assert await wait_for(pilot, lambda: not app.collector._inflight, 30)
            assert server.hits("/first") == hits[0]
            assert app.collector.config.settings.concurrency == 16  # the running value
        fixture.store.close()


async def test_a_viewer_says_that_it_does_not_collect_feeds_added_to_config(fx, tmp_path):
    from core.config import load_config

    path = tmp_path / "config.toml"
    _write_config(path, ["http://127.0.0.1:9/a"])
    app = make_app(load_config(path), fx.store, collect=False, config_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(pilot, lambda: app._config_mtime is not None, 10)
        _write_config(path, ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"])
        assert await wait_for(
            pilot,
            lambda: any("1 added" in n.message for n in app.notices),
            10,
        )
        said = next(n.message for n in app.notices if "1 added" in n.message)
        assert "this viewer (--no-collect) collects nothing" in said
