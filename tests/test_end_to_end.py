"""afmon end to end: loopback feeds → `afmon collect --once` → tagged items in SQLite →
the Textual app shows them in the right panes.

Everything is real: an HTTP server on 127.0.0.1, the `afmon` CLI in a subprocess, the SQLite
file it writes, and the app driven with Pilot.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from store import ItemFilter, Store

DATA = Path(__file__).parent / "data" / "e2e"


def _render(name: str, now: datetime) -> bytes:
    text = (DATA / name).read_text(encoding="utf-8")
    times = [now - timedelta(hours=h) for h in (1, 3, 5)]
    for index, moment in enumerate(times, start=1):
        stamp = format_datetime(moment) if name.endswith(".rss") else moment.isoformat()
        text = text.replace(f"{{t{index}}}", stamp)
    return text.encode("utf-8")


@pytest.fixture
def feed_server():
    now = datetime.now(UTC).replace(microsecond=0)
    bodies = {
        "/valley.rss": _render("resistance.rss", now),
        "/north.atom": _render("north.atom", now),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            body = bodies.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _write_config(path: Path, base: str) -> Path:
    defaults = (Path(__file__).resolve().parents[1] / "afmon" / "defaults.toml").read_text()
    path.write_text(
        '[settings]\nfetch_deadline = "10s"\nbell = false\n\n'
        f'[[feeds]]\nname = "Valley Wire"\nurl = "{base}/valley.rss"\noutlet = "Valley"\n'
        'language = "en"\n\n'
        f'[[feeds]]\nname = "North Desk"\nurl = "{base}/north.atom"\noutlet = "North"\n'
        'language = "fa"\n\n' + defaults,
        encoding="utf-8",
    )
    return path


def _afmon(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "afmon", *args], capture_output=True, text=True, timeout=120
    )


def test_collect_once_stores_tagged_items(feed_server, tmp_path):
    config = _write_config(tmp_path / "config.toml", feed_server)
    db = tmp_path / "afmon.db"
    run = _afmon("collect", "--once", "--json", "--config", str(config), "--db", str(db))
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["new_items"] == 5 and report["failed"] == 0
    assert {f["status"] for f in report["feeds"]} == {"ok"}

    store = Store.open(db)
    by_title = {item.title: item for item in store.query_items(ItemFilter(), limit=50)}
    panjshir = by_title["NRF fighters clash with Taliban forces in Panjshir's Dara district"]
    assert "AF-PAN" in panjshir.provinces
    assert {"nrf", "taliban"} <= set(panjshir.actors)
    kabul = by_title["ISKP claims suicide attack near a ministry in Kabul"]
    assert kabul.provinces == ("AF-KAB",) and "isk" in kabul.actors
    kunar = by_title["TTP fighters seen crossing into Kunar, residents say"]
    assert "AF-KNR" in kunar.provinces and "ttp" in kunar.actors and "taliban" not in kunar.actors
    andarab = by_title["درگیری میان طالبان و جبهه مقاومت ملی در اندراب"]
    assert "AF-BGL" in andarab.provinces and {"taliban", "nrf"} <= set(andarab.actors)
    border = next(i for t, i in by_title.items() if t.startswith("Jamaat Ansarullah"))
    assert "AF-BDS" in border.provinces and "jamaat-ansarullah" in border.actors
    assert border.link == f"{feed_server}/north/2"  # relative link resolved against the feed
    # HTML in summaries became plain text.
    assert "<p>" not in panjshir.summary and panjshir.summary.startswith("The National")
    # Evidence points at the words that triggered each tag.
    tags = store.item_tags(panjshir.id)
    text = panjshir.title + "\n" + panjshir.summary
    assert any(t.code == "AF-PAN" and text[t.start : t.end] == t.text for t in tags)

    # A second pass adds nothing and duplicates nothing.
    again = json.loads(
        _afmon("collect", "--once", "--json", "--config", str(config), "--db", str(db)).stdout
    )
    assert again["new_items"] == 0
    assert store.count_items(ItemFilter()) == 5


async def test_collected_items_show_in_the_right_panes(feed_server, tmp_path):
    """The same pipeline, then the real app (Pilot) reading the database the CLI wrote."""
    from core.config import load_config
    from tests.tui_fixtures import settle, wait_for
    from tui.app import make_app
    from tui.widgets.pane import Pane

    config_path = _write_config(tmp_path / "config.toml", feed_server)
    db = tmp_path / "afmon.db"
    run = _afmon("collect", "--once", "--config", str(config_path), "--db", str(db))
    assert run.returncode == 0, run.stderr

    store = Store.open(db)
    app = make_app(load_config(config_path), store, collect=False)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        panes = {pane.spec.name: pane for pane in app.screen.query(Pane)}

        def titles(name: str) -> set[str]:
            return {item.title for item in panes[name].items}

        assert await wait_for(pilot, lambda: titles("Kabul"), timeout=10)
        assert titles("Kabul") == {"ISKP claims suicide attack near a ministry in Kabul"}
        assert titles("Islamic State Khorasan") == titles("Kabul")
        assert titles("Panjshir & Andarab") == {
            "NRF fighters clash with Taliban forces in Panjshir's Dara district",
            "درگیری میان طالبان و جبهه مقاومت ملی در اندراب",
        }
        assert "TTP fighters seen crossing into Kunar, residents say" in titles("East")
        assert "TTP fighters seen crossing into Kunar, residents say" in titles("TTP")
        assert "TTP fighters seen crossing into Kunar, residents say" not in titles("Taliban")
        assert any(t.startswith("Jamaat Ansarullah") for t in titles("Jamaat-e Ansarullah"))
        assert titles("South") == set() and titles("West") == set()
        assert panes["Panjshir & Andarab"].counts.day == 2
        # Enter on the Kabul pane opens its items; Enter on the item opens its detail.
        from tui.screens.detail import DetailScreen
        from tui.screens.items import ItemsScreen

        panes["Kabul"].focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemsScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        shown = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "ISKP claims suicide attack" in shown and "Kabul" in shown
    store.close()
