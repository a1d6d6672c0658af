"""The bundled demo: a corpus of invented news items and a loopback server that releases them.

`afmon demo` and the tests and benchmarks use `DemoServer`; nothing here reaches beyond
127.0.0.1. The corpus (corpus/feeds.json) is written by make_corpus.py from our own templates.
"""

from __future__ import annotations

from afmon.demo.server import DemoFeed, DemoServer, load_corpus

__all__ = ["DemoFeed", "DemoServer", "load_corpus"]
