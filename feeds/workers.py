"""Parse and tag in worker processes, so that no document can stall the collector.

    pool = ParsePool(deadline=10.0, memory=1_000_000_000)      # starts nothing yet
    parsed = await pool.parse_and_tag(body, url, now, content_type=..., language=...,
                                      extras=tagger_extras(config.tagger))  # or raises
    pool.close()

The unit of work is feeds/parse_task.py's `parse_and_tag`: bytes -> every entry tagged, in a
compact form of plain tuples that `expand` turns back into a `ParsedFeed` here.

What the pool guarantees (the worker's side is feeds/worker_process.py):

- CPU deadline per document (RLIMIT_CPU in the worker): a document that takes longer ends
  its worker, even inside C code that holds the GIL (feedparser's regular expressions). CPU
  time, not wall time: busy workers on a loaded machine do not fail good feeds. A wall-clock
  backstop (4x the deadline plus 5 s) covers a worker that hangs without using CPU: one that
  is still computing when it runs out is given another round (the CPU limit bounds it). Either
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
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from feeds.parse import ParsedFeed
    from feeds.parse_task import Prepare, TaggerExtras

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_BUSY_SHARE = 0.01
"""A worker that used less than this share of a core while the wall-clock backstop ran out
is taken to hang (it waits on something, not computing) and is killed."""

# The directory that holds the feeds package: a worker imports the same code as the collector.
_ROOT = str(Path(__file__).resolve().parent.parent)


class ParseTimeout(Exception):
    """The document took longer than the CPU deadline (message: "parse took longer than ...")."""


class WorkerDied(Exception):
    """The worker process ended while parsing (killed by a signal, out of memory ...)."""


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
        self.idle_since = time.monotonic()

    def cpu_seconds(self) -> float | None:
        """User + system CPU seconds the worker has used (Linux's /proc), else None."""
        try:
            with open(f"/proc/{self.process.pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            return None

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
        used = self.cpu_seconds()
        while not wait([self.conn], timeout=wall):
            # Still computing (a loaded machine gives it a small share of a core): the CPU
            # deadline, not the wall clock, decides. Idle for the whole wait: it hangs.
            now_used = self.cpu_seconds()
            if used is None or now_used is None or now_used - used < wall * _BUSY_SHARE:
                self.kill()
                return "timeout", None, True
            used = now_used
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
    """`workers` documents in parse at once, each in a worker process started on first use.
    Default (0): one per core beyond the first, at least one and at most four. The collector
    keeps a core for itself (fetching, writing, watch rules, stories all run there), and each
    worker holds ~40 MB: on two cores a second worker bought no wall time on a cold pass and
    cost 40 MB of the tree's peak.

    A slow document does not hold its place: once its worker has spent `slow_after` seconds
    of CPU on it it moves to a spare lane (`workers` more places) and the next document gets
    a worker of its own. CPU, not wall time: on a loaded machine every document is slow on
    the clock, and a second worker would only add its memory, not a core. So with one worker a document that takes seconds (a huge feed, one
    near the deadline) never makes the other feeds of the pass wait for it.

    Large documents (`large` bytes or more: tens of thousands of entries) parse one at a
    time: each takes a worker ~30 MB above its resting size and the collector as much again
    for its entries, so two at once would double the pass's peak memory for little time
    saved. Everyday feeds (tens of KB) never wait for them."""

    def __init__(
        self,
        workers: int = 0,
        *,
        deadline: float = 10.0,
        memory: int | None = 1_000_000_000,
        slow_after: float = 2.0,
        large: int = 1_000_000,
    ):
        self.size = workers or default_size()
        self.deadline = deadline
        self.memory = memory
        self.slow_after = slow_after
        self.large = large
        self.started = 0
        """Worker processes started so far (a pass of only 304s leaves it at 0)."""
        self._idle: deque[_Worker] = deque()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._spare: asyncio.Semaphore | None = None
        self._large: asyncio.Lock | None = None
        self._closed = False

    async def parse_and_tag(
        self,
        body: bytes,
        url: str,
        now: datetime,
        *,
        content_type: str | None = None,
        language: str | None = None,
        extras: TaggerExtras | None = None,
        prepare: Prepare | None = None,
    ) -> ParsedFeed:
        """feeds/parse_task.py's `parse_and_tag` in a worker, expanded. Raises NotAFeed,
        ParseTimeout, WorkerDied, or what the parse raised."""
        from feeds import parse_task

        kwargs: dict[str, Any] = {"content_type": content_type, "language": language}
        if extras is not None:
            kwargs["extras"] = extras
        if prepare is not None:
            kwargs["prepare"] = prepare
        # Expanded on the pool's thread, like the unpickling: 20,000 entries take a while, and
        # the event loop must not wait for them.
        parsed: ParsedFeed = await self.run(
            parse_task.parse_and_tag, body, url, now, then=parse_task.expand, **kwargs
        )
        return parsed

    async def run(
        self,
        func: Any,
        body: bytes,
        *args: Any,
        then: Callable[[Any], Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """`func(body, *args, **kwargs)` in a worker under the pool's limits. `func` must be
        importable by name (a module-level function); `body` travels as raw bytes. `then`,
        if given, turns the result into the value returned, on the pool's thread."""
        if self._closed:
            raise RuntimeError("the parse pool is closed")
        if self._slots is None or self._spare is None or self._threads is None:
            self._slots = asyncio.Semaphore(self.size)
            self._spare = asyncio.Semaphore(self.size)
            self._large = asyncio.Lock()
            self._threads = ThreadPoolExecutor(2 * self.size, thread_name_prefix="afmon-parse")
        if len(body) >= self.large and self._large is not None:
            async with self._large:
                return await self._run(func, body, args, kwargs, then)
        return await self._run(func, body, args, kwargs, then)

    async def _run(
        self,
        func: Any,
        body: bytes,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        then: Callable[[Any], Any] | None,
    ) -> Any:
        assert self._slots is not None and self._spare is not None
        task = (func, args, kwargs, self.deadline)
        slots, spare = self._slots, self._spare
        await slots.acquire()
        holding = slots
        try:
            loop = asyncio.get_running_loop()
            progress: list[tuple[_Worker, float | None]] = []
            call = loop.run_in_executor(self._threads, self._call, task, body, then, progress)
            # Every `slow_after` seconds a document still in parse asks for the spare lane
            # once it has used that much CPU (another slow one may hold it now and leave it
            # later).
            while holding is slots:
                done, _ = await asyncio.wait({call}, timeout=self.slow_after)
                if done:
                    break
                if _cpu_since(progress) < self.slow_after:
                    continue
                if not spare.locked():
                    await spare.acquire()  # free now: no wait between the check and this
                    slots.release()
                    holding = spare
            status, value = await call
        finally:
            holding.release()
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

    def idle_workers(self, older_than: float = 0.0) -> int:
        """How many workers have been idle for `older_than` seconds or more."""
        cutoff = time.monotonic() - older_than
        with self._lock:
            return sum(1 for w in self._idle if w.idle_since <= cutoff)

    def release(self, idle_for: float = 0.0) -> int:
        """Let workers idle for `idle_for` seconds or more exit; returns how many. The pool
        stays open: the next document starts a new worker. After a `--once` pass (so idle
        workers hold no memory while stories are clustered) and, in a long-running
        collector, for workers idle a minute or more."""
        cutoff = time.monotonic() - idle_for
        with self._lock:
            going = [w for w in self._idle if w.idle_since <= cutoff]
            self._idle = deque(w for w in self._idle if w.idle_since > cutoff)
            self._all.difference_update(going)
        for worker in going:
            worker.close()  # EOF: the worker returns from its loop and exits
        for worker in going:
            if worker.wait(5) is None:
                worker.kill()
        return len(going)

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
    def _call(
        self,
        task: tuple[Any, ...],
        body: bytes,
        then: Callable[[Any], Any] | None = None,
        progress: list[tuple[_Worker, float | None]] | None = None,
    ) -> tuple[str, Any]:
        status, value = self._exchange(task, body, progress)
        if status == "ok" and then is not None:
            try:
                value = then(value)
            except Exception as exc:  # noqa: BLE001 - raised to the caller like a worker's error
                return "error", exc
        return status, value

    def _exchange(
        self,
        task: tuple[Any, ...],
        body: bytes,
        progress: list[tuple[_Worker, float | None]] | None = None,
    ) -> tuple[str, Any]:
        wall = self.deadline * 4 + 5
        for attempt in range(2):
            worker = self._take()
            if progress is not None:
                progress.append((worker, worker.cpu_seconds()))
            status, value, retire = worker.call(task, body, wall)
            if status == "unsent" and attempt == 0:
                self._drop(worker)  # killed between tasks: a fresh one gets the task
                continue
            if status in ("ok", "error") and not retire:
                with self._lock:
                    if not self._closed:
                        worker.idle_since = time.monotonic()
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


def _cpu_since(progress: list[tuple[_Worker, float | None]]) -> float:
    """CPU seconds the worker now parsing a document has spent since it was handed it: 0
    before a worker has it, infinite where CPU time cannot be read (the wall clock decides)."""
    if not progress:
        return 0.0
    worker, start = progress[-1]
    now = worker.cpu_seconds()
    if start is None or now is None:
        return float("inf")
    return now - start


def default_size(cores: int | None = None) -> int:
    """Parse workers for `cores` (default: this machine's): cores - 1, between 1 and 4."""
    cores = cores or os.cpu_count() or 1
    return max(1, min(cores - 1, 4))


def _describe(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit status {code}"
