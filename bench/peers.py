"""The peers afmon is measured against: newsboat and lemon24 `reader`, run as subprocesses.

Imported by bench/run_all.py (the afmon venv) for the runners; also run as a script by the
reader venv's own interpreter (bench/.venv-reader) to drive `reader`:

    bench/.venv-reader/bin/python bench/peers.py reader --db r.sqlite --urls urls.txt --workers 8

so this module imports nothing from afmon and nothing outside the standard library at the
top. Every tool is timed the same way (`run_timed`): wall clock from process start to exit,
the peak RSS of that one process from `os.wait4`, and the peak of the whole process tree
(the process and every descendant, e.g. afmon's parse workers) sampled while it runs
(bench/treemem.py, psutil).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
READER_VENV = HERE / ".venv-reader"


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_rss_mb: float
    """The process alone (wait4)."""
    returncode: int
    stdout: str
    stderr: str
    tree_rss_mb: float = 0.0
    """Peak summed RSS of the process and its descendants, sampled every 20 ms."""
    tree_pss_mb: float = 0.0
    processes: int = 1
    cpu_s: float = 0.0
    """User + system CPU seconds of the process and every descendant it waited for (afmon's
    parse workers included): the figure a loaded machine moves least."""


def run_timed(
    argv: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 600.0,
) -> Timed:
    """Run `argv` to completion; wall seconds, peak RSS of that process and of its process
    tree, exit code, output."""
    from treemem import TreeSampler  # psutil: the afmon venv has it, the reader venv need not

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        timer = threading.Timer(timeout, lambda: os.kill(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            with TreeSampler(proc.pid) as sampler:
                _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        tree = sampler.peak
        proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not reap it again
        out.seek(0)
        err.seek(0)
        return Timed(
            seconds=seconds,
            peak_rss_mb=usage.ru_maxrss / 1024,  # Linux: kilobytes
            returncode=proc.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
            tree_rss_mb=max(tree.rss_mb, usage.ru_maxrss / 1024),
            tree_pss_mb=tree.pss_mb,
            processes=tree.processes,
            cpu_s=usage.ru_utime + usage.ru_stime,
        )


# -- newsboat ------------------------------------------------------------------------------


def ensure_newsboat(install_timeout: float = 300.0) -> tuple[str | None, str]:
    """The newsboat binary, installing it from the distribution when missing and root.
    Returns (path, "") or (None, reason it is skipped)."""
    found = shutil.which("newsboat")
    if found:
        return found, ""
    if not shutil.which("apt-get"):
        return None, "not installed and no apt-get here (install newsboat to compare)"
    if os.geteuid() != 0:
        return None, "not installed and not root (run `sudo apt-get install newsboat`)"
    print("bench: installing newsboat with apt-get ...", file=sys.stderr)
    try:
        done = subprocess.run(
            ["apt-get", "install", "-y", "-q", "newsboat"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=install_timeout,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"apt-get install newsboat took over {install_timeout:.0f} s"
    found = shutil.which("newsboat")
    if found:
        return found, ""
    tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
    return None, f"apt-get install newsboat failed ({done.returncode}): {tail[0]}"


def newsboat_version(binary: str) -> str:
    done = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    first = (done.stdout or "").splitlines()[:1]
    return first[0].split(" - ")[0].removeprefix("newsboat").strip() if first else "unknown"


class Newsboat:
    """`newsboat -x reload` over a urls file, with its own cache, config and HOME."""

    def __init__(self, binary: str, workdir: Path, urls: list[str], threads: int):
        self.binary = binary
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.urls = self.dir / "urls"
        self.urls.write_text("".join(f"{u}\n" for u in urls))
        self.config = self.dir / "config"
        # reload-threads: parallel fetches (the issue: = cores). Nothing else is tuned.
        self.config.write_text(f"reload-threads {threads}\n")
        self.cache = self.dir / "cache.db"
        self.env = {**os.environ, "HOME": str(self.dir), "XDG_CONFIG_HOME": str(self.dir)}

    def run(self, cold: bool) -> tuple[Timed, int]:
        if cold:
            for path in self.dir.glob("cache.db*"):
                path.unlink()
        timed = run_timed(
            [
                self.binary,
                "-x",
                "reload",
                "-u",
                str(self.urls),
                "-c",
                str(self.cache),
                "-C",
                str(self.config),
            ],
            cwd=self.dir,
            env=self.env,
        )
        return timed, self.items()

    def items(self) -> int:
        """Items in newsboat's cache: proof that the reload really stored everything."""
        try:
            with sqlite3.connect(self.cache) as db:
                return int(db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0])
        except sqlite3.Error:
            return 0


