"""`make bench`: afmon side by side with newsboat and lemon24 `reader`, then afmon-only figures.

    .venv/bin/python bench/run_all.py [--feeds 200] [--items 50] [--rounds 3] [--quick]
                                      [--scenarios bench:20,similar:20,similar:1]
                                      [--no-peers] [--store-items 1000000 | --no-store]

1. For each scenario (corpus:hosts), serves N feeds x M items of that corpus on loopback
   (bench/corpora.py's generators, bench/collect_bench.py's server: one server per address
   127.0.0.2 ..., ETag and Last-Modified on every feed, in a child process). Corpora:
   `bench` (unique headlines), `similar` (headlines from a small vocabulary, thousands alike).
2. For each round, in a rotating order, runs each tool as a subprocess against the same URLs:
   cold (empty cache or database), then two more passes with nothing changed. The second is the
   steady state ("warm"): newsboat saves a feed's ETag only once the feed is already in its
   cache, so its first re-run still downloads every body; the extra pass is run for every tool.
   Each tool: wall clock from exec to exit, peak RSS summed over its process tree (afmon's
   parse workers included; bench/treemem.py samples it every 20 ms).
   - afmon: `python -m afmon collect --once --json` with the default fronts/threat groups/watch
     rules and the feeds (its defaults: concurrency 16, per_host 2).
   - newsboat: `newsboat -x reload`, `reload-threads` = cores (installed with apt when root).
   - reader: `update_feeds(scheduled=False, workers=W)` in its own venv, bench/.venv-reader.
3. afmon only: the monitor's in-process warm pass against a bare httpx client sending the
   same conditional GETs (bench/collect_bench.py), ingest items/s (cold pass), tagger items/s,
   store queries and dashboard first paint on a big database (bench/make_db.py, cached as
   bench/results/cache-<N>.db).
4. Prints a table; writes bench/results/<YYYYmmdd-HHMMSS>.json (with machine info) and
   bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import collect_bench  # noqa: E402 - bench/ is a directory of scripts, not a package
import corpora  # noqa: E402
import peers  # noqa: E402

RESULTS = HERE / "results"
TOOLS = ("afmon", "newsboat", "reader")
PASSES = ("cold", "second", "warm")


# -- machine ---------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        from importlib.metadata import version

        afmon_version = version("afmon")
    except Exception:  # noqa: BLE001 - not installed: report it as such
        afmon_version = "unknown"
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_gb, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "afmon": afmon_version,
        "commit": commit or "unknown",
    }


# -- afmon as a subprocess -------------------------------------------------------------------


class Afmon:
    """`afmon collect --once --json` with a generated config and its own database."""

    def __init__(self, workdir: Path, urls: list[str]):
        from importlib import resources

        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        defaults = resources.files("afmon").joinpath("defaults.toml").read_text("utf-8")
        feeds = "".join(
            f'\n[[feeds]]\nname = "bench {i}"\nurl = "{url}"\n' for i, url in enumerate(urls)
        )
        self.config = self.dir / "config.toml"
        self.config.write_text(defaults + feeds, encoding="utf-8")
        self.db = self.dir / "afmon.db"
        self.last_report: dict[str, Any] = {}

    def run(self, cold: bool) -> tuple[peers.Timed, int]:
        if cold:
            for path in self.dir.glob("afmon.db*"):
                path.unlink()
        argv = [sys.executable, "-m", "afmon", "collect", "--once", "--json"]
        argv += ["--config", str(self.config), "--db", str(self.db)]
        timed = peers.run_timed(argv, cwd=self.dir)
        try:
            self.last_report = json.loads(timed.stdout)
        except ValueError:
            self.last_report = {}
        import sqlite3

        try:
            with sqlite3.connect(self.db) as db:
                items = int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])
        except sqlite3.Error:
            items = 0
        return timed, items


class Floor:
    """bench/floor.py: httpx and feedparser alone (no tagging, store or stories), the least a
    pass can cost while afmon fetches with one and parses with the other."""

    def __init__(self, workdir: Path, urls: list[str]):
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.urls = self.dir / "urls.txt"
        self.urls.write_text("\n".join(urls), encoding="utf-8")

    def run(self, cold: bool) -> tuple[peers.Timed, int]:
        state = self.dir / "state"
        if cold:
            for path in state.glob("*"):
                path.unlink()
        argv = [sys.executable, str(HERE / "floor.py"), str(state), str(self.urls)]
        timed = peers.run_timed(argv, cwd=self.dir)
        try:
            items = int(json.loads(timed.stdout)["known_entries"])
        except (ValueError, KeyError, TypeError):
            items = 0
        return timed, items


# -- the comparison --------------------------------------------------------------------------


def start_server(
    feeds: int, items: int, hosts: int, corpus: str = "bench"
) -> tuple[list[str], Any, Any]:
    return collect_bench.start_server(feeds, items, hosts, corpus)


def setup_peers(args: argparse.Namespace, workdir: Path, urls: list[str]) -> dict[str, Any]:
    """Runners by tool name, plus {"skipped": {tool: reason}, "versions": {...}}."""
    cores = os.cpu_count() or 1
    runners: dict[str, Any] = {"afmon": Afmon(workdir / "afmon", urls)}
    skipped: dict[str, str] = {}
    versions: dict[str, str] = {}
    settings: dict[str, str] = {"afmon": "concurrency 16, per_host 2 (defaults)"}
    if not args.no_floor:
        runners["floor"] = Floor(workdir / "floor", urls)
        settings["floor"] = (
            f"httpx + feedparser in {cores} processes, nothing else (bench/floor.py)"
        )
    if args.no_peers:
        skipped = {"newsboat": "--no-peers", "reader": "--no-peers"}
    else:
        binary, why = peers.ensure_newsboat()
        if binary:
            threads = args.newsboat_threads or cores
            runners["newsboat"] = peers.Newsboat(binary, workdir / "newsboat", urls, threads)
            versions["newsboat"] = peers.newsboat_version(binary)
            settings["newsboat"] = f"reload-threads {threads}"
        else:
            skipped["newsboat"] = why
        python, why = (None, "--no-reader") if args.no_reader else peers.ensure_reader()
        if python:
            workers = args.reader_workers
            runners["reader"] = peers.Reader(python, workdir / "reader", urls, workers)
            versions["reader"] = peers.reader_version(python)
            settings["reader"] = f"update_feeds(workers={workers}), forced (scheduled=False)"
        else:
            skipped["reader"] = why
    for tool, why in skipped.items():
        print(f"{tool}: skipped ({why})", file=sys.stderr)
    return {"runners": runners, "skipped": skipped, "versions": versions, "settings": settings}


def compare(runners: dict[str, Any], rounds: int, expected: int, feeds: int) -> dict[str, Any]:
    """Every tool, every pass, every round; rotating the order so no tool always goes first."""
    samples: dict[str, dict[str, list[dict[str, Any]]]] = {
        t: {p: [] for p in PASSES} for t in runners
    }
    order = list(runners)
    for r in range(rounds):
        turn = order[r % len(order) :] + order[: r % len(order)]
        for tool in turn:
            runner = runners[tool]
            for label in PASSES:
                timed, items = runner.run(cold=label == "cold")
                sample = {
                    "seconds": round(timed.seconds, 4),
                    # The whole process tree (afmon's parse workers included), sampled.
                    "peak_rss_mb": round(timed.tree_rss_mb, 1),
                    "peak_pss_mb": round(timed.tree_pss_mb, 1),
                    "processes": timed.processes,
                    "items": items,
                    "rc": timed.returncode,
                }
                if tool == "afmon":
                    rep = runner.last_report
                    sample |= {
                        "new_items": rep.get("new_items"),
                        "not_modified": rep.get("not_modified"),
                        "failed": rep.get("failed"),
                        "inside_s": rep.get("seconds"),
                    }
                samples[tool][label].append(sample)
                ok = timed.returncode == 0 and items == expected
                if tool == "afmon" and label == "warm":
                    ok = ok and sample["not_modified"] == feeds
                flag = "" if ok else f"  CHECK rc={timed.returncode}: {timed.stderr[-300:]!r}"
                print(
                    f"  round {r + 1} {tool:8} {label:6} {timed.seconds:7.2f} s"
                    f"  {timed.tree_rss_mb:6.0f} MB  {items} items{flag}",
                    file=sys.stderr,
                )
    return samples


def summarize(samples: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tool, by_pass in samples.items():
        row: dict[str, Any] = {}
        for label, runs in by_pass.items():
            secs = [s["seconds"] for s in runs]
            if secs:
                row[label] = {"min_s": min(secs), "median_s": statistics.median(secs)}
        rss = [s["peak_rss_mb"] for runs in by_pass.values() for s in runs]
        pss = [s.get("peak_pss_mb") or 0 for runs in by_pass.values() for s in runs]
        row["peak_rss_mb"] = max(rss) if rss else None
        row["peak_pss_mb"] = max(pss) if pss else None
        out[tool] = row
    ratios: dict[str, Any] = {}
    for tool, peer in (("afmon", "newsboat"), ("afmon", "reader"), ("floor", "newsboat")):
        if peer not in out or tool not in out:
            continue
        for label in PASSES:
            a, p = out[tool].get(label), out[peer].get(label)
            if a and p:
                ratios[f"{tool}/{peer} {label}"] = {
                    "median": a["median_s"] / p["median_s"],
                    "min": a["min_s"] / p["min_s"],
                }
    return {"tools": out, "ratios": ratios}


# -- afmon only ------------------------------------------------------------------------------


def tagger_rate(feeds: int, items: int) -> dict[str, Any]:
    """Tagger items/s over the same generated items (parsed by afmon's parser first)."""
    from feeds.parse import parse
    from feeds.tagger import get_tagger

    now = datetime.now(UTC)
    entries = []
    for n in range(feeds):
        body = collect_bench.make_feed(n, items, now)
        entries.extend(parse(body, f"http://bench/{n}", now).entries)
    t0 = time.perf_counter()
    tagger = get_tagger()
    load_s = time.perf_counter() - t0
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for e in entries:
            tagger.tag(e.title, e.summary)
        best = min(best, time.perf_counter() - t0)
    return {"items": len(entries), "items_per_s": len(entries) / best, "load_s": load_s}


def story_figures(quick: bool) -> dict[str, Any]:
    """Story clustering: pairwise P/R on the three labelled sets (hand tags and afmon's
    tagger) and the cost per new item with 1k/10k/50k similar headlines in the window."""
    import cluster_bench
    import story_cost

    quality = {
        name: {
            mode: dict(zip(("precision", "recall", "f1"), prf, strict=True))
            for mode, prf in m.items()
        }
        for name, m in cluster_bench.quality().items()
    }
    sizes = [100, 300] if quick else [1000, 10_000, 50_000]
    cost = story_cost.measure(sizes, new=20 if quick else 300, sqlite=True)
    return {"quality": quality, "cost": cost}


_STORE_LINE = re.compile(r"^(?P<name>.{46}) +(?P<ms>[\d.]+) +(?P<goal>\d+)  (?P<rows>\S+)")


def store_figures(items: int, runs: int, paint_runs: int, cache: Path = RESULTS) -> dict[str, Any]:
    """Build (once, cached in `cache`) an `items`-item database and time the store queries and
    the dashboard's first paint on it."""
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"cache-{items}.db"
    out: dict[str, Any] = {"items": items, "db": str(db)}
    if not db.exists():
        print(f"bench: building {db.name} ({items:,} items, cached for later runs) ...")
        tmp = db.with_suffix(".building")
        for path in tmp.parent.glob(tmp.name + "*"):
            path.unlink()
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(HERE / "make_db.py"), "--items", str(items), "--db", str(tmp)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            out["error"] = f"make_db failed: {done.stderr.strip()[-300:]}"
            return out
        tmp.rename(db)
        out["build_s"] = time.perf_counter() - t0
        rate = re.search(r"ingest ([\d,]+) items/s", done.stdout)
        out["store_ingest_items_per_s"] = int(rate.group(1).replace(",", "")) if rate else None
    done = subprocess.run(
        [sys.executable, str(HERE / "store_bench.py"), "--db", str(db), "--no-plans"]
        + ["--runs", str(runs)],
        capture_output=True,
        text=True,
        check=False,
    )
    queries = []
    for line in done.stdout.splitlines():
        m = _STORE_LINE.match(line)
        if m and m["name"].strip() != "query":
            ms, goal = float(m["ms"]), float(m["goal"])
            queries.append(
                {"query": m["name"].strip(), "ms": ms, "goal_ms": goal, "ok": ms <= goal}
            )
    out["queries"] = queries
    if not queries:
        out["error"] = f"store_bench printed no timings: {done.stderr.strip()[-300:]}"
    done = subprocess.run(
        [sys.executable, str(HERE / "firstpaint.py"), "--db", str(db), "--json"]
        + ["--runs", str(paint_runs)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        out["first_paint"] = json.loads(done.stdout)
    except ValueError:
        out["first_paint"] = {"error": done.stderr.strip()[-300:]}
    return out


# -- report ----------------------------------------------------------------------------------


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


GOALS = {"cold": 0.6, "second": 0.2, "warm": 0.6}
"""afmon / newsboat, median wall clock (issue 14): cold; nothing changed while newsboat
re-downloads (its second pass); nothing changed while newsboat gets 304s too (warm)."""


def _ratio(summary: dict[str, Any], label: str, tool: str = "afmon") -> str:
    r = summary["ratios"].get(f"{tool}/newsboat {label}")
    if not r:
        return "–"
    mark = "" if r["median"] <= GOALS[label] else " **over**"
    return f"{r['median']:.2f}x{mark}"


def scenario_rows(result: dict[str, Any]) -> list[str]:
    """One row per corpus: afmon against newsboat, the three ratios and afmon's memory."""
    lines = [
        "| corpus | afmon cold | newsboat cold | ratio (≤ 0.6) | afmon 2nd | newsboat 2nd"
        " | ratio (≤ 0.2) | afmon warm | newsboat warm | ratio (≤ 0.6) | afmon peak RSS"
        " (tree) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for sc in result["scenarios"]:
        tools = sc["summary"]["tools"]
        a, n = tools.get("afmon", {}), tools.get("newsboat", {})

        def med(row: dict[str, Any], label: str) -> str:
            return _s((row.get(label) or {}).get("median_s"))

        rss = a.get("peak_rss_mb")
        lines.append(
            f"| {sc['label']} | {med(a, 'cold')} | {med(n, 'cold')} | {_ratio(sc['summary'], 'cold')}"
            f" | {med(a, 'second')} | {med(n, 'second')} | {_ratio(sc['summary'], 'second')}"
            f" | {med(a, 'warm')} | {med(n, 'warm')} | {_ratio(sc['summary'], 'warm')}"
            f" | {f'{rss:.0f} MB' if rss else '–'} |"
        )
    return lines


def floor_rows(result: dict[str, Any]) -> list[str]:
    """The floor (bench/floor.py) against newsboat, one row per corpus: how much of each goal
    httpx and feedparser alone already spend."""
    if not any("floor" in sc["summary"]["tools"] for sc in result["scenarios"]):
        return []
    lines = [
        "",
        "Floor: httpx and feedparser alone, nothing tagged, stored or clustered"
        " (bench/floor.py, one parse process per core). A goal this floor reaches or nears"
        " cannot be met by any code of afmon's own.",
        "",
        "| corpus | floor cold | ratio to newsboat (goal ≤ 0.6) | floor warm"
        " | ratio to newsboat (goal ≤ 0.6) |",
        "|---|---:|---:|---:|---:|",
    ]
    for sc in result["scenarios"]:
        f = sc["summary"]["tools"].get("floor")
        if not f:
            continue
        cold, warm = (f.get(p, {}).get("median_s") for p in ("cold", "warm"))
        lines.append(
            f"| {sc['label']} | {_s(cold)} | {_ratio(sc['summary'], 'cold', 'floor')}"
            f" | {_s(warm)} | {_ratio(sc['summary'], 'warm', 'floor')} |"
        )
    return lines


def markdown(result: dict[str, Any]) -> str:
    m, cfg = result["machine"], result["config"]
    lines = [
        f"Measured {result['started']} on {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM,"
        f" {m['os']}, Python {m['python']}; afmon {m['afmon']} ({m['commit']})"
        + "".join(f", {k} {v}" for k, v in result["versions"].items())
        + ".",
        "",
        f"{cfg['feeds']} feeds x {cfg['items']} items ({cfg['feeds'] * cfg['items']:,} items) per"
        " corpus, served on loopback with ETag and Last-Modified; corpus:hosts = the corpus"
        " (bench/corpora.py) over that many loopback addresses. Medians of"
        f" {cfg['rounds']} rounds, tools interleaved; wall clock from exec to exit; peak RSS"
        " summed over the process tree (afmon's parse workers included), sampled every 20 ms.",
        "",
        *scenario_rows(result),
        *floor_rows(result),
    ]
    for sc in result["scenarios"]:
        summary = sc["summary"]
        lines += [
            "",
            f"**{sc['label']}**",
            "",
            "| tool | settings | cold min | cold median | 2nd pass median | warm min"
            " | warm median | peak RSS (tree) |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for tool, row in summary["tools"].items():
            cold, second, warm = row.get("cold", {}), row.get("second", {}), row.get("warm", {})
            rss = f"{row['peak_rss_mb']:.0f} MB" if row.get("peak_rss_mb") else "–"
            lines.append(
                f"| {tool} | {result['settings'].get(tool, '')} | {_s(cold.get('min_s'))}"
                f" | {_s(cold.get('median_s'))} | {_s(second.get('median_s'))}"
                f" | {_s(warm.get('min_s'))} | {_s(warm.get('median_s'))} | {rss} |"
            )
        for tool, why in result["skipped"].items():
            lines.append(f"| {tool} | skipped: {why} | | | | | | |")
    inproc = result.get("inprocess") or {}
    if inproc:
        lines += [
            "",
            "| monitor's in-process warm pass (bench/collect_bench.py) | warm | bare httpx"
            " floor | warm / floor (≤ 1.5) |",
            "|---|---:|---:|---:|",
        ]
        for label, r in inproc.items():
            if "error" in r:
                lines.append(f"| {label} | {r['error']} | | |")
                continue
            lines.append(
                f"| {label} | {r['warm_s']:.3f} s | {r['floor_s']:.3f} s |"
                f" {r['warm_over_floor']:.2f}x |"
            )
    a = result["afmon"]
    lines += ["", "| afmon only | value |", "|---|---:|"]
    if a.get("ingest_items_per_s"):
        lines.append(
            f"| ingest, cold collect (fetch+parse+tag+store, whole process) |"
            f" {a['ingest_items_per_s']:,.0f} items/s |"
        )
    if a.get("tagger"):
        lines.append(f"| tagger | {a['tagger']['items_per_s']:,.0f} items/s |")
    if a.get("peak_rss_mb"):
        lines.append(
            f"| peak RSS of the process tree, {cfg['feeds']}-feed collect (goal < 150 MB) |"
            f" {a['peak_rss_mb']:.0f} MB (PSS {a.get('peak_pss_mb') or 0:.0f} MB) |"
        )
    st = a.get("store") or {}
    if st.get("store_ingest_items_per_s"):
        lines.append(
            f"| store ingest (make_db, {st['items']:,} items) |"
            f" {st['store_ingest_items_per_s']:,} items/s |"
        )
    fp = st.get("first_paint") or {}
    if fp.get("paint_median_s") is not None:
        lines.append(
            f"| dashboard first paint at {st['items']:,} items (headless 120x40, median) |"
            f" {fp['paint_median_s'] * 1000:,.0f} ms |"
        )
    if st.get("queries"):
        lines += [
            "",
            f"Store queries at {st['items']:,} items (median ms, bench/store_bench.py):",
            "",
            "| query | ms | goal |",
            "|---|---:|---:|",
        ]
        for q in st["queries"]:
            mark = "" if q["ok"] else " **over**"
            lines.append(f"| {q['query']} | {q['ms']:.2f}{mark} | {q['goal_ms']:.0f} |")
    stories = a.get("stories") or {}
    if stories.get("quality"):
        lines += [
            "",
            "Story clustering, pairwise (bench/cluster_bench.py; hand = the set's labels,"
            " tagger = afmon's tags):",
            "",
            "| set | tags | precision | recall | F1 |",
            "|---|---|---:|---:|---:|",
        ]
        for name, modes in stories["quality"].items():
            for mode, q in modes.items():
                lines.append(
                    f"| {name} | {mode} | {q['precision']:.3f} | {q['recall']:.3f} | {q['f1']:.3f} |"
                )
    if stories.get("cost"):
        lines += [
            "",
            "Story clustering, CPU per new item with N similar headlines in the last 24 h"
            " (bench/story_cost.py):",
            "",
            "| N | in memory | sqlite, one batch | sqlite, 1 item per call (assigner kept)"
            " | sqlite, 1 item per call (fresh) |",
            "|---:|---:|---:|---:|---:|",
        ]
        nan = float("nan")
        for row in stories["cost"]:
            lines.append(
                f"| {row['window_items']:,} | {row['memory_ms']:.3f} ms"
                f" | {row.get('sqlite_batch_ms', nan):.3f} ms"
                f" | {row.get('sqlite_kept_ms', nan):.3f} ms"
                f" | {row.get('sqlite_fresh_ms', nan):.3f} ms |"
            )
    lines += ["", f"Reproduce: `make bench` (or `{result['command']}`)."]
    return "\n".join(lines) + "\n"


def in_process(corpus: str, hosts: int, feeds: int, items: int) -> dict[str, Any]:
    """bench/collect_bench.py in a child: the monitor's warm pass against the httpx floor."""
    done = subprocess.run(
        [sys.executable, str(HERE / "collect_bench.py"), "--json", "--corpus", corpus]
        + ["--hosts", str(hosts), "--feeds", str(feeds), "--items", str(items)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": f"collect_bench failed: {done.stderr.strip()[-300:]}"}


def run_scenario(
    args: argparse.Namespace, corpus: str, hosts: int, workdir: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    expected = args.feeds * args.items
    label = f"{corpus}:{hosts}"
    print(
        f"bench: {label}: {args.feeds} feeds x {args.items} items on {hosts} hosts", file=sys.stderr
    )
    urls, stop, child = start_server(args.feeds, args.items, hosts, corpus)
    try:
        tools = setup_peers(args, workdir, urls)
        samples = compare(tools["runners"], args.rounds, expected, args.feeds)
    finally:
        stop.set()
        child.join(10)
    scenario = {
        "label": label,
        "corpus": corpus,
        "hosts": hosts,
        "samples": samples,
        "summary": summarize(samples),
    }
    return scenario, tools


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument(
        "--scenarios",
        default="bench:20,similar:20,similar:1",
        help="corpus:hosts,... (corpora in bench/corpora.py)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--no-peers", action="store_true", help="afmon only")
    parser.add_argument("--no-reader", action="store_true", help="afmon and newsboat only")
    parser.add_argument(
        "--no-floor", action="store_true", help="skip bench/floor.py (httpx + feedparser alone)"
    )
    parser.add_argument("--store-items", type=int, default=1_000_000)
    parser.add_argument("--no-store", action="store_true", help="skip store queries/first paint")
    parser.add_argument("--newsboat-threads", type=int, default=0, help="default: cores")
    parser.add_argument("--reader-workers", type=int, default=4)
    parser.add_argument("--out", type=Path, default=RESULTS, help="where results are written")
    args = parser.parse_args(argv)
    if args.quick:
        args.feeds, args.items, args.rounds = 10, 5, 1
        args.scenarios = "bench:2"
        args.store_items = min(args.store_items, 2000)
    scenarios = [corpora.parse_scenario(s.strip()) for s in args.scenarios.split(",") if s]

    started = datetime.now().astimezone()
    t_start = time.perf_counter()
    expected = args.feeds * args.items
    result: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(["python bench/run_all.py", *(argv or sys.argv[1:])]),
        "machine": machine_info(),
        "config": {
            "feeds": args.feeds,
            "items": args.items,
            "scenarios": args.scenarios,
            "rounds": args.rounds,
        },
        "scenarios": [],
    }
    tools: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="afmon-bench-") as tmp:
        for n, (corpus, hosts) in enumerate(scenarios):
            scenario, tools = run_scenario(args, corpus, hosts, Path(tmp) / str(n))
            result["scenarios"].append(scenario)
    first = result["scenarios"][0]
    result |= {
        "versions": tools["versions"],
        "settings": tools["settings"],
        "skipped": tools["skipped"],
        # The first scenario's figures under the historical keys (bench/README.md's table).
        "samples": first["samples"],
        "summary": first["summary"],
    }
    result["inprocess"] = {
        sc["label"]: in_process(sc["corpus"], sc["hosts"], args.feeds, args.items)
        for sc in result["scenarios"][:1]
    }
    afmon: dict[str, Any] = {}
    samples = first["samples"]
    cold = first["summary"]["tools"]["afmon"].get("cold")
    if cold:
        afmon["ingest_items_per_s"] = expected / cold["median_s"]
        inside = [s["inside_s"] for s in samples["afmon"]["cold"] if s.get("inside_s")]
        if inside:
            afmon["ingest_items_per_s_in_collector"] = expected / statistics.median(inside)
    rows = [sc["summary"]["tools"]["afmon"] for sc in result["scenarios"]]
    afmon["peak_rss_mb"] = max(r["peak_rss_mb"] or 0 for r in rows)
    afmon["peak_pss_mb"] = max(r.get("peak_pss_mb") or 0 for r in rows)
    afmon["tagger"] = tagger_rate(args.feeds, args.items)
    afmon["stories"] = story_figures(args.quick)
    if not args.no_store:
        afmon["store"] = store_figures(
            args.store_items,
            runs=5 if args.quick else 15,
            paint_runs=1 if args.quick else 3,
            cache=args.out,
        )
    result["afmon"] = afmon
    result["elapsed_s"] = round(time.perf_counter() - t_start, 1)

    text = markdown(result)
    print()
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (args.out / f"{stamp}.json").write_text(json.dumps(result, indent=1) + "\n")
    (args.out / "latest.md").write_text(text)
    print(f"bench: wrote {args.out / f'{stamp}.json'} and latest.md in {result['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
