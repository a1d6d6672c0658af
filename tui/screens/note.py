"""A small modal asking for one line of text (a note, an escalation reason)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.text import logical, safe_text


class NoteScreen(ModalScreen[str | None]):
    """Dismissed with the text typed (Enter) or None (Escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, title: str, value: str = "") -> None:
        super().__init__()
        self.heading = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(safe_text(self.heading, "bold"))
            # Logical order: what is typed here is saved as it stands.
            yield Input(value=logical(self.value), id="note-input", select_on_focus=False)
            yield Label(safe_text("Enter to save · Escape to cancel", "dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
