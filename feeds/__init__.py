"""Collecting feeds: fetch (httpx) -> parse (feedparser) -> tag -> schedule -> store."""

import sys

# httpx's package imports its command-line client (httpx._main: click, rich, pygments; about
# 300 ms, most of a warm collect's start-up) whenever click is installed, and sqlite-utils
# installs click. afmon never uses that client: a None entry makes the import fail, and httpx
# falls back to the stub it uses when click is absent.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
