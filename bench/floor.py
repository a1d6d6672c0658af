"""The floor of a collect pass: the least afmon's mandated libraries cost, with nothing else.

    python bench/floor.py STATE_DIR URLS_FILE [--workers N] [--concurrency 16]

One pass over the feeds in URLS_FILE (one URL per line), exec to exit, as `make bench` times
every tool: an httpx.AsyncClient fetches each feed with the validators of the last pass
(If-None-Match / If-Modified-Since, kept in STATE_DIR/validators.json), and every body that
comes back is parsed with feedparser in a pool of N processes (default: one per core), as
afmon parses it (no sanitiser, no relative-URI pass). Nothing is tagged, stored or clustered,
and no per-host limit is kept.

So its cold pass is the part of afmon's that no code of ours can remove while afmon fetches
with httpx and parses with feedparser, and its warm pass (all 304s) the same for a pass of
conditional GETs. bench/run_all.py runs it beside afmon and newsboat; the goals (afmon
<= 0.6x newsboat) are only reachable where this floor is well under them.

Prints one JSON line: {"fetched": N, "not_modified": N, "entries": N, "known_entries": N}
(`known_entries`: entries parsed in this pass and the passes before it, so a warm pass reports
what the state holds, as the other tools report the items they keep).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def parse(body: bytes) -> int:
    import feedparser

    doc = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    return len(doc.entries)


async def one_pass(
    urls: list[str], validators: dict[str, list[str]], workers: int, concurrency: int
) -> dict[str, int]:
    import httpx

    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(concurrency)
    counts = {"fetched": 0, "not_modified": 0, "entries": 0}
    with ProcessPoolExecutor(workers) as pool:
        limits = httpx.Limits(max_connections=concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:

            async def one(url: str) -> None:
                etag, modified = validators.get(url, ["", ""])
                headers = {}
                if etag:
                    headers["If-None-Match"] = etag
                if modified:
                    headers["If-Modified-Since"] = modified
                async with gate:
                    response = await client.get(url, headers=headers)
                if response.status_code == 304:
                    counts["not_modified"] += 1
                    return
                response.raise_for_status()
                validators[url] = [
                    response.headers.get("etag", ""),
                    response.headers.get("last-modified", ""),
                ]
                counts["fetched"] += 1
                parsed = await loop.run_in_executor(pool, parse, response.content)
                counts["entries"] += parsed  # (not `+= await`: that reads the count first)

            await asyncio.gather(*(one(url) for url in urls))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("state", type=Path)
    parser.add_argument("urls", type=Path)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    urls = [u for u in args.urls.read_text(encoding="utf-8").split() if u]
    args.state.mkdir(parents=True, exist_ok=True)
    saved = args.state / "validators.json"
    state = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {}
    validators: dict[str, list[str]] = state.get("validators", {})
    counts = asyncio.run(one_pass(urls, validators, args.workers, args.concurrency))
    known = state.get("known_entries", 0) + counts["entries"]
    saved.write_text(json.dumps({"validators": validators, "known_entries": known}), "utf-8")
    print(json.dumps(counts | {"known_entries": known}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
