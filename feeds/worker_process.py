"""One parse worker process: `python -m feeds.worker_process FD MEMORY PARENT_PID`.

Started by feeds/workers.py (never by hand). It talks to the collector over the socket FD
(multiprocessing.connection framing): a pickled header `(func, args, kwargs, deadline)`, then
the document as raw bytes; it answers `(status, value, retire)`. Before each task it sets its
soft RLIMIT_CPU to the CPU time it has used plus the deadline, so the kernel ends it with
SIGXCPU when a document takes longer, even inside C code that holds the GIL. Its address
space is capped (RLIMIT_AS) at MEMORY bytes (0: no cap). It asks Linux to SIGKILL it when
the collector dies (PR_SET_PDEATHSIG), so no worker outlives the collector, even a
collector killed with SIGKILL while the worker is deep in a regular expression.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import resource
import signal
import sys
import warnings
from multiprocessing.connection import Connection
from typing import Any

_PR_SET_PDEATHSIG = 1
_MISMATCH = "the parse worker cannot read its task: was afmon upgraded while running? restart it"
RETIRE_GROWTH = 32 << 20
"""A worker whose peak RSS grew this much (one huge document) retires after answering: the
memory a Python process has touched is rarely given back, and an idle worker should not
keep it."""


def _die_with_parent(parent: int) -> None:
    """SIGKILL when the collector's thread that started us ends; exit now if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the collector died before the request took effect
        os._exit(0)


def _limit(memory: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the collector's to handle
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU must not leave core files
    if memory:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes


def _warm() -> None:
    """Import the parser and build the default tagger before the first task, so its CPU
    deadline is spent on the document, not on start-up."""
    from feeds import parse_task

    with contextlib.suppress(Exception):  # a broken data file: each task reports it
        parse_task.parse_and_tag(b"<rss version='2.0'><channel/></rss>", "http://x/", _now())


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _answer(conn: Connection, reply: tuple[str, Any, bool]) -> None:
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("memory", None, True))
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
        conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), reply[2]))


def serve(fd: int, memory: int, parent: int) -> None:
    _die_with_parent(parent)
    _limit(memory)
    warnings.simplefilter("ignore")  # nothing a worker says belongs on the collector's terminal
    conn = Connection(fd)
    _warm()
    baseline = _peak_rss()
    _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    while True:
        try:
            header = conn.recv_bytes()
            body = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the collector closed the socket: done
        try:
            func, args, kwargs, deadline = pickle.loads(header)
        except Exception as exc:  # noqa: BLE001 - names code this interpreter does not have
            # The collector's code and this worker's differ (afmon upgraded under a running
            # monitor): say so on the feed's row rather than die unexplained, and retire.
            reason = f"{type(exc).__name__}: {exc}"
            with contextlib.suppress(OSError):
                _answer(conn, ("error", RuntimeError(f"{_MISMATCH} ({reason})"), True))
            return
        soft = math.ceil(_cpu_used() + deadline)
        if cpu_hard != resource.RLIM_INFINITY:
            soft = min(soft, cpu_hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, cpu_hard))
        try:
            reply: tuple[str, Any, bool] = ("ok", func(body, *args, **kwargs), False)
        except MemoryError:
            reply = ("memory", None, True)  # in any state now: replace it
        except Exception as exc:  # noqa: BLE001 - reported to the collector, which decides
            reply = ("error", exc, False)
        del body
        retire = reply[2] or _peak_rss() - baseline > RETIRE_GROWTH
        try:
            _answer(conn, (reply[0], reply[1], retire))
        except OSError:
            return  # the collector is gone: nobody to tell
        if retire:
            return


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
