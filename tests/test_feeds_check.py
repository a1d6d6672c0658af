"""`afmon feeds check` as an operator runs it, against a real server on 127.0.0.1: the JSON
contract, the table, redirects, HTML pages, robots.txt, odd dates and the exit codes. Most
tests call `afmon.cli.main(argv)` in process; one runs a subprocess on a pseudo-terminal to
see the progress bar."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from afmon.cli import main
from tests.httpserver import Reply, feed, redirect, rss

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["name", "url", "status", "http_status", "items", "newest", "final_url", "error"]
HTML_WITH_LINK = (
    b"<!doctype html><html><head><title>Outlet</title>"
    b'<link rel="alternate" type="application/rss+xml" href="/en/feed/">'
    b"</head><body>news</body></html>"
)
HTML_WITHOUT_LINK = b"<!doctype html><html><head><title>Outlet</title></head><body>hi</body></html>"


def write_config(
    path: Path,
    feeds: dict[str, str],
    *,
    settings: str = "",
    extra: str = "",
    deadline: str = "5s",
) -> Path:
    lines = [f'[settings]\nfetch_deadline = "{deadline}"\nread_timeout = "2s"\n' + settings]
    for name, url in feeds.items():
        lines.append(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n')
    lines.append(extra)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def check(capsys, config: Path, *args: str) -> tuple[int, str, str]:
    code = main(["feeds", "check", "--config", str(config), *args])
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys, config: Path, *names: str) -> tuple[int, dict[str, dict]]:
    code, out, _ = check(capsys, config, "--json", *names)
    rows = [json.loads(line) for line in out.splitlines()]
    for row in rows:
        assert list(row) == KEYS
    return code, {row["name"]: row for row in rows}


def test_good_feed_is_ok_with_items_and_newest_time(server, tmp_path, capsys):
    server.route(
        "/good",
        feed(
            rss(
                [
                    {"title": "old", "guid": "1", "pubDate": "Mon, 23 Feb 2026 08:00:00 +0000"},
                    {"title": "new", "guid": "2", "pubDate": "Tue, 24 Feb 2026 10:30:00 +0430"},
                ]
            )
        ),
    )
    config = write_config(tmp_path / "c.toml", {"Good": server.url("/good")})
    code, rows = check_json(capsys, config)
    assert code == 0
    assert rows["Good"] == {
        "name": "Good",
        "url": server.url("/good"),
        "status": "ok",
        "http_status": 200,
        "items": 2,
        "newest": "2026-02-24T06:00:00Z",
        "final_url": server.url("/good"),
        "error": None,
    }


def test_404_is_an_error_and_exits_1(server, tmp_path, capsys):
    server.route("/good", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(
        tmp_path / "c.toml", {"Good": server.url("/good"), "Missing": server.url("/missing")}
    )
    code, rows = check_json(capsys, config)
    assert code == 1
    assert rows["Good"]["status"] == "ok"
    missing = rows["Missing"]
    assert (missing["status"], missing["http_status"], missing["items"]) == ("error", 404, None)
    assert missing["error"] == "HTTP 404 Not Found"


def test_html_page_that_advertises_a_feed_names_its_url(server, tmp_path, capsys):
    server.route("/home", Reply(body=HTML_WITH_LINK, headers={"Content-Type": "text/html"}))
    config = write_config(tmp_path / "c.toml", {"Home": server.url("/home")})
    code, rows = check_json(capsys, config)
    assert code == 1
    assert rows["Home"]["http_status"] == 200
    assert server.url("/en/feed/") in rows["Home"]["error"]
    assert "advertises a feed" in rows["Home"]["error"]


def test_html_page_without_a_feed_link_says_so(server, tmp_path, capsys):
    server.route("/home", Reply(body=HTML_WITHOUT_LINK, headers={"Content-Type": "text/html"}))
    config = write_config(tmp_path / "c.toml", {"Home": server.url("/home")})
    code, rows = check_json(capsys, config)
    assert code == 1
    assert rows["Home"]["error"] == "HTML page, not a feed (no feed link found in it)"


def test_301_reports_the_final_url_and_the_config_line_to_change(server, tmp_path, capsys):
    server.route("/old", redirect(server.url("/new"), 301))
    server.route("/new", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(
        tmp_path / "c.toml", {"Other": server.url("/new"), "Moved": server.url("/old")}
    )
    code, rows = check_json(capsys, config)
    assert code == 0
    assert rows["Moved"]["final_url"] == server.url("/new")
    assert rows["Moved"]["url"] == server.url("/old")

    code, out, _ = check(capsys, config, "Moved")
    assert code == 0
    lines = config.read_text().splitlines()
    old_line = next(n for n, text in enumerate(lines, 1) if server.url("/old") in text)
    assert f"change line {old_line} of {config} to" in out
    assert f'url = "{server.url("/new")}"' in out


def test_302_is_not_a_reason_to_edit_the_config(server, tmp_path, capsys):
    server.route("/tmp", redirect(server.url("/new"), 302))
    server.route("/new", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(tmp_path / "c.toml", {"Temp": server.url("/tmp")})
    code, out, _ = check(capsys, config)
    assert code == 0
    assert "not permanent" in out and "change line" not in out


def test_robots_txt_disallow_is_reported(server, tmp_path, capsys):
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /api/\n"))
    server.route("/api/feed", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(tmp_path / "c.toml", {"Api": server.url("/api/feed")})
    code, rows = check_json(capsys, config)
    assert code == 1
    row = rows["Api"]
    assert (row["status"], row["http_status"], row["items"]) == ("error", 200, 1)
    assert "robots.txt" in row["error"] and "disallows" in row["error"]
    assert "fetched anyway" in row["error"]


def test_robots_txt_disallow_under_obey_is_not_fetched(server, tmp_path, capsys):
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /api/\n"))
    server.route("/api/feed", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(
        tmp_path / "c.toml", {"Api": server.url("/api/feed")}, settings='robots_txt = "obey"\n'
    )
    code, rows = check_json(capsys, config)
    assert code == 1
    assert rows["Api"]["http_status"] is None and "not fetched" in rows["Api"]["error"]
    assert server.hits("/api/feed") == 0


def test_odd_dates_give_the_right_newest_time(server, tmp_path, capsys):
    items = [
        {"title": "a", "guid": "1", "pubDate": "Wednesday, February 25, 2026 - 21:07"},
        {"title": "b", "guid": "2", "pubDate": "Thu, 26 Feb 2026 09:00:00 AFT"},
        {"title": "c", "guid": "3", "pubDate": "۱۴۰۴/۱۲/۰۶"},
    ]
    server.route("/cg", feed(rss(items)))
    config = write_config(tmp_path / "c.toml", {"Crisis Group": server.url("/cg")})
    code, rows = check_json(capsys, config)
    assert code == 0
    assert rows["Crisis Group"]["newest"] == "2026-02-26T04:30:00Z"


def test_a_document_that_keeps_the_parser_busy_is_cut_at_the_parse_deadline(
    server, tmp_path, capsys
):
    from tests.hostile import docs

    slow = docs.slow_parse(0.9)  # about 9 s of feedparser time
    server.route("/slow", Reply(body=slow, headers={"Content-Type": "application/rss+xml"}))
    server.route("/good", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(
        tmp_path / "c.toml",
        {"Slow": server.url("/slow"), "Good": server.url("/good")},
        settings='parse_deadline = "1s"\n',
    )
    code, rows = check_json(capsys, config)
    assert code == 1
    assert rows["Slow"]["error"] == "parse took longer than 1 s"
    assert rows["Slow"]["http_status"] == 200 and rows["Slow"]["items"] is None
    assert rows["Good"]["status"] == "ok"


def test_a_feed_that_trickles_is_cut_at_the_fetch_deadline_beside_a_good_feed(
    server, tmp_path, capsys
):
    # One byte every half second: each read is within read_timeout, the whole is not.
    server.route("/trickle", Reply(body=b"x" * 100, chunk_size=1, drip=0.5))
    server.route("/good", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(
        tmp_path / "c.toml",
        {"Trickle": server.url("/trickle"), "Good": server.url("/good")},
        deadline="1s",
    )
    code, rows = check_json(capsys, config)
    assert code == 1
    assert rows["Trickle"]["status"] == "error" and rows["Trickle"]["items"] is None
    assert rows["Trickle"]["error"] == "deadline: no complete answer within 1 s"
    assert rows["Good"]["status"] == "ok" and rows["Good"]["items"] == 1


def test_table_lists_every_feed_and_a_summary(server, tmp_path, capsys):
    server.route("/good", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(
        tmp_path / "c.toml", {"Good": server.url("/good"), "Missing": server.url("/missing")}
    )
    code, out, err = check(capsys, config)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["feed", "status", "http", "items", "newest"]
    assert lines[1].split()[:4] == ["Good", "ok", "200", "1"]
    assert lines[2].split()[:4] == ["Missing", "error", "404", "-"]
    assert lines[3].strip() == "HTTP 404 Not Found"
    assert lines[-1] == "2 feeds checked: 1 ok, 1 failed"
    assert "[" not in err  # no progress bar when stderr is not a terminal


def test_named_feeds_only_and_disabled_feeds_when_named(server, tmp_path, capsys):
    server.route("/a", feed(rss([{"title": "a", "guid": "1"}])))
    server.route("/off", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(
        tmp_path / "c.toml",
        {"A": server.url("/a"), "B": server.url("/b")},
        extra=f'[[feeds]]\nname = "Off"\nurl = "{server.url("/off")}"\nenabled = false\n',
    )
    code, rows = check_json(capsys, config, "a")  # names match case-insensitively
    assert code == 0 and list(rows) == ["A"]
    assert server.hits("/b") == 0
    code, rows = check_json(capsys, config, "Off")
    assert code == 0 and list(rows) == ["Off"]
    code, out, err = check(capsys, config, "--json")
    assert {json.loads(line)["name"] for line in out.splitlines()} == {"A", "B"}
    assert "1 disabled feeds not checked" in err


def test_unknown_name_is_a_usage_error(server, tmp_path, capsys):
    config = write_config(tmp_path / "c.toml", {"A": server.url("/a")})
    code, out, err = check(capsys, config, "A", "Nope")
    assert code == 2 and out == ""
    assert "no feed named 'Nope'" in err
    assert server.hits("/a") == 0


def test_config_error_exits_2_naming_the_key(tmp_path, capsys):
    config = tmp_path / "c.toml"
    config.write_text('[[feeds]]\nname = "x"\nurl = "ftp://nope"\n', encoding="utf-8")
    code, out, err = check(capsys, config)
    assert code == 2 and "feeds[0].url" in err and out == ""


def test_no_feeds_is_a_config_error(tmp_path, capsys):
    config = write_config(tmp_path / "c.toml", {})
    code, _, err = check(capsys, config)
    assert code == 2 and "no enabled feeds" in err


def test_unknown_flag_is_a_usage_error(tmp_path):
    config = write_config(tmp_path / "c.toml", {})
    with pytest.raises(SystemExit) as info:
        main(["feeds", "check", "--config", str(config), "--bogus"])
    assert info.value.code == 2


def test_check_never_touches_the_database(server, tmp_path, capsys):
    server.route("/a", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(tmp_path / "c.toml", {"A": server.url("/a")})
    db = tmp_path / "afmon.db"
    code = main(["--db", str(db), "feeds", "check", "--config", str(config)])
    capsys.readouterr()
    assert code == 0
    assert not db.exists()
    assert not any(Path(os.environ["XDG_DATA_HOME"]).rglob("afmon.db"))


def test_feeds_are_checked_concurrently(server, tmp_path, capsys):
    # Each answer waits until the other request has arrived: checked one after the other,
    # the first would give up waiting and fail.
    arrived = threading.Barrier(2, timeout=4)

    def meeting(_request):
        try:
            arrived.wait()
        except threading.BrokenBarrierError:
            return Reply(500)
        return Reply(body=rss([{"title": "a", "guid": "1"}]).encode())

    server.route("/one", meeting)
    server.route("/two", meeting)
    config = write_config(
        tmp_path / "c.toml", {"One": server.url("/one"), "Two": server.url("/two")}
    )
    code, rows = check_json(capsys, config)
    assert code == 0, rows
    assert rows["One"]["status"] == rows["Two"]["status"] == "ok"


def test_progress_bar_on_a_terminal(server, tmp_path):
    server.route("/a", feed(rss([{"title": "a", "guid": "1"}])))
    config = write_config(tmp_path / "c.toml", {"A": server.url("/a")})
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "afmon", "feeds", "check", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        os.close(follower)
        follower = -1
        err = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0
    assert "1/1 feeds" in err.decode() and "0 failed" in err.decode()
    assert proc.stdout.splitlines()[1].split()[:2] == ["A", "ok"]
