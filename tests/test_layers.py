"""One direction of data, checked at run time as well as by the import contracts (import-linter
sees only import statements): loading every module below the UI loads no textual, no rich and
nothing of tui/ or afmon/, whatever the libraries underneath import."""

from __future__ import annotations

import subprocess
import sys


def test_layers_below_the_ui_load_no_textual_rich_or_ui_code():
    code = (
        "import sys, pkgutil, importlib, core, store, feeds, analysis\n"
        "for pkg in (core, store, feeds, analysis):\n"
        "    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(mod.name)\n"
        "top = ('textual', 'rich', 'tui', 'afmon')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in top)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_core_loads_nothing_of_ours_above_it():
    code = (
        "import sys, pkgutil, importlib, core\n"
        "for mod in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    importlib.import_module(mod.name)\n"
        "ours = ('store', 'feeds', 'analysis', 'tui', 'afmon')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ours)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
