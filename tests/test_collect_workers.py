"""Parse workers through the real collector: no document can stall a pass, a dead worker is a
feed error and the pool recovers, a pass of only 304s starts no process, no worker outlives
the collector. Real loopback servers, real SQLite files, real processes; deadlines are set
to 1 s (the default is 10 s) so the suite stays fast."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
import pytest

from core.config import Config, FeedConfig
from feeds.collect import Collector
from feeds.workers import ParsePool, default_size
from store import ItemFilter, Store
from tests.benchmods import bench_module
from tests.hostile import docs
from tests.hostile.cases import items
from tests.httpserver import Reply, TestServer, fast_settings, feed, rss

ROOT = Path(__file__).resolve().parents[1]
SLOW = docs.slow_parse(0.9)  # about 9 s of feedparser time


def config_for(server: TestServer, paths: list[str], **settings: object) -> Config:
    feeds = [FeedConfig(name=p.strip("/"), url=server.url(p)) for p in paths]
    return Config(settings=fast_settings(**settings), feeds=feeds)


def row(store: Store, name: str):
    return next(f for f in store.feeds(silent_after=4.0) if f.name == name)


async def test_a_document_that_keeps_feedparser_busy_is_cut_at_the_deadline_beside_good_feeds(
    server, store
):
    server.route("/slow", Reply(body=SLOW, headers={"Content-Type": "application/rss+xml"}))
    for n in range(3):
        server.route(f"/good{n}", feed(rss(items(20, f"good{n}"))))
    config = config_for(
        server, ["/slow", "/good0", "/good1", "/good2"], parse_deadline=timedelta(seconds=1)
    )
    collector = Collector(config, store)
    try:
        report = await collector.run_once()
    finally:
        await collector.aclose()
    by_name = {r.name: r for r in report.feeds}
    assert by_name["slow"].status == "error"
    assert by_name["slow"].error == "parse took longer than 1 s"
    slow = row(store, "slow")
    assert slow.last_error == "parse took longer than 1 s" and slow.error_count == 1
    assert slow.next_try is not None and slow.next_try > datetime.now(UTC)  # backs off
    assert slow.body_hash is None  # the same body will be parsed again, not skipped
    assert [by_name[f"good{n}"].new_items for n in range(3)] == [20, 20, 20]
    assert store.count_items(ItemFilter()) == 60


async def test_with_one_worker_a_slow_document_steps_aside_for_the_other_feeds(server, store):
    server.route("/slow", Reply(body=docs.slow_parse(0.3)))  # seconds of feedparser
    for n in range(3):
        server.route(f"/good{n}", Reply(body=rss(items(5, f"good{n}")).encode(), delay=0.2))
    config = config_for(
        server,
        ["/slow", "/good0", "/good1", "/good2"],
        parse_workers=1,
        parse_deadline=timedelta(seconds=60),
    )
    order: list[str] = []
    collector = Collector(config, store, on_feed_done=lambda r: order.append(r.name))
    collector.parse_pool.slow_after = 0.05
    try:
        report = await collector.run_once()
    finally:
        await collector.aclose()
    assert [r.status for r in report.feeds] == ["ok"] * 4
    # The good feeds answer after the slow one: with the one worker busy on it, they were
    # parsed by another (the spare lane), not queued behind it.
    assert order[-1] == "slow", order
    assert collector.parse_pool.started == 2


async def test_large_documents_parse_one_at_a_time_while_everyday_feeds_pass_them(server, store):
    for n in range(2):
        server.route(f"/large{n}", Reply(body=docs.slow_parse(0.15)))
    for n in range(3):
        server.route(f"/good{n}", Reply(body=rss(items(5, f"good{n}")).encode(), delay=0.2))
    config = config_for(
        server,
        ["/large0", "/large1", "/good0", "/good1", "/good2"],
        parse_workers=1,
        parse_deadline=timedelta(seconds=60),
    )
    order: list[str] = []
    collector = Collector(config, store, on_feed_done=lambda r: order.append(r.name))
    collector.parse_pool.slow_after = 0.05
    collector.parse_pool.large = 100_000  # both large documents are over it, the others not
    try:
        report = await collector.run_once()
    finally:
        await collector.aclose()
    assert [r.status for r in report.feeds] == ["ok"] * 5
    # The second large document waited for the first (not for a slot the everyday feeds
    # need), so the everyday feeds were parsed while the large ones took their turns.
    assert sorted(order[:3]) == ["good0", "good1", "good2"], order
    assert sorted(order[3:]) == ["large0", "large1"], order


async def test_a_worker_killed_mid_parse_is_a_feed_error_and_the_pool_recovers(server, store):
    server.route("/f", Reply(body=SLOW, headers={"Content-Type": "application/rss+xml"}))
    config = config_for(server, ["/f"], parse_workers=1, parse_deadline=timedelta(seconds=60))
    collector = Collector(config, store)
    try:
        pass_ = asyncio.create_task(collector.run_once())
        worker = None
        # Until the worker has spent more CPU than its start-up (about half a second of
        # imports): then it is parsing the document.
        for _ in range(600):
            await asyncio.sleep(0.05)
            pids = collector.parse_pool.pids()
            if pids and sum(psutil.Process(pids[0]).cpu_times()[:2]) > 2.0:
                worker = pids[0]
                break
        assert worker is not None, "no worker started parsing"
        os.kill(worker, signal.SIGKILL)  # what the OOM killer does
        report = await asyncio.wait_for(pass_, 30)
        assert report.feeds[0].status == "error"
        assert (
            report.feeds[0].error == "parse worker died (killed by SIGKILL) while reading this feed"
        )
        assert row(store, "f").last_error == report.feeds[0].error
        server.route("/f", feed(rss(items(5, "after"))))
        again = await collector.run_once()
        assert (again.feeds[0].status, again.feeds[0].new_items) == ("ok", 5)
        assert collector.parse_pool.started == 2 and worker not in collector.parse_pool.pids()
    finally:
        await collector.aclose()


async def test_a_document_over_the_memory_ceiling_is_a_feed_error_and_other_feeds_are_stored(
    server, store
):
    entries = b"".join(
        b"<item><title>t%d</title><guid>%d</guid><description>%s</description></item>"
        % (i, i, b"word " * 80)
        for i in range(20_000)
    )
    big = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    server.route("/big", Reply(body=big + entries + b"</channel></rss>"))
    server.route("/good", feed(rss(items(3, "good"))))
    # A worker at rest holds about 55 MB of address space; parsing 9 MB of entries needs more
    # than the 100 MB allowed here.
    config = config_for(
        server,
        ["/big", "/good"],
        parse_memory=100_000_000,
        parse_workers=1,
        max_body_bytes=10_000_000,
        fetch_deadline=timedelta(seconds=10),
    )
    collector = Collector(config, store)
    try:
        report = await collector.run_once()
    finally:
        await collector.aclose()
    by_name = {r.name: r for r in report.feeds}
    assert by_name["big"].status == "error"
    assert by_name["big"].error.startswith(
        ("parse needed more than 100 MB of memory", "parse worker died")
    ), by_name["big"].error
    assert (by_name["good"].status, by_name["good"].new_items) == ("ok", 3)


class _Recorder:
    """Post-pass hooks that note which parse workers are alive when stories would run."""

    def __init__(self, collector_ref: list[Collector]):
        self.ref = collector_ref
        self.alive_at_after_pass: list[list[int]] = []

    def after_feed(self, new_ids, now) -> int:
        return 0

    prepare_entry = None

    def after_pass(self, new_ids, now, prepared) -> None:
        self.alive_at_after_pass.append(self.ref[0].parse_pool.pids())


async def test_idle_workers_exit_before_the_after_pass_hook_and_the_next_pass_starts_one(
    server, store
):
    server.route("/f", feed(rss(items(5, "first"))))
    ref: list[Collector] = []
    hooks = _Recorder(ref)
    collector = Collector(config_for(server, ["/f"]), store, hooks=hooks)
    ref.append(collector)
    try:
        first = await collector.run_once()
        server.route("/f", feed(rss(items(5, "second"))))
        second = await collector.run_once()
    finally:
        await collector.aclose()
    assert (first.new_items, second.new_items) == (5, 5)
    # Stories are clustered with no idle worker holding memory beside them.
    assert hooks.alive_at_after_pass == [[], []]
    assert collector.parse_pool.started == 2


def test_release_lets_only_workers_idle_long_enough_go():
    from feeds import parse_task

    pool = ParsePool(1, deadline=30)

    async def parse_one() -> None:
        doc = rss(items(2, "r")).encode()
        parsed = await pool.parse_and_tag(doc, "http://x/", datetime.now(UTC))
        assert len(parsed.entries) == 2

    try:
        asyncio.run(parse_one())
        assert len(pool.pids()) == 1
        assert pool.release(idle_for=3600) == 0 and len(pool.pids()) == 1
        assert pool.release() == 1 and pool.pids() == []
        asyncio.run(parse_one())  # the pool stays open: a new worker takes the next document
        assert pool.started == 2
    finally:
        pool.close()
    assert parse_task.NO_EXTRAS == ((), ())


@pytest.mark.parametrize(("cores", "workers"), [(1, 1), (2, 1), (3, 2), (8, 4), (64, 4)])
def test_the_default_pool_leaves_the_collector_a_core(cores, workers):
    assert default_size(cores) == workers


def test_a_parse_worker_starts_without_the_store_the_config_models_or_asyncio():
    code = (
        "import sys\n"
        "from feeds import worker_process\n"
        "worker_process._warm()\n"
        "heavy = ('store', 'core.config', 'asyncio', 'sqlite_utils', 'httpx')\n"
        "loaded = [m for m, mod in sys.modules.items() if mod is not None]\n"
        "print(sorted(m for m in loaded if m.split('.')[0] in heavy or m in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_the_compact_form_a_worker_sends_expands_to_the_same_entries():
    from feeds import parse_task
    from feeds.parse import parse
    from feeds.tagger import Tagger

    body = rss(items(6, "Testmen in Qala-e-Test")).encode()
    now = datetime.now(UTC)
    extras = ((("Qala-e-Test", "AF-KAB"),), (("Testmen", "taliban"),))
    compact = parse_task.parse_and_tag(body, "http://x/f", now, extras=extras)
    expanded = parse_task.expand(compact)
    pickled = parse_task.expand(pickle.loads(pickle.dumps(compact)))
    tagger = Tagger.load(
        extra_places=[parse_task._Place(*p) for p in extras[0]],  # type: ignore[misc]
        extra_aliases=[parse_task._Alias(*a) for a in extras[1]],  # type: ignore[misc]
    )
    direct = parse(body, "http://x/f", now)
    want = [dataclasses.replace(e, tags=tagger.tag(e.title, e.summary)) for e in direct.entries]
    assert expanded.entries == want == pickled.entries
    assert (expanded.title, expanded.ttl, expanded.warning) == (
        direct.title,
        direct.ttl,
        direct.warning,
    )
    # The comparison covers tags, the operator's extras among them, not only text.
    assert all({"AF-KAB"} == set(e.tags.provinces) and "taliban" in e.tags.actors for e in want)


def _afmon(config: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, *extra, "-m", "afmon", "collect", "--once", "--json"] + [
        "--config",
        str(config),
        "--db",
        str(db),
    ]


def _write_config(tmp_path: Path, server: TestServer, names: list[str], **settings: object) -> Path:
    lines = ["[settings]"] + [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    for name in names:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{server.url("/" + name)}"']
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_pass_of_only_304s_starts_no_worker_and_imports_no_parser_tagger_or_clusterer(
    server, tmp_path
):
    for n in range(3):
        server.route(f"/f{n}", feed(rss(items(4, f"f{n}")), etag=f'"v{n}"'))
    config = _write_config(tmp_path, server, ["f0", "f1", "f2"])
    db = tmp_path / "afmon.db"
    first = subprocess.run(_afmon(config, db), cwd=ROOT, capture_output=True, text=True)
    assert json.loads(first.stdout)["new_items"] == 12, first.stderr
    sampler_cls = bench_module("treemem").TreeSampler
    proc = subprocess.Popen(
        _afmon(config, db, "-X", "importtime"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with sampler_cls(proc.pid, interval=0.005, pss=False) as sampler:
        out, err = proc.communicate(timeout=60)
    assert json.loads(out)["not_modified"] == 3
    assert sampler.peak.processes == 1  # no worker process
    imported = {line.rsplit("|", 1)[-1].strip() for line in err.splitlines() if "|" in line}
    never = ("feedparser", "feeds.tagger", "feeds.bound", "feeds.entries", "feeds.dates")
    never += ("ahocorasick", "rapidfuzz", "analysis.cluster", "analysis.storage", "analysis.watch")
    for module in never:
        assert module not in imported, f"{module} imported by a pass of 304s"
    assert "feeds.worker_process" not in imported


def test_kill_9_mid_parse_leaves_no_worker_process_behind(server, tmp_path):
    server.route("/slow", Reply(body=SLOW, headers={"Content-Type": "application/rss+xml"}))
    server.route("/good", feed(rss(items(30, "good"))))
    config = _write_config(
        tmp_path, server, ["slow", "good"], parse_deadline="60s", max_body_bytes=2_000_000
    )
    db = tmp_path / "afmon.db"
    proc = subprocess.Popen(_afmon(config, db), cwd=ROOT, stdout=subprocess.DEVNULL)
    collector = psutil.Process(proc.pid)
    tree: list[psutil.Process] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until some descendant is busy parsing
        tree = collector.children(recursive=True)
        busy = [p for p in tree if "feeds.worker_process" in _cmdline(p) and _cpu(p) > 1.0]
        if busy:
            break
        time.sleep(0.05)
    assert busy, "no worker started parsing"
    proc.kill()
    proc.wait(10)
    gone, alive = psutil.wait_procs(tree, timeout=10)
    assert not alive, f"outlived the collector: {[(p.pid, _cmdline(p)) for p in alive]}"
    assert busy[0] in gone


def _cpu(proc: psutil.Process) -> float:
    try:
        return sum(proc.cpu_times()[:2])
    except psutil.Error:
        return 0.0


def _cmdline(proc: psutil.Process) -> str:
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""


def test_a_task_the_worker_cannot_read_says_so_and_the_pool_goes_on(tmp_path, monkeypatch):
    """The collector's code and a new worker's can differ (afmon upgraded under a running
    monitor): a task naming a function the worker cannot import is an error that says what
    happened, not a worker dying unexplained; the next task still runs."""
    (tmp_path / "only_in_the_collector.py").write_text(
        "def work(body):\n    return len(body)\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))  # the collector's path, not the worker's
    import only_in_the_collector  # type: ignore[import-not-found]

    pool = ParsePool(1, deadline=30)

    async def both():
        with pytest.raises(RuntimeError, match="was afmon upgraded while running"):
            await pool.run(only_in_the_collector.work, b"abc")
        doc = rss(items(2, "after")).encode()
        return await pool.parse_and_tag(doc, "http://x/", datetime.now(UTC))

    try:
        parsed = asyncio.run(both())
    finally:
        pool.close()
    assert len(parsed.entries) == 2
