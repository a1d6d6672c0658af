"""Imported once by the parse workers' forkserver (feeds/workers.py), never by the collector:
what is loaded here is shared by every worker it forks, so a worker starts in a fork's time
instead of an interpreter's plus half a second of imports.

Importing this module does work on purpose: it loads feedparser, the parse modules and the
tagger, and builds the default tagger (the shipped gazetteer) once.
"""

from __future__ import annotations

import contextlib

import feedparser  # noqa: F401 - preloaded for the workers

from feeds import bound, dates, entries, parse, workers  # noqa: F401 - preloaded for the workers

with contextlib.suppress(Exception):  # a broken data file: each task reports it on its feed
    workers._tagger(None)
