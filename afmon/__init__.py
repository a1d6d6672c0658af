"""afmon: a terminal situation monitor for Afghanistan."""

__version__ = "0.1.0"
HOME_URL = "https://github.com/afmon/afmon"
USER_AGENT = f"afmon/{__version__} (+{HOME_URL})"
