"""Parse and tag in worker processes, so that no document can stall the collector.

    pool = ParsePool(deadline=10.0, memory=1_000_000_000)      # starts nothing yet
    parsed = await pool.parse_and_tag(body, url, now, content_type=..., language=...,
                                      tagger=config.tagger)  # ParsedFeed, or raises
    pool.close()

`parse_and_tag(...)` (the module function) is the unit of work: bytes -> `ParsedFeed` with
every entry tagged. A worker runs it; anything else may call it in-process (it is what
`afmon feeds check` and the benches call).

What the pool guarantees (the worker's side is feeds/worker_process.py):

- CPU deadline per document (RLIMIT_CPU in the worker): a document that takes longer ends
  its worker, even inside C code that holds the GIL (feedparser's regular expressions). CPU
  time, not wall time: busy workers on a loaded machine do not fail good feeds. A wall-clock
  backstop (4x the deadline plus 5 s) covers a worker that hangs without using CPU. Either
  way `ParseTimeout("parse took longer than 10 s")`, and the next task starts a new worker.
- Memory ceiling (RLIMIT_AS): a document that inflates inside the parser fails its feed
  (`WorkerDied("parse needed more than ... MB of memory")`), never the collector.
- A worker killed from outside (the OOM killer, an operator) mid-parse: `WorkerDied`, and
  the pool replaces it.
- No worker outlives the collector, even after kill -9: each asks Linux for SIGKILL when
  the collector dies (PR_SET_PDEATHSIG); elsewhere the CPU deadline ends a stuck worker.
- Lazy: no process exists until the first document arrives, so a pass of only 304s (or of
  unchanged bodies) starts none.

Start method: a fresh interpreter per worker (`python -m feeds.worker_process`), the
equivalent of multiprocessing's "spawn". Never fork: the collector runs beside Textual's
threads, and fork() of a threaded process copies locks in whatever state other threads left
them. Not multiprocessing's forkserver either: it adds two processes (the server and a
resource tracker, about 55 MB of resident memory between them), hands every worker a copy of
the pipe that keeps the server alive (so after kill -9 of the collector a busy worker would
keep its own parent alive), and re-runs the caller's main script in each worker. A worker
costs about half a second of CPU to start (feedparser, the tagger); it starts once per pool,
and again only after a deadline, a crash or a huge document.

Why not concurrent.futures.ProcessPoolExecutor: one dead worker breaks the whole pool
(BrokenProcessPool), and it has no per-task deadline. pebble's ProcessPool replaces a worker
per task, but its timeouts are wall-clock and it brings three management threads; the CPU
limit, the death signal and the memory limit would still be ours. One socket per worker and
a thread per task in flight is all this needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from core.config import TaggerConfig
    from feeds.parse import ParsedFeed

# The directory that holds the feeds package: a worker imports the same code as the collector.
_ROOT = str(Path(__file__).resolve().parent.parent)


class ParseTimeout(Exception):
    """The document took longer than the CPU deadline (message: "parse took longer than ...")."""


class WorkerDied(Exception):
    """The worker process ended while parsing (killed by a signal, out of memory ...)."""


# -- the work -------------------------------------------------------------------------------

_taggers: dict[Any, Any] = {}


def _tagger(config: TaggerConfig | None) -> Any:
    from core.config import Config
    from feeds.tagger import get_tagger

    key = None if config is None else config.model_dump_json()
    tagger = _taggers.get(key)
    if tagger is None:
        # get_tagger reads only `config.tagger`; model_construct skips validating the rest.
        whole = None if config is None else Config.model_construct(tagger=config)
        tagger = _taggers[key] = get_tagger(whole)
    return tagger


def parse_and_tag(
    body: bytes,
    url: str,
    now: datetime,
    *,
    content_type: str | None = None,
    language: str | None = None,
    tagger: TaggerConfig | None = None,
) -> ParsedFeed:
    """Parse the bytes (raises NotAFeed) and tag every entry with the tagger built from the
    operator's `[tagger]` config (None: the shipped gazetteer only)."""
    import dataclasses

    from feeds.parse import parse
    from store.models import TagResult

    parsed = parse(body, url, now, content_type=content_type, language=language)
    tag = _tagger(tagger).tag
    entries = [
        dataclasses.replace(e, tags=tag(e.title, e.summary) or TagResult()) for e in parsed.entries
    ]
    return dataclasses.replace(parsed, entries=entries)


# -- one worker -----------------------------------------------------------------------------


def _stderr() -> int | None:
    """Where a worker's stderr goes: the collector's own, unless that is not a real file (in
    the monitor, Textual replaces sys.stderr: nothing may land on the screen)."""
    try:
        return None if sys.stderr is not None and sys.stderr.fileno() >= 0 else subprocess.DEVNULL
    except (AttributeError, OSError, ValueError):
        return subprocess.DEVNULL


