"""First paint as the user sees it: from pressing Enter on `afmon --no-collect --db FILE` in a
real terminal to the dashboard's panes showing items.

    .venv/bin/python bench/firstpaint_tmux.py --db /tmp/afmon-1m.db [--runs 7] [--size 120x40]
        [--tree DIR --tree DIR2 ...]

A private tmux server (its own socket) runs a plain bash at the given size, in the repository
(so ./config.toml is the config, as for a user starting afmon there), with the venv's bin first
on PATH and PYTHONDONTWRITEBYTECODE unset, so bytecode is written once and then read from the
cache as on any normal install. The command line is typed without Enter; then the clock starts,
Enter is sent, and `tmux capture-pane` is polled until the screen holds the title of an item
the dashboard shows. The app's stderr is never redirected: Textual draws on it.

One warm-up run (writes the bytecode, warms the page cache) is not counted. Between runs the
app is quit with q and the prompt awaited. Printed: every run and the median, in ms, and the
CPU time the afmon process had used when its items appeared (all its threads, from
/proc/PID/stat): on a shared machine the wall time moves with the load, the CPU time much less.

`--tree DIR` (repeatable) runs afmon from another source tree (an export of another commit:
`git archive REV | tar -x -C DIR`) with PYTHONPATH=DIR, in DIR; with several, their runs
alternate, so a before/after comparison meets the same load. Default: this repository.
bench/make_db.py builds a database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOCKET = f"afmon-firstpaint-{os.getpid()}"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROMPT = "FP-READY$ "


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True)
    return done.stdout


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, condition, timeout: float, poll: float = 0.005) -> float:
    """Poll `condition(screen)` until true; the perf_counter time it became true."""
    deadline = time.monotonic() + timeout
    while True:
        text = screen(session)
        if condition(text):
            return time.perf_counter()
        if time.monotonic() > deadline:
            raise TimeoutError(f"screen never matched; last screen:\n{text}")
        time.sleep(poll)


def newest_titles(db: Path, limit: int = 2000) -> list[str]:
    """Beginnings of the newest titles: the panes show the newest items of their filters."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT title FROM items ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    finally:
        con.close()
    # Left-to-right titles only (a reordered Dari title is not its stored text), and only a
    # beginning: a narrow pane cuts the rest.
    return sorted(
        {t[:18] for (t,) in rows if t and t.isascii() and len(t) >= 18}, key=len, reverse=True
    )


def start_session(session: str, tree: Path | None, size: tuple[int, int]) -> None:
    """A bash at `size` in `tree` (default: this repository), afmon from that tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}"
    env["PS1"] = PROMPT
    env["TERM"] = "xterm-256color"
    env.pop("PYTHONPATH", None)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)  # ahead of the editable install's finder
    subprocess.run(
        [
            "tmux", "-L", SOCKET, "-f", "/dev/null",
            "new-session", "-d", "-s", session,
            "-x", str(size[0]), "-y", str(size[1]), "-c", str(tree or ROOT),
            "env", "-u", "PYTHONDONTWRITEBYTECODE", "bash", "--noprofile", "--norc",
        ],
        env=env,
        check=True,
    )  # fmt: skip
    tmux("set-option", "-t", session, "status", "off")
    wait_for(session, lambda s: PROMPT.strip() in s, 10)


def cpu_seconds(session: str) -> float | None:
    """CPU time (user + system, all threads) of the program the session's shell runs."""
    shell = tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip()
    try:
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        fields = Path(f"/proc/{children[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def one_run(
    session: str, command: str, titles: list[str], timeout: float
) -> tuple[float, float | None]:
    tmux("send-keys", "-t", session, "clear", "Enter")
    wait_for(session, lambda s: s.strip() == PROMPT.strip(), 10)
    tmux("send-keys", "-t", session, "-l", command)
    wait_for(session, lambda s: command in s, 10)
    started = time.perf_counter()
    tmux("send-keys", "-t", session, "Enter")
    painted = wait_for(session, lambda s: any(t in s for t in titles), timeout)
    cpu = cpu_seconds(session)
    tmux("send-keys", "-t", session, "q")
    wait_for(session, lambda s: s.rstrip().endswith(PROMPT.strip()), 30)
    return painted - started, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="120x40", help="terminal columns x rows")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--tree", type=Path, action="append", help="afmon from this tree")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"firstpaint_tmux: {args.db} does not exist (see bench/make_db.py)", file=sys.stderr)
        return 2
    if shutil.which("tmux") is None:
        print("firstpaint_tmux: tmux is not installed", file=sys.stderr)
        return 2
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    titles = newest_titles(args.db)
    command = f"afmon --no-collect --db {args.db.resolve()}"
    trees: list[Path | None] = [t.resolve() for t in args.tree] if args.tree else [None]
    names = [str(t or ROOT) for t in trees]
    sessions = [f"fp{n}" for n in range(len(trees))]
    walls: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in names}
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    try:
        for session, tree in zip(sessions, trees, strict=True):
            start_session(session, tree, (columns, rows))
            wall, _ = one_run(session, command, titles, args.timeout)
            print(f"{tree or ROOT}: warm-up (not counted) {wall * 1000:.0f} ms")
        for i in range(1, args.runs + 1):
            for session, name in zip(sessions, names, strict=True):
                wall, cpu = one_run(session, command, titles, args.timeout)
                walls[name].append(wall)
                if cpu is not None:
                    cpus[name].append(cpu)
                shown = f", cpu {cpu * 1000:.0f} ms" if cpu is not None else ""
                print(f"run {i} {name}: {wall * 1000:.0f} ms{shown}")
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], check=False, capture_output=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    for name in names:
        times = walls[name]
        cpu = f", cpu median {statistics.median(cpus[name]) * 1000:.0f} ms" if cpus[name] else ""
        print(
            f"first paint from Enter, {args.size}, {args.db.name}, {name}: median"
            f" {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms,"
            f" max {max(times) * 1000:.0f} ms over {len(times)} runs{cpu}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
