"""One direction of data: store/ and feeds/ never import textual (or the UI)."""

from __future__ import annotations

import subprocess
import sys


def test_core_packages_do_not_import_textual():
    code = (
        "import sys, pkgutil, importlib, store, feeds\n"
        "for pkg in (store, feeds):\n"
        "    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(mod.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'tui')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
