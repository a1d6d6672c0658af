"""Soak: `afmon collect --watch` plus a headless monitor against a mixed good/hostile server.

    .venv/bin/python bench/soak.py --seconds 60

A child process serves good feeds that grow every few seconds beside every hostile case of
tests/hostile/cases.py (bombs, drips, hangs, resets, redirect loops, terminal escapes ...).
`afmon collect --watch --json` fills a fresh database; in this process the real app
(`make_app(..., collect=False)`) reads the same database headless, cycling its screens. At the
end: errors seen (collector stderr lines, app worker failures and error notifications), peak
RSS of the collector and of this process (the monitor), items, alerts, duplicates, database
integrity. Prints one JSON object, then a human summary.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOOD_FEEDS = 6
SETTINGS = {
    "poll_interval": "5s",
    "min_interval": "5s",
    "max_interval": "30s",
    "fetch_deadline": "2s",
    "read_timeout": "1s",
    "connect_timeout": "1s",
    "max_body_bytes": 2_000_000,
    "per_host": 16,
    "concurrency": 32,
    "bell": False,
}
PLACES = ["Kabul", "Panjshir", "Kunduz", "Helmand", "Herat", "Nangarhar"]


def _growing(n: int):
    """A good feed that gains one item every 3 seconds (newest first, 30 kept)."""
    from email.utils import format_datetime

    from tests.httpserver import Reply, rss

    start = time.time()

    def handler(_request):
        now = time.time()
        count = 5 + int((now - start) / 3)
        entries = []
        for i in range(count - 1, max(count - 30, 0) - 1, -1):
            when = start + i * 3 - 3600
            place = PLACES[(n + i) % len(PLACES)]
            entries.append(
                {
                    "title": f"Outlet {n}: clashes reported in {place} ({i})",
                    "guid": f"o{n}-{i}",
                    "link": f"https://news.example/{n}/{i}",
                    "pubDate": format_datetime(
                        __import__("datetime").datetime.fromtimestamp(
                            when, __import__("datetime").UTC
                        )
                    ),
                }
            )
        return Reply(body=rss(entries).encode(), headers={"Content-Type": "application/rss+xml"})

    return handler


def _serve(port_out: mp.Queue, stop: mp.Event) -> None:  # type: ignore[type-arg]
    from tests.hostile.cases import http_cases, install
    from tests.hostile.docs import BILLION_LAUGHS, DEEP_OPEN, MIXED, xxe
    from tests.httpserver import Reply, TestServer, rss

    server = TestServer().start()
    cases = http_cases()
    install(server, cases)
    for n in range(GOOD_FEEDS):
        server.route(f"/good/{n}", _growing(n))
    xml = {"laughs": BILLION_LAUGHS, "deep": DEEP_OPEN, "mixed": MIXED, "xxe": xxe("/etc/passwd")}
    for name, body in xml.items():
        server.route(f"/xml/{name}", Reply(body=body, headers={"Content-Type": "text/xml"}))
    escapes = rss(
        [
            {"title": "[@click=app.quit]quit[/] Kabul &#27;]0;pwned&#7;", "guid": "e1"},
            {"title": "Herat &#8238;evil&#8236; &#155;2J", "guid": "e2"},
        ]
    )
    server.route("/xml/escapes", Reply(body=escapes.encode()))
    feeds = {c.name: (c.url or server.url(c.path)) for c in cases}
    feeds.update({f"good-{n}": server.url(f"/good/{n}") for n in range(GOOD_FEEDS)})
    feeds.update({f"xml-{n}": server.url(f"/xml/{n}") for n in [*xml, "escapes"]})
    port_out.put(feeds)
    stop.wait()
    server.stop()


def _config(feeds: dict[str, str]) -> str:
    lines = ["[settings]"]
    for key, value in SETTINGS.items():
        lines.append(f"{key} = {json.dumps(value)}")
    lines.append('\n[[watch]]\nname = "Panjshir"\nkeywords = ["Panjshir"]')
    for name, url in feeds.items():
        lines.append(f'\n[[feeds]]\nname = "{name}"\nurl = "{url}"')
    return "\n".join(lines) + "\n"


class RssPoller(threading.Thread):
    """Samples the RSS of the collector child and of this process every 100 ms."""

    def __init__(self, pid: int):
        import psutil

        super().__init__(daemon=True)
        self.child = psutil.Process(pid)
        self.me = psutil.Process()
        self.peak_child = self.peak_me = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.wait(0.1):
            with contextlib.suppress(psutil.Error):
                self.peak_child = max(self.peak_child, self.child.memory_info().rss)
            self.peak_me = max(self.peak_me, self.me.memory_info().rss)


async def _monitor(config_path: Path, db: Path, seconds: float, errors: list[str]) -> dict:
    from textual.worker import WorkerState

    from core.config import load_config
    from store import Store
    from tui.app import make_app

    config = load_config(config_path)
    while not db.exists():
        await asyncio.sleep(0.1)
    store = Store.open(db)
    app = make_app(config, store, collect=False)
    failures: list[str] = []
    original = app.report_worker

    def report(event):  # count worker failures, then let the app report them as usual
        if event.state == WorkerState.ERROR:
            failures.append(f"{event.worker.name}: {event.worker.error!r}")
        return original(event)

    app.report_worker = report  # type: ignore[method-assign]
    screens = 0
    async with app.run_test(size=(160, 48)) as pilot:
        deadline = time.monotonic() + seconds
        keys = ["d", "i", "F", "a", "p"]
        while time.monotonic() < deadline:
            await pilot.press(keys[screens % len(keys)])
            screens += 1
            await pilot.pause(1.0)
            if not app.is_running:
                errors.append("monitor stopped running")
                break
        notes = [n for n in app._notifications if n.severity == "error"]
        alive = app.is_running
    store.close()
    errors.extend(failures)
    errors.extend(f"notification: {n.message}" for n in notes)
    return {"screens_visited": screens, "app_alive_at_end": alive}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    ctx = mp.get_context("spawn")
    feeds_q, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=_serve, args=(feeds_q, stop), daemon=True)
    server.start()
    feeds = feeds_q.get(timeout=60)
    tmp = Path(tempfile.mkdtemp(prefix="afmon-soak-"))
    config, db = tmp / "config.toml", tmp / "afmon.db"
    config.write_text(_config(feeds), encoding="utf-8")
    stderr_path = tmp / "collector.stderr"
    started = time.monotonic()
    with open(stderr_path, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "afmon", "collect", "--watch", "--json"]
            + ["--config", str(config), "--db", str(db)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        poller = RssPoller(proc.pid)
        poller.start()
        lines: list[dict] = []
        reader = threading.Thread(
            target=lambda: lines.extend(json.loads(line) for line in proc.stdout), daemon=True
        )
        reader.start()
        errors: list[str] = []
        monitor = asyncio.run(_monitor(config, db, args.seconds, errors))
        proc.send_signal(signal.SIGTERM)
        stop_started = time.monotonic()
        try:
            code = proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
            errors.append("collector did not stop within 15 s of SIGTERM")
        stop_seconds = time.monotonic() - stop_started
        reader.join(5)
        poller.stop.set()
        poller.join()
    stop.set()
    server.join(10)
    stderr_lines = [
        line
        for line in stderr_path.read_text(errors="replace").splitlines()
        if line.strip() and not line.startswith("afmon: ")
    ]
    conn = sqlite3.connect(db)
    items = conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    distinct = conn.execute("SELECT COUNT(DISTINCT feed_id || ' ' || key) FROM items").fetchone()[0]
    alerts = conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    fetches = len(lines)
    failed = sum(1 for line in lines if line.get("status") == "error")
    reasons: dict[str, int] = {}
    for line in lines:
        if line.get("status") == "error":
            key = f"{line['name']}: {(line.get('error') or '')[:60]}"
            reasons[key] = reasons.get(key, 0) + 1
    result = {
        "seconds": round(time.monotonic() - started, 1),
        "feeds": len(feeds),
        "fetches": fetches,
        "feed_errors": failed,
        "collector_exit": code,
        "collector_stop_seconds": round(stop_seconds, 2),
        "collector_stderr_lines": len(stderr_lines),
        "monitor_errors": errors,
        "peak_rss_collector_mb": round(poller.peak_child / 2**20, 1),
        "peak_rss_monitor_mb": round(poller.peak_me / 2**20, 1),
        "items": items,
        "duplicates": items - distinct,
        "alerts": alerts,
        "integrity": integrity,
        **monitor,
    }
    print(json.dumps(result))
    print(
        f"\nsoak {result['seconds']} s, {len(feeds)} feeds ({GOOD_FEEDS} good): {fetches} fetches,"
        f" {failed} feed errors (expected: hostile feeds), {items} items, {alerts} alerts,"
        f" {result['duplicates']} duplicates, integrity {integrity}\n"
        f"peak RSS: collector {result['peak_rss_collector_mb']} MB,"
        f" monitor {result['peak_rss_monitor_mb']} MB;"
        f" collector stopped in {result['collector_stop_seconds']} s (exit {code});"
        f" stderr lines {len(stderr_lines)}; monitor errors {len(errors)}"
    )
    for line in stderr_lines[:10]:
        print("  stderr:", line[:160])
    for line in errors[:10]:
        print("  monitor:", line[:160])
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    ok = code == 0 and not errors and integrity == "ok" and items == distinct
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
