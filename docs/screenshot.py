"""Regenerate docs/screenshot.svg: the dashboard on the demo corpus, rendered headless.

.venv/bin/python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from afmon.commands.demo import write_demo_config
from afmon.demo import DemoServer
from analysis.pipeline import collector_hooks
from feeds.collect import Collector
from store import Store
from tui.app import make_app

OUT = Path(__file__).parent / "screenshot.svg"


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, DemoServer(port=0) as server:
        db = Path(tmp) / "demo.db"
        config = write_demo_config(Path(tmp) / "config.toml", server.feeds, db)
        store = Store.open(db)
        collector = Collector(config, store, hooks=collector_hooks(store, config.watch))
        await collector.run_once()
        await collector.aclose()
        app = make_app(config, store, collect=False)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause(0.3)
            app.save_screenshot(filename=OUT.name, path=str(OUT.parent))
        store.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
