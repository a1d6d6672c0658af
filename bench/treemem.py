"""Peak memory of a whole process tree, sampled while it runs.

afmon parses in worker processes, so the collector's own `ru_maxrss` (or `wait4`'s) misses
most of what a collect costs. `TreeSampler` polls a process and all its descendants every
`interval` seconds from a thread and keeps the peak of two sums:

- RSS: resident pages of every process, added up. Pages shared between a forkserver and the
  workers it forked are counted once per process, so this overstates the tree; it is the
  figure the goals are judged on (the conservative one).
- PSS: each shared page divided among the processes sharing it: what the tree really holds.

Used by bench/ and by the hostile tests (tests load it with tests/benchmods.py), so what the
bench reports and what the tests assert is measured by one piece of code.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class TreePeak:
    rss_mb: float
    """Peak of the summed RSS of the process and its descendants."""
    pss_mb: float
    """Peak of the summed PSS (0 where the kernel does not report it)."""
    processes: int
    """Most processes seen in the tree at once."""
    samples: int


class TreeSampler:
    """with TreeSampler(pid) as s: ...; s.peak -> TreePeak. Sampling stops at exit, or when
    the root process is gone."""

    def __init__(
        self, pid: int, interval: float = 0.02, pss: bool = True, exclude: tuple[int, ...] = ()
    ):
        """`exclude`: processes (with their descendants) that are in the tree but not the
        subject's, e.g. a benchmark's own server child."""
        import psutil

        self._psutil = psutil
        self.root = psutil.Process(pid)
        self.interval = interval
        self.pss = pss
        self.exclude = set(exclude)
        for pid in exclude:
            with contextlib.suppress(psutil.Error):
                self.exclude.update(p.pid for p in psutil.Process(pid).children(recursive=True))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-sampler", daemon=True)
        self._rss = self._pss = 0
        self._procs = self._samples = 0
        self.per_process: dict[int, float] = {}
        """Peak RSS in MB of every process seen, by pid."""

    def __enter__(self) -> TreeSampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak(self) -> TreePeak:
        return TreePeak(self._rss / 2**20, self._pss / 2**20, self._procs, self._samples)

    def sample(self) -> bool:
        """One sample; False once the root process is gone."""
        psutil = self._psutil
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return False
        procs = [p for p in procs if p.pid not in self.exclude]
        rss = pss = 0
        for proc in procs:
            try:
                if self.pss:
                    full = proc.memory_full_info()
                    one = full.rss
                    pss += getattr(full, "pss", 0)
                else:
                    one = proc.memory_info().rss
                rss += one
                self.per_process[proc.pid] = max(self.per_process.get(proc.pid, 0.0), one / 2**20)
            except psutil.Error:  # exited between listing and reading: it holds nothing now
                continue
        self._rss, self._pss = max(self._rss, rss), max(self._pss, pss)
        self._procs = max(self._procs, len(procs))
        self._samples += 1
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if not self.sample():
                return