class _Worker:
    """One process and its socket; serves one task at a time, from one thread at a time.
    Started from a pool thread, which lives as long as the pool: the worker's death signal is
    tied to the thread that started it."""

    def __init__(self, memory: int | None):
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
        argv = [sys.executable, "-m", "feeds.worker_process"]
        argv += [str(theirs.fileno()), str(memory or 0), str(os.getpid())]
        try:
            self.process = subprocess.Popen(
                argv,
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=_stderr(),
                env=env,
            )
        finally:
            theirs.close()
        self.conn: Connection = Connection(ours.detach())

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, task: tuple[Any, ...], body: bytes, wall: float) -> tuple[str, Any, bool]:
        """(status, value, retire): ("ok", result) | ("error", exc) | ("memory", None) |
        ("timeout", None) | ("died", exit code) | ("unsent", None)."""
        from multiprocessing.connection import wait

        try:
            self.conn.send(task)
            self.conn.send_bytes(body)
        except (OSError, ValueError):
            return "unsent", None, True  # it died while idle: the task never reached it
        if not wait([self.conn], timeout=wall):
            self.kill()
            return "timeout", None, True
        try:
            status, value, retire = self.conn.recv()
        except (EOFError, OSError):
            code = self.wait()
            return ("timeout" if code == -signal.SIGXCPU else "died"), code, True
        return status, value, retire

    def wait(self, timeout: float = 5.0) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.returncode

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()


# -- the pool -------------------------------------------------------------------------------


class ParsePool:
    """`workers` processes at most (default: one per core), started on first use."""

    def __init__(
        self, workers: int = 0, *, deadline: float = 10.0, memory: int | None = 1_000_000_000
    ):
        self.size = workers or os.cpu_count() or 1
        self.deadline = deadline
        self.memory = memory
        self.started = 0
        """Worker processes started so far (a pass of only 304s leaves it at 0)."""
        self._idle: deque[_Worker] = deque()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._closed = False

    async def parse_and_tag(
        self,
        body: bytes,
        url: str,
        now: datetime,
        *,
        content_type: str | None = None,
        language: str | None = None,
        tagger: TaggerConfig | None = None,
    ) -> ParsedFeed:
        """`parse_and_tag` in a worker. Raises NotAFeed, ParseTimeout, WorkerDied, or what
        the parse raised."""
        kwargs = {"content_type": content_type, "language": language, "tagger": tagger}
        result: ParsedFeed = await self.run(parse_and_tag, body, url, now, **kwargs)
        return result

    async def run(self, func: Any, body: bytes, *args: Any, **kwargs: Any) -> Any:
        """`func(body, *args, **kwargs)` in a worker under the pool's limits. `func` must be
        importable by name (a module-level function); `body` travels as raw bytes."""
        if self._closed:
            raise RuntimeError("the parse pool is closed")
        if self._slots is None or self._threads is None:
            self._slots = asyncio.Semaphore(self.size)
            self._threads = ThreadPoolExecutor(self.size, thread_name_prefix="afmon-parse")
        task = (func, args, kwargs, self.deadline)
        async with self._slots:
            loop = asyncio.get_running_loop()
            status, value = await loop.run_in_executor(self._threads, self._call, task, body)
        if status == "ok":
            return value
        if status == "error":
            raise value
        if status == "timeout":
            raise ParseTimeout(f"parse took longer than {self.deadline:g} s")
        if status == "memory":
            limit = f"{self.memory / 1e6:,.0f} MB" if self.memory else "the available"
            raise WorkerDied(f"parse needed more than {limit} of memory")
        raise WorkerDied(f"parse worker died ({_describe(value)}) while reading this feed")

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._all if w.alive]

    def close(self) -> None:
        """Stop every worker (idle ones get EOF, busy ones are killed). Idempotent."""
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
            self._idle.clear()
        for worker in workers:
            worker.kill()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)

    # -- a thread per task in flight ----------------------------------------------------------
    def _call(self, task: tuple[Any, ...], body: bytes) -> tuple[str, Any]:
        wall = self.deadline * 4 + 5
        for attempt in range(2):
            worker = self._take()
            status, value, retire = worker.call(task, body, wall)
            if status == "unsent" and attempt == 0:
                self._drop(worker)  # killed between tasks: a fresh one gets the task
                continue
            if status in ("ok", "error") and not retire:
                with self._lock:
                    if not self._closed:
                        self._idle.append(worker)
                        return status, value
            self._drop(worker)
            return status, value
        return "died", None

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                self._all.discard(worker)
                worker.close()
            if self._closed:
                raise RuntimeError("the parse pool is closed")
        worker = _Worker(self.memory)
        with self._lock:
            self._all.add(worker)
            self.started += 1
        return worker

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.close()  # a retiring worker exits on its own; EOF tells any other one
        if worker.wait(5) is None:
            worker.kill()


def _describe(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit status {code}"
