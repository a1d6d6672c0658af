"""The `afmon` dispatcher: global flags, lazy command loading, clean usage errors."""

from __future__ import annotations

import json
import subprocess
import sys


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "afmon", *args], capture_output=True, text=True, timeout=60
    )


def test_db_given_before_or_after_the_subcommand_is_honoured(tmp_path):
    from store import Store

    for name in ("a.db", "b.db"):
        Store.open(tmp_path / name).close()  # stats only reads: it never creates one
    for args in (
        ("--db", str(tmp_path / "a.db"), "stats", "--json"),
        ("stats", "--db", str(tmp_path / "b.db"), "--json"),
    ):
        run = _run(*args)
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["path"] == args[args.index("--db") + 1]


def test_running_one_command_imports_only_that_command():
    code = (
        "import sys; from afmon.cli import main\n"
        "main(['tag', '--json', 'Clash in Panjshir'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('afmon.commands.')),"
        " file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "AF-PAN" in run.stdout
    loaded = run.stderr.strip().splitlines()[-1]
    assert "afmon.commands.tag" in loaded and "afmon.commands.stories" not in loaded


def test_unknown_command_is_a_usage_error_listing_the_commands():
    run = _run("bogus")
    assert run.returncode == 2 and "invalid choice: 'bogus'" in run.stderr
    assert "collect" in run.stderr and "Traceback" not in run.stderr
