"""afmon's core: the leaf every other layer may import, and which imports nothing of ours.

The fixed vocabulary (`vocab`), the config models (`config`, `config_edit`), the one door for
untrusted text (`sanitize`), text folding for matching (`textnorm`) and durations
(`durations`).
"""

__version__ = "0.1.0"
HOME_URL = "https://github.com/afmon/afmon"
USER_AGENT = f"afmon/{__version__} (+{HOME_URL})"
