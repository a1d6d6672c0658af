"""afmon: a terminal situation monitor for Afghanistan (the command line and the demo)."""

from core import HOME_URL, USER_AGENT, __version__

__all__ = ["HOME_URL", "USER_AGENT", "__version__"]
