"""First paint as the user sees it: from pressing Enter on `afmon --no-collect --db FILE` in a
real terminal to the dashboard's panes showing items.

    .venv/bin/python bench/firstpaint_tmux.py --db /tmp/afmon-1m.db [--runs 7] [--size 120x40]

A private tmux server (its own socket) runs a plain bash at the given size, in the repository
(so ./config.toml is the config, as for a user starting afmon there), with the venv's bin first
on PATH and PYTHONDONTWRITEBYTECODE unset, so bytecode is written once and then read from the
cache as on any normal install. The command line is typed without Enter; then the clock starts,
Enter is sent, and `tmux capture-pane` is polled until the screen holds the title of an item
the dashboard shows. The app's stderr is never redirected: Textual draws on it.

One warm-up run (writes the bytecode, warms the page cache) is not counted. Between runs the
app is quit with q and the prompt awaited. Printed: every run and the median, in ms.
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
SESSION = "fp"
PROMPT = "FP-READY$ "


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True)
    return done.stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(condition, timeout: float, poll: float = 0.005) -> float:
    """Poll `condition(screen())` until true; the perf_counter time it became true."""
    deadline = time.monotonic() + timeout
    while True:
        text = screen()
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


def start_server(size: tuple[int, int]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}"
    env["PS1"] = PROMPT
    env["TERM"] = "xterm-256color"
    subprocess.run(
        [
            "tmux", "-L", SOCKET, "-f", "/dev/null", "new-session", "-d", "-s", SESSION,
            "-x", str(size[0]), "-y", str(size[1]), "-c", str(ROOT),
            "env", "-u", "PYTHONDONTWRITEBYTECODE", "bash", "--noprofile", "--norc",
        ],
        env=env,
        check=True,
    )  # fmt: skip
    tmux("set-option", "-t", SESSION, "status", "off")
    wait_for(lambda s: PROMPT.strip() in s, 10)


def one_run(command: str, titles: list[str], timeout: float) -> float:
    tmux("send-keys", "-t", SESSION, "clear", "Enter")
    wait_for(lambda s: s.strip() == PROMPT.strip(), 10)
    tmux("send-keys", "-t", SESSION, "-l", command)
    wait_for(lambda s: command in s, 10)
    started = time.perf_counter()
    tmux("send-keys", "-t", SESSION, "Enter")
    painted = wait_for(lambda s: any(t in s for t in titles), timeout)
    tmux("send-keys", "-t", SESSION, "q")
    wait_for(lambda s: s.rstrip().endswith(PROMPT.strip()), 30)
    return painted - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="120x40", help="terminal columns x rows")
    parser.add_argument("--timeout", type=float, default=60.0)
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
    start_server((columns, rows))
    try:
        warm = one_run(command, titles, args.timeout)
        print(f"warm-up (not counted): {warm * 1000:.0f} ms")
        times = []
        for i in range(1, args.runs + 1):
            elapsed = one_run(command, titles, args.timeout)
            times.append(elapsed)
            print(f"run {i}: {elapsed * 1000:.0f} ms")
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], check=False, capture_output=True)
    print(
        f"first paint from Enter, {args.size}, {args.db.name}: median"
        f" {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms,"
        f" max {max(times) * 1000:.0f} ms over {len(times)} runs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
