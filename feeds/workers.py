"""Parse and tag in worker processes, so that no document can stall the collector.

    pool = ParsePool(deadline=10.0, memory=1_000_000_000)      # starts nothing yet
    parsed = await pool.parse_and_tag(body, url, now, content_type=..., language=...,
                                      tagger=config.tagger)  # ParsedFeed, or raises
    pool.close()

`parse_and_tag(...)` (the module function) is the unit of work: bytes -> `ParsedFeed` with
every entry tagged. A worker runs it; anything else may call it in-process.

What a worker guarantees, and how:

- CPU deadline per document: before each task the worker sets its soft RLIMIT_CPU to the CPU
  time it has used plus the deadline, so the kernel ends it (SIGXCPU) when a document takes
  longer, even inside C code that holds the GIL (feedparser's regular expressions). CPU time,
  not wall time: two busy workers on a loaded machine do not fail good feeds. A wall-clock
  backstop (4x the deadline plus 5 s) covers a worker that hangs without using CPU. Either
  way: `ParseTimeout("parse took longer than 10 s")`, the worker is gone, the next task
  starts a new one.
- Memory ceiling: RLIMIT_AS. A document that inflates inside the parser raises MemoryError in
  the worker (reported, worker replaced) or gets it killed; never the collector.
- A worker killed from outside (the OOM killer, an operator) mid-parse: `WorkerDied`, and
  the pool replaces it.
- No worker outlives the collector, even after kill -9: on Linux each worker asks the kernel
  for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG). Its parent is the multiprocessing
  forkserver, which exits when the collector's end of its "alive" pipe closes, and the
  collector holds that end; elsewhere the CPU deadline ends a stuck worker.
- Lazy: no process exists until the first document arrives, so a pass of only 304s (or an
  unchanged body) starts none.

Start method: forkserver. The collector runs beside Textual's threads, and fork() of a
threaded process copies locks in whatever state other threads left them; the forkserver is a
fresh single-threaded interpreter that preloads feedparser and the tagger once, and every
worker is a cheap fork of it that shares those pages.

Why not concurrent.futures.ProcessPoolExecutor: one dead worker breaks the whole pool
(BrokenProcessPool), and it has no per-task deadline. pebble's ProcessPool replaces a worker
per task, but its timeouts are wall-clock and it brings three management threads; the CPU
limit, the death signal and the memory limit would still be ours. One pipe per worker and a
thread per task in flight is all this needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import signal
import sys
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from core.config import TaggerConfig
    from feeds.parse import ParsedFeed

log = logging.getLogger("afmon.workers")
# What the forkserver imports once, for every worker to share.
PRELOAD = ["feeds._forkserver"]
_PR_SET_PDEATHSIG = 1


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


# -- the worker process -----------------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent ends; exit now if it already has."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def _cpu_used() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _let_the_forkserver_go() -> None:
    """Close this worker's copies of the forkserver's "alive" pipe and of the resource
    tracker's pipe. multiprocessing hands both to every child it starts, and the forkserver
    (the tracker) only exits once every copy is closed: a worker holding one would keep its
    own parent alive after the collector's death, and so never get its death signal."""
    from multiprocessing import forkserver, resource_tracker

    server = getattr(forkserver, "_forkserver", None)
    tracker = getattr(resource_tracker, "_resource_tracker", None)
    for owner, name in ((server, "_forkserver_alive_fd"), (tracker, "_fd")):
        fd = getattr(owner, name, None)
        if isinstance(fd, int):
            with contextlib.suppress(OSError):
                os.close(fd)
            setattr(owner, name, None)


