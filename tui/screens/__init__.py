"""One module per screen (Frogmouth's layout)."""