# -- reader ----------------------------------------------------------------------------------


def ensure_reader(venv: Path = READER_VENV, timeout: float = 300.0) -> tuple[Path | None, str]:
    """The reader venv's python, creating the venv and `pip install reader` on first use.
    Returns (python, "") or (None, reason it is skipped)."""
    python = venv / "bin" / "python"
    # reader vendors feedparser, which imports sgmllib (the sgmllib3k package on 3.x).
    check = [str(python), "-c", "import reader, sgmllib"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, ""
    print(f"bench: creating {venv} and installing reader ...", file=sys.stderr)
    base = getattr(sys, "_base_executable", sys.executable)
    try:
        subprocess.run(
            [base, "-m", "venv", str(venv)], capture_output=True, check=True, timeout=120
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "reader", "sgmllib3k"],
            capture_output=True,
            check=True,
            timeout=timeout,
        )
    except subprocess.CalledProcessError as exc:
        tail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return None, f"could not install reader: {tail[0]}"
    except subprocess.TimeoutExpired:
        return None, f"installing reader took over {timeout:.0f} s"
    if subprocess.run(check, capture_output=True).returncode != 0:
        return None, "reader installed but does not import"
    return python, ""


def reader_version(python: Path) -> str:
    done = subprocess.run(
        [str(python), "-c", "import reader; print(reader.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


class Reader:
    """lemon24 `reader` driven by this file's `reader` command in the reader venv."""

    def __init__(self, python: Path, workdir: Path, urls: list[str], workers: int):
        self.python = python
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.urls = self.dir / "urls"
        self.urls.write_text("".join(f"{u}\n" for u in urls))
        self.db = self.dir / "reader.sqlite"
        self.workers = workers

    def run(self, cold: bool) -> tuple[Timed, int]:
        if cold:
            for path in self.dir.glob("reader.sqlite*"):
                path.unlink()
        argv = [str(self.python), str(Path(__file__).resolve()), "reader"]
        argv += ["--db", str(self.db), "--urls", str(self.urls), "--workers", str(self.workers)]
        timed = run_timed(argv, cwd=self.dir)
        try:
            entries = int(json.loads(timed.stdout.strip().splitlines()[-1])["entries"])
        except (ValueError, KeyError, IndexError):
            entries = 0
        return timed, entries


def _reader_main(args: argparse.Namespace) -> int:
    """In the reader venv: add the feeds (first time) and update them all.

    Cold (fresh database): add every URL, `update_feeds(workers=N)`. Warm: the issue asks for a
    forced refresh, `update_feeds(scheduled=False, workers=N)`, which fetches every feed now
    whatever its schedule; reader still sends its stored ETag / Last-Modified."""
    from reader import make_reader

    reader = make_reader(str(args.db))
    try:
        known = {f.url for f in reader.get_feeds()}
        urls = [u.strip() for u in Path(args.urls).read_text().splitlines() if u.strip()]
        for url in urls:
            if url not in known:
                reader.add_feed(url)
        started = time.perf_counter()
        reader.update_feeds(scheduled=False, workers=args.workers)
        seconds = time.perf_counter() - started
        counts = reader.get_entry_counts()
        broken = sum(1 for f in reader.get_feeds(broken=True))
        print(json.dumps({"entries": counts.total, "broken": broken, "update_seconds": seconds}))
    finally:
        reader.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="drive a peer feed reader (bench internals)")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("reader", help="add the URLs and update every feed once")
    r.add_argument("--db", type=Path, required=True)
    r.add_argument("--urls", type=Path, required=True)
    r.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    return _reader_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