def _worker_main(conn: Connection, memory: int | None) -> None:
    import resource

    _let_the_forkserver_go()
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the collector's to handle
    # Everything a worker has to say goes back through its pipe. Its stdout and stderr are
    # the collector's terminal, which may be drawn by Textual: a stray warning must not land
    # on the screen.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU must not leave core files
    if memory:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    while True:
        try:
            func, args, kwargs, deadline = conn.recv()
        except (EOFError, OSError):
            return  # the collector closed the pipe: done
        soft = math.ceil(_cpu_used() + deadline)
        if cpu_hard != resource.RLIM_INFINITY:
            soft = min(soft, cpu_hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, cpu_hard))
        try:
            reply: tuple[str, Any] = ("ok", func(*args, **kwargs))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # noqa: BLE001 - reported to the collector, which decides
            reply = ("error", exc)
        try:
            _send(conn, reply)
        except OSError:
            return  # the collector is gone (its forkserver will follow): nobody to tell
        if reply[0] == "memory":
            return  # a worker that ran out of memory may be in any state: replace it


def _send(conn: Connection, reply: tuple[str, Any]) -> None:
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("memory", None))
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
        conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    """One process and its pipe; serves one task at a time, from one thread at a time."""

    def __init__(self, context: Any, memory: int | None):
        import multiprocessing

        ours, theirs = multiprocessing.Pipe(duplex=True)
        self.process: BaseProcess = context.Process(
            target=_worker_main, args=(theirs, memory), name="afmon-parse", daemon=True
        )
        self.process.start()
        theirs.close()
        self.conn = ours

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def call(self, task: tuple[Any, ...], wall: float) -> tuple[str, Any]:
        """("ok", result) | ("error", exc) | ("memory", None) | ("timeout", None) |
        ("died", exitcode) | ("unsent", None)."""
        from multiprocessing.connection import wait

        try:
            self.conn.send(task)
        except (OSError, ValueError):
            return "unsent", None  # it died while idle: the task never reached it
        ready = wait([self.conn, self.process.sentinel], timeout=wall)
        if not ready:
            self.kill()
            return "timeout", None
        if self.conn in ready:
            try:
                return self.conn.recv()
            except (EOFError, OSError):
                pass
        return self._ended()

    def _ended(self) -> tuple[str, Any]:
        self.process.join(5)
        code = self.process.exitcode
        if code == -signal.SIGXCPU:
            return "timeout", None
        return "died", code

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()


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

    # -- the collector's side ---------------------------------------------------------------
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
        return await self.run(parse_and_tag, body, url, now, **kwargs)

    async def run(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Run module-level `func(*args, **kwargs)` in a worker under the pool's limits."""
        if self._closed:
            raise RuntimeError("the parse pool is closed")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
            self._threads = ThreadPoolExecutor(self.size, thread_name_prefix="afmon-parse")
        task = (func, args, kwargs, self.deadline)
        async with self._slots:
            loop = asyncio.get_running_loop()
            status, value = await loop.run_in_executor(self._threads, self._call, task)
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
            return [w.process.pid for w in self._all if w.alive and w.process.pid]

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
    def _call(self, task: tuple[Any, ...]) -> tuple[str, Any]:
        wall = self.deadline * 4 + 5
        for attempt in range(2):
            worker = self._take()
            status, value = worker.call(task, wall)
            if status == "unsent" and attempt == 0:
                self._drop(worker)  # died while idle (killed between tasks): try a fresh one
                continue
            if status in ("ok", "error") and worker.alive:
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
        worker = _Worker(_context(), self.memory)
        with self._lock:
            self._all.add(worker)
            self.started += 1
        return worker

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()


def _describe(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit status {code}"


_CONTEXT: Any = None
_CONTEXT_LOCK = threading.Lock()


def _context() -> Any:
    """The forkserver context, with feedparser and the tagger preloaded (set once: the
    forkserver is one per process)."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            import multiprocessing

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _start_forkserver()
            _CONTEXT = context
        return _CONTEXT


def _start_forkserver() -> None:
    """Start the forkserver (and multiprocessing's resource tracker) now. Both hand
    `sys.stderr.fileno()` to the new process, and inside a Textual app sys.stderr is a capture
    object whose fileno is -1: give them /dev/null for the moment of the start instead."""
    from multiprocessing import forkserver

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        forkserver.ensure_running()
        return
    saved = sys.stderr
    with open(os.devnull, "w") as devnull:
        sys.stderr = devnull
        try:
            forkserver.ensure_running()
        finally:
            sys.stderr = saved
