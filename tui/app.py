"""The afmon App: modes (one per screen), global keys, the collector worker, the alert and
config pollers and the status line. Screens live in tui/screens/, widgets in tui/widgets/.

Every SQLite call runs in a thread worker; the next poll is scheduled with `set_timer` only once
the previous one finished (Dolphie), so polls never overlap. Worker failures become a
notification in one place: `report_worker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.driver import Driver
from textual.geometry import Size
from textual.notifications import Notification, Notify, SeverityLevel
from textual.signal import Signal
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from core.config import Config, ConfigError, load_config, reports_path
from store import ItemFilter, Store
from tui.commands import AfmonCommands
from tui.first_load import FirstLoad
from tui.messages import CollectorStopped, FeedDone
from tui.screens.dashboard import DashboardScreen
from tui.text import logical, plain, toast_text
from tui.widgets.status_line import Status

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.screens.alerts import AlertsScreen
    from tui.screens.items import ItemsScreen
    from tui.screens.map import MapScreen

Clock = Callable[[], datetime]
KEEP = object()  # update_item: leave the note as it is
CONFIG_POLL_SECONDS = 2.0
HISTORY = 50  # places escape can walk back through
ALERT_POLL_SECONDS = 2.0


# Below this size a toast (up to 60 columns, several rows) would sit on the panes: notices go
# to the status line instead, as a count and the latest one.
TOAST_MIN_SIZE = (100, 30)
BURST_SECONDS = 3.0  # a toast raised this soon after the last one joins it
NOTICES_KEPT = 200
_SEVERITY = {"information": 0, "warning": 1, "error": 2}


def _lazy(module: str, name: str) -> Callable[[], Screen]:
    """A mode's screen, its module imported when the mode is first shown: the first frame is
    the dashboard, and importing every screen before it cost ~40 ms of CPU at start."""

    def make() -> Screen:
        screen_class: Callable[[], Screen] = getattr(import_module(f"tui.screens.{module}"), name)
        return screen_class()

    return make


@dataclass
class Notice(Notification):
    """A toast that also keeps its text in logical order (`message` is wrapped and
    reordered for the toast), for the status line when toasts are held."""

    text: str = ""


@dataclass(frozen=True)
class Counts:
    """What the status line counts from the database: open alerts, escalated items and the
    feeds whose latest fetch failed."""

    alerts: int
    escalated: int
    failing: frozenset[int]


class AfmonApp(App[int]):
    CSS_PATH = "afmon.tcss"
    TITLE = "afmon"
    SUB_TITLE = "Afghanistan situation monitor"
    COMMANDS = App.COMMANDS | {AfmonCommands}
    MODES = {
        "dashboard": DashboardScreen,
        "items": _lazy("items", "ItemsScreen"),
        "provinces": _lazy("provinces", "ProvincesScreen"),
        "feeds": _lazy("feeds", "FeedsScreen"),
        "alerts": _lazy("alerts", "AlertsScreen"),
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        # A priority binding: handled before the keys after it are routed, so text typed
        # right after "/" reaches the filter, not the screen "/" leaves (see action_search).
        Binding("slash", "search", "Search", id="app.search", priority=True),
        Binding("d", "show('dashboard')", "Dashboard", id="app.dashboard"),
        Binding("i", "show('items')", "Items", id="app.items"),
        Binding("p", "show('provinces')", "Provinces", id="app.provinces"),
        Binding("F", "show('feeds')", "Feeds", id="app.feeds"),
        Binding("a", "show('alerts')", "Alerts", id="app.alerts"),
        Binding("m", "show('map')", "Map", id="app.map"),
        Binding("M", "mute_toasts", "Mute toasts", id="app.mute"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.commands", show=False),
        Binding("escape", "back", "Back", id="app.back", show=False),
    ]

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        collect: bool = True,
        config_path: Path | None = None,
        clock: Clock | None = None,
        first_load: FirstLoad | None = None,
    ) -> None:
        super().__init__()
        self.first_load = first_load  # the dashboard's first load, begun before the UI
        self.config = config
        self.store = store
        self.collect = collect
        self.config_path = Path(config_path) if config_path else None
        self._clock = clock
        self.started_at = self.now()
        self.start_max_id: int | None = None
        self.collector: Any = None
        self.status = Status(collecting=collect, zone=config.settings.zone)
        self._failing: set[int] = set()
        self.status_signal: Signal[Status] = Signal(self, "status")
        self.config_signal: Signal[Config] = Signal(self, "config")
        self.item_signal: Signal[int] = Signal(self, "item")
        self._stop: asyncio.Event | None = None
        self._started = False  # dashboard_ready ran
        self._alerts_seen: int | None = None
        self._config_mtime: float | None = None
        self._history: list[str] = []  # the modes escape goes back through
        self._going_back = False
        self.notices: deque[Notification] = deque(maxlen=NOTICES_KEPT)  # everything said
        self.toasts_muted = False
        self._held: list[Notification] = []  # said while muted or on a small screen
        self._burst: list[Notification] = []  # the notices the toast on screen stands for
        self._burst_toast: Notification | None = None
        # The map screen needs the store and the clock, so its mode is added per app.
        self.add_mode("map", self._map_screen)

    def _map_screen(self) -> MapScreen:
        from tui.screens.map import MapScreen

        return MapScreen(self.store, self.now)

    def get_driver_class(self) -> type[Driver]:
        # In a real terminal: the driver that ends the app on hang-up, SIGHUP and SIGTERM.
        # Anything else (TEXTUAL_DRIVER, textual-serve's web driver) stays as it is.
        from textual.drivers.linux_driver import LinuxDriver

        driver = super().get_driver_class()
        if driver is LinuxDriver:
            from tui.driver import HangupDriver

            return HangupDriver
        return driver

    # -- toasts: the one door ---------------------------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast, whoever raises it, passes here: the text is sanitised, never parsed as
        markup, and wrapped for the toast's width before right-to-left runs are reordered.
        Callers hand over text in logical order (never `plain`, which is reordered)."""
        notice = Notice(
            toast_text(message, self._toast_width()),
            title=plain(title, max_len=80),
            severity=severity,
            timeout=self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=False,
            text=logical(message, max_len=600),
        )
        self.post_message(Notify(notice))  # thread-safe, like App.notify

    def _on_notify(self, event: Notify) -> None:
        """Where every toast lands (on the app's loop, whichever thread raised it): kept in
        `notices`; held for the status line while muted or on a screen too small for toasts;
        joined to the toast on screen when it came within BURST_SECONDS of it."""
        event.prevent_default()  # App._on_notify would add it as it is
        notice = event.notification
        self.notices.append(notice)
        if self.toasts_muted or not self._toasts_fit():
            self._held.append(notice)
            self._show_held()
            return
        toast = self._burst_toast
        if (
            toast is not None
            and toast in self._notifications
            and (notice.raised_at - self._burst[-1].raised_at < BURST_SECONDS)
        ):
            self._unnotify(toast, refresh=False)
            self._burst.append(notice)
        else:
            self._burst = [notice]
        self._burst_toast = self._toast_for(self._burst)
        super()._on_notify(Notify(self._burst_toast))

    def _toast_for(self, notices: list[Notification]) -> Notification:
        """One toast standing for `notices`: the latest in full, and how many came before."""
        latest = notices[-1]
        if len(notices) == 1:
            return latest
        severity = max((n.severity for n in notices), key=_SEVERITY.__getitem__)
        earlier = len(notices) - 1
        titles = {n.title for n in notices}
        title = latest.title if len(titles) == 1 else "Notices"
        return Notification(
            f"{latest.message}\n(+{earlier} earlier: M mutes toasts)",
            title=plain(f"{title} ×{len(notices)}", max_len=80),
            severity=severity,
            timeout=max(n.timeout for n in notices),
            markup=False,
        )

    def _toasts_fit(self, size: Size | None = None) -> bool:
        width, height = size or self.size
        return width >= TOAST_MIN_SIZE[0] and height >= TOAST_MIN_SIZE[1]

    def _show_held(self) -> None:
        latest = self._held[-1] if self._held else None
        said = ""
        if latest is not None:
            text = latest.text if isinstance(latest, Notice) else latest.message
            said = " ".join([latest.title, *text.split()]).strip()
        self.set_status(held=len(self._held), held_last=said, muted=self.toasts_muted)

    def action_mute_toasts(self) -> None:
        """M: toasts off (the status line counts what was said) or on again (one toast for
        what was held, when the screen has room for it)."""
        self.toasts_muted = not self.toasts_muted
        if not self.toasts_muted:
            self._release_held()
        self._show_held()

    def _release_held(self, size: Size | None = None) -> None:
        if not self._held or not self._toasts_fit(size):
            return
        held, self._held = self._held, []
        self._burst = held
        self._burst_toast = self._toast_for(held)
        super()._on_notify(Notify(self._burst_toast))

    def on_resize(self, event: events.Resize) -> None:
        # Grown to a size with room for toasts: what was held is one toast now. (self.size
        # follows the event only later.)
        if not self.toasts_muted and self._held and self._toasts_fit(event.size):
            self._release_held(event.size)
            self._show_held()

    def _toast_width(self) -> int:
        # Textual's Toast: width 60, at most half the screen, padding 1 each side, a 1-cell
        # left border.
        return min(60, self.size.width // 2) - 3

    # -- time and state --------------------------------------------------------------------
    @property
    def zone(self) -> tzinfo:
        """The zone times are shown in (settings.timezone)."""
        return self.config.settings.zone

    def now(self) -> datetime:
        return self._clock() if self._clock else datetime.now(UTC)

    def set_status(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        self.status_signal.publish(self.status)

    def dashboard_ready(self) -> None:
        """The dashboard's first load is on screen (or failed): start the rest. Nothing
        competes with that first load for the two cores: the baseline, the pollers and the
        collector wait for it."""
        if self._started:
            return
        self._started = True
        self._baseline()
        if self.collect:
            self._stop = asyncio.Event()
            self.run_collector()
        if self.config_path is not None:
            self._poll_config()

    async def on_unmount(self) -> None:
        if self._stop is not None:
            self._stop.set()

    # -- actions ---------------------------------------------------------------------------
    def action_show(self, mode: str) -> None:
        # From a pushed screen (item detail, help) go back to the mode's base screen first.
        if self.current_mode == mode:
            while len(self.screen_stack) > 1:
                self.pop_screen()
        else:
            self.switch_mode(mode)

    def switch_mode(self, mode: str) -> AwaitComplete:
        # Every way to another screen passes here (keys, palette, Enter on a pane or the
        # map): remember where we were, so escape can go back there.
        if mode != self.current_mode and not self._going_back:
            self._history.append(self.current_mode)
            del self._history[:-HISTORY]
        return super().switch_mode(mode)

    def action_back(self) -> None:
        """Escape: close a pushed screen (detail, help), else go back to the previous place."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
            return
        while self._history and self._history[-1] == self.current_mode:
            self._history.pop()
        if not self._history:
            return
        self._going_back = True
        try:
            self.switch_mode(self._history.pop())
        finally:
            self._going_back = False

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_search(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            focused.insert_text_at_cursor("/")  # "/" typed in a text field is text
            return
        screen = await self._items_screen()
        # set_focus now, not focus() (which waits for the queue): the keys already queued
        # behind "/" are routed to whatever has the focus when their turn comes.
        screen.set_focus(screen.query_one("#filter", Input))

    async def _items_screen(self) -> ItemsScreen:
        from tui.screens.items import ItemsScreen

        if self.current_mode != "items":
            await self.switch_mode("items")
        while len(self.screen_stack) > 1:
            self.pop_screen()
        screen = self.screen
        assert isinstance(screen, ItemsScreen)
        return screen

    async def open_items(self, flt: ItemFilter, text: str) -> None:
        """Show the items screen filtered by `flt` (its query text shown in the filter bar)."""
        screen = await self._items_screen()
        screen.apply_filter(flt, text)

    async def open_query(self, text: str) -> None:
        screen = await self._items_screen()
        screen.run_query(text)

    async def on_map_screen_filter_province(self, message: MapScreen.FilterProvince) -> None:
        from core.vocab import COUNTRIES, PROVINCES

        # The map's time window comes along: the items are the ones the map counted.
        name = {**PROVINCES, **COUNTRIES}.get(message.code, message.code)
        await self.open_query(f'province:"{name}" since:{message.window}')

    def open_item(self, item_id: int) -> None:
        from tui.screens.detail import DetailScreen

        self.push_screen(DetailScreen(item_id))

    def item_changed(self, item_id: int) -> None:
        self.item_signal.publish(item_id)

    def update_item(
        self,
        item_id: int,
        *,
        read: bool | None = None,
        flagged: bool | None = None,
        note: str | None | object = KEEP,
        escalation: str | None | object = KEEP,
        acknowledged: bool | None = None,
    ) -> None:
        """Change an item's state in a thread; screens refresh via item_signal. `escalation`:
        a reason (str) escalates, None withdraws the escalation; `acknowledged` True/False.
        Each state is its own: none of them touches another, or the note."""
        if self.refuse_write():
            return
        self._write_item(item_id, read, flagged, note, escalation, acknowledged)

    @work(thread=True, exit_on_error=False, group="item-write", name="item-write")
    def _write_item(
        self,
        item_id: int,
        read: bool | None,
        flagged: bool | None,
        note: str | None | object,
        escalation: str | None | object,
        acknowledged: bool | None,
    ) -> int:
        store = self.store
        if read is not None:
            store.set_read(item_id, read)
        if flagged is not None:
            store.set_flagged(item_id, flagged)
        if note is not KEEP:
            store.set_note(item_id, note)  # type: ignore[arg-type]
        if escalation is None:
            store.withdraw_escalation(item_id)
        elif escalation is not KEEP:
            store.escalate(item_id, escalation, self.now())  # type: ignore[arg-type]
        if acknowledged is not None:
            store.acknowledge(item_id, acknowledged, self.now())
        return item_id

    @property
    def read_only(self) -> bool:
        """A viewer (--no-collect): the database is open read-only and is never written."""
        return bool(getattr(self.store, "readonly", False))

    def refuse_write(self) -> bool:
        """True (and say so) when this is a read-only viewer: the caller must not write."""
        if self.read_only:
            self.notify(
                "read-only viewer (--no-collect): nothing is saved; run afmon without"
                " --no-collect to mark, flag, escalate or acknowledge",
                severity="warning",
            )
        return self.read_only

    def report_directory(self) -> Path:
        """Where the handover and the sitrep are written (settings.reports)."""
        return reports_path(self.config)

    def action_handover(self) -> None:
        self._write_handover(self.report_directory())

    def action_sitrep(self) -> None:
        self.notify("building the sitrep…", title="Sitrep", markup=False, timeout=3)
        self._write_sitrep(self.report_directory())

    @work(thread=True, exclusive=True, exit_on_error=False, group="sitrep", name="sitrep")
    def _write_sitrep(self, directory: Path) -> Path:
        from tui.sitrep import write_sitrep

        return write_sitrep(self.store, self.config, self.now(), directory)

    @work(thread=True, exclusive=True, exit_on_error=False, group="handover", name="handover")
    def _write_handover(self, directory: Path) -> Path:
        from tui.handover import write_handover

        start = self.start_max_id if self.start_max_id is not None else self.store.max_item_id()
        return write_handover(self.store, self.started_at, start, self.now(), directory, self.zone)

    def refresh_feed(self, feed_id: int | None) -> bool:
        """Ask the collector to fetch one feed (or all) now; False when it is not running."""
        if self.collector is None:
            self.notify("The collector is not running (--no-collect).", severity="warning")
            return False
        self.collector.request_refresh(feed_id)
        return True

    # -- workers: one place turns failures into notifications ------------------------------
    def report_worker(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            name = event.worker.name or "worker"
            self.notify(
                logical(f"{name} failed: {type(error).__name__}: {error}", max_len=300),
                title="Error",
                severity="error",
                markup=False,
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker(event)
        if not event.worker.is_finished or event.state == WorkerState.CANCELLED:
            return
        name = event.worker.name
        result = event.worker.result if event.state == WorkerState.SUCCESS else None
        if name == "item-write" and result is not None:
            self.item_changed(result)
            self._count_states()
        elif name == "states" and result is not None:
            self._apply_counts(result)
        elif name == "handover" and result is not None:
            self.notify(f"handover written: {result}", title="Handover", markup=False)
        elif name == "sitrep" and result is not None:
            self.notify(f"sitrep written: {result}", title="Sitrep", markup=False)
        elif name == "baseline":
            if result is not None:
                self.start_max_id, self._alerts_seen, counts = result
                self._apply_counts(counts)
            self.set_timer(ALERT_POLL_SECONDS, self._poll_alerts)
        elif name == "alerts":
            if result is not None:
                fresh, counts = result
                self._apply_counts(counts)
                if fresh:
                    self._announce(fresh)
            self.set_timer(ALERT_POLL_SECONDS, self._poll_alerts)
        elif name == "config-watch":
            if result is not None:
                self._config_result(result)
            self.set_timer(CONFIG_POLL_SECONDS, self._poll_config)

    @work(thread=True, exclusive=True, exit_on_error=False, group="baseline", name="baseline")
    def _baseline(self) -> tuple[int, int, Counts]:
        return self.store.max_item_id(), self.store.max_alert_id(), self._counts()

    # -- alerts and escalations --------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="alerts", name="alerts")
    def _poll_alerts(self) -> tuple[list[tuple[str, str]], Counts]:
        """New alerts to announce, and the status line's counts."""
        store = self.store
        seen = self._alerts_seen or 0
        fresh = [a for a in store.alerts(limit=50) if a.id > seen]
        out = []
        for alert in sorted(fresh, key=lambda a: a.id):
            item = store.get_item(alert.item_id) if alert.item_id else None
            out.append((alert.rule, item.title if item else alert.message))
            self._alerts_seen = max(self._alerts_seen or 0, alert.id)
        return out, self._counts()

    def _counts(self) -> Counts:
        store, settings = self.store, self.config.settings
        failing = frozenset(
            f.id
            for f in store.feeds(self.now(), silent_after=settings.silent_after)
            if f.enabled and f.status == "error"
        )
        return Counts(store.open_alerts(), store.count_items(ItemFilter(escalated=True)), failing)

    def _apply_counts(self, counts: Counts) -> None:
        # The database is the truth (a restart, another collector); FeedDone only keeps the
        # count current between two polls.
        self._failing = set(counts.failing)
        self.set_status(
            alerts=counts.alerts, escalated=counts.escalated, failures=len(self._failing)
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="states", name="states")
    def _count_states(self) -> Counts:
        return self._counts()

    def alerts_changed(self) -> None:
        """Alerts were acknowledged or dismissed: recount them for the status line."""
        self._count_states()

    def _announce(self, alerts: list[tuple[str, str]]) -> None:
        settings = self.config.settings
        # A burst (a first collect of the day's backlog) is one toast, not a wall of them.
        rule, title = alerts[-1]
        latest = logical(f"{rule}: {title}", max_len=300)
        if len(alerts) == 1:
            self.notify(latest, title="Alert", severity="warning", timeout=15, markup=False)
        else:
            self.notify(
                f"{len(alerts)} new alerts: press a to see them all. Latest: {latest}",
                title="Alerts",
                severity="warning",
                timeout=15,
                markup=False,
            )
        for rule, title in alerts:
            if settings.notify_command:
                self._run_notify_command(
                    [*settings.notify_command, logical(f"{rule}: {title}", max_len=300)]
                )
        if settings.bell:
            self.bell()
        for screen in self._alerts_screens():
            screen.reload()

    def _alerts_screens(self) -> list[AlertsScreen]:
        from tui.screens.alerts import AlertsScreen

        return [
            s
            for stack in self._screen_stacks.values()
            for s in stack
            if isinstance(s, AlertsScreen)
        ]

    @work(thread=True, exit_on_error=False, group="notify-command", name="notify-command")
    def _run_notify_command(self, argv: list[str]) -> None:
        # Never through a shell; the alert text is one argv element.
        subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )

    # -- saved queries ---------------------------------------------------------------------
    def save_query(self, name: str, query: str, pane: bool = False) -> None:
        if self.config_path is None:
            self.notify(
                "no config file to save to: start afmon with --config PATH",
                severity="warning",
                markup=False,
            )
            return
        self._save_query(name, query, pane)

    @work(thread=True, exclusive=True, exit_on_error=False, group="config", name="save-query")
    def _save_query(self, name: str, query: str, pane: bool) -> None:
        from core.config_edit import save_query

        assert self.config_path is not None
        try:
            config = save_query(self.config_path, name, query, pane)
        except ConfigError as exc:
            self.call_from_thread(self._config_result, exc, "query not saved")
            return
        except OSError as exc:
            self.call_from_thread(
                self.notify, f"query not saved: {exc}", severity="error", markup=False
            )
            return
        # This write is ours: apply it now rather than on the next mtime poll.
        with contextlib.suppress(OSError):
            self._config_mtime = self.config_path.stat().st_mtime_ns
        self.call_from_thread(self._config_result, config, f"query saved: {name}")

    # -- config reload ---------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="config", name="config-watch")
    def _poll_config(self) -> Config | ConfigError | None:
        assert self.config_path is not None
        try:
            mtime = self.config_path.stat().st_mtime_ns
        except OSError:
            return None
        if self._config_mtime is None:
            self._config_mtime = mtime
            return None
        if mtime == self._config_mtime:
            return None
        self._config_mtime = mtime
        try:
            return load_config(self.config_path)
        except ConfigError as exc:
            return exc

    def _config_result(self, result: Config | ConfigError, done: str = "config reloaded") -> None:
        if isinstance(result, ConfigError):
            errors = "\n".join(logical(e, max_len=200) for e in result.errors[:8])
            why = done if done != "config reloaded" else "config not reloaded"
            self.notify(
                f"{why}, keeping the old config:\n{errors}",
                title="Config error",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        previous, self.config = self.config, result
        self.set_status(zone=result.settings.zone)
        self.config_signal.publish(result)
        said, restart = self._apply_feeds(previous, result)
        if restart:
            said.append(f"restart afmon to apply {', '.join(restart)}")
        self.notify(
            logical(" — ".join([done, *said])),
            severity="warning" if restart else "information",
            markup=False,
        )

    def _apply_feeds(self, old: Config, new: Config) -> tuple[list[str], list[str]]:
        """Hand a reloaded config to the running collector. Returns what to say about the
        feeds, and the settings (key paths) only a restart applies."""
        added = len({f.url for f in new.feeds} - {f.url for f in old.feeds})
        removed = len({f.url for f in old.feeds} - {f.url for f in new.feeds})
        restart: list[str] = []
        if self.collector is not None:
            from analysis.pipeline import collector_hooks

            restart = self.collector.reconfigure(new, collector_hooks(self.store, new.watch))
        elif new.settings.database != old.settings.database:
            restart = ["settings.database"]
        if not (added or removed):
            return [], restart
        feeds = f"feeds: {added} added, {removed} removed"
        if self.collect:
            return [f"{feeds}, collected from now on"], restart
        return [f"{feeds}; this viewer (--no-collect) collects nothing"], restart

    # -- the collector ---------------------------------------------------------------------
    @work(exclusive=True, exit_on_error=False, group="collector", name="collector")
    async def run_collector(self) -> None:
        from analysis.pipeline import collector_hooks
        from feeds.collect import Collector

        assert self._stop is not None
        collector = Collector(
            self.config,
            self.store,
            hooks=collector_hooks(self.store, self.config.watch),
            on_feed_done=self._feed_done,
        )
        self.collector = collector
        self.set_status(running=True)
        ticker = self.set_interval(1.0, self._collector_status)
        try:
            await collector.run_forever(self._stop)
        finally:
            ticker.stop()
            self.collector = None
            await collector.aclose()
            self.post_message(CollectorStopped())

    def _feed_done(self, result: Any) -> None:
        # May be called from the collector's threads: post_message is thread-safe.
        self.post_message(FeedDone(result))

    def on_feed_done(self, message: FeedDone) -> None:
        # "N failing" counts feeds whose latest fetch failed, not the failures of the last
        # batch: in watch mode batches are a few due feeds, and the count would flicker.
        result = message.result
        if result.status == "error":
            self._failing.add(result.feed_id)
        else:
            self._failing.discard(result.feed_id)
        self.set_status(
            feeds_done=self.status.feeds_done + 1,
            last_collect=self.now(),
            failures=len(self._failing),
        )

    def on_collector_stopped(self, message: CollectorStopped) -> None:
        self.set_status(running=False)

    def _collector_status(self) -> None:
        collector = self.collector
        if collector is None:
            return
        changes: dict[str, Any] = {"running": collector.running, "next_collect": collector.next_due}
        if any(getattr(self.status, k) != v for k, v in changes.items()):
            self.set_status(**changes)


def make_app(
    config: Config,
    store: Store,
    *,
    collect: bool = True,
    config_path: Path | None = None,
    clock: Clock | None = None,
    first_load: FirstLoad | None = None,
) -> AfmonApp:
    """The one factory the CLI (`afmon`, `afmon demo`, `afmon serve`) and the tests use."""
    return AfmonApp(
        config, store, collect=collect, config_path=config_path, clock=clock, first_load=first_load
    )
