"""The terminal driver: Textual's LinuxDriver, made to end the app when the terminal goes away
or the process is told to stop.

Textual's driver assumes its terminal outlives the app. Closing the terminal (an SSH drop, a
closed window, `tmux kill-session`) while afmon runs under `make demo` shows why that fails:
the kernel sends SIGHUP only to the session leader (make), which waits for its child, and
afmon is left with a hung-up tty. Its input thread's select() then reports the tty readable,
read() returns b"" and the loop spins at full CPU; the writer thread dies on the first EIO,
its queue (30 writes) fills, and the event loop blocks in `Queue.put` for good, so not even
SIGTERM gets handled.

`HangupDriver` changes three things:

- writes to a terminal that is gone are dropped, so the writer thread lives and the event loop
  never blocks on its queue;
- a watcher thread sleeps in poll() on the input tty until the kernel reports the hang-up
  (POLLHUP: no CPU while the terminal lives), then stops the input thread and asks the app to
  exit;
- SIGHUP and SIGTERM ask the app to exit the ordinary way (screens unmount, the collector
  stops, the demo removes its temporary files), with return code 128 + signal.

Each of them also arms a backstop: if the process is still alive `DEADLINE` seconds later
(a thread stuck in a system call), it exits there and then.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver

DEADLINE = 1.5  # seconds from hang-up or signal to a forced exit; the issue allows 2
STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
HANGUP_CODE = 128 + signal.SIGHUP


class _TerminalOut:
    """The driver's output file; once a write fails (EIO on a hung-up tty), writes are
    dropped and `on_dead` is called once."""

    def __init__(self, file: IO[str], on_dead: Any) -> None:
        self._file = file
        self._on_dead = on_dead
        self.dead = False

    def _failed(self) -> None:
        if not self.dead:
            self.dead = True
            self._on_dead()

    def write(self, text: str) -> int:
        if self.dead:
            return len(text)
        try:
            return self._file.write(text)
        except (OSError, ValueError):
            self._failed()
            return len(text)

    def flush(self) -> None:
        if self.dead:
            return
        try:
            self._file.flush()
        except (OSError, ValueError):
            self._failed()

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return not self.dead and self._file.isatty()


class HangupDriver(LinuxDriver):
    """LinuxDriver that ends the app on a hang-up, SIGHUP or SIGTERM (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._file = _TerminalOut(self._file, self._hung_up)  # type: ignore[assignment]
        self._stopping = threading.Event()
        self._previous: dict[int, Any] = {}
        self._watcher: threading.Thread | None = None

    # -- start and stop --------------------------------------------------------------------
    def start_application_mode(self) -> None:
        super().start_application_mode()
        self._stopping.clear()  # again after a suspend (ctrl+z) and resume
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._on_signal)
        if self.input_tty:
            self._watcher = threading.Thread(
                target=self._watch_tty, name="afmon-hangup-watch", daemon=True
            )
            self._watcher.start()

    def stop_application_mode(self) -> None:
        self._stopping.set()
        for signum, previous in self._previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signum, previous)
        self._previous.clear()
        super().stop_application_mode()

    # -- what ends the app -----------------------------------------------------------------
    def _watch_tty(self) -> None:
        poller = select.poll()
        # No events asked for: poll() still reports POLLHUP/POLLERR/POLLNVAL, and only those.
        poller.register(self.fileno, 0)
        while not self._stopping.is_set():
            try:
                ready = poller.poll(500)
            except OSError:
                ready = [(self.fileno, select.POLLNVAL)]
            if ready:
                self._hung_up()
                return

    def _hung_up(self) -> None:
        """The terminal is gone: stop reading it (the input thread would spin on EOF) and
        end the app."""
        self.exit_event.set()
        self._end(HANGUP_CODE)

    def _on_signal(self, signum: int, frame: object) -> None:
        self._end(128 + signum)

    def _end(self, code: int) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        backstop = threading.Timer(DEADLINE, os._exit, (code,))
        backstop.daemon = True
        backstop.start()
        with contextlib.suppress(RuntimeError):  # the loop already closed: exiting anyway
            self._loop.call_soon_threadsafe(self._exit_app, code)

    def _exit_app(self, code: int) -> None:
        self._app.exit(return_code=code)
