"""Write the bundled demo corpus (afmon/demo/corpus/feeds.json) from hand-written templates.

Run `python -m afmon.demo.make_corpus` after editing a template; the output is deterministic
(fixed seed), so a re-run without edits changes nothing. The demo server reads the JSON, never
this module: the corpus is data, reviewed in diffs like any other data file.

Offsets are minutes relative to the moment the demo server starts: negative items are history
(spread over 30 days, denser in the last 48 hours), positive items are released while the demo
runs (the first within seconds, then one every 3-6 s, then a slower tail up to 15 minutes).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from afmon.demo import _events, _nasty
from afmon.demo._places import FA, PROVINCES, PS
from afmon.demo._templates_en import CLOSERS, TEMPLATES, Template
from afmon.demo._templates_local import FA_TEMPLATES, PS_TEMPLATES, TG_TEMPLATES, UZ_TEMPLATES

OUT = Path(__file__).parent / "corpus" / "feeds.json"
HOST = "https://demo.afmon.invalid"
SEED = 20240815
HISTORY_PER_FEED = 22
SMALL_FEEDS = {"uz": 14, "tg": 14}  # fewer templates: fewer items, so titles do not repeat
LIVE_FAST = 90  # one every 3-6 s
LIVE_TAIL = 16  # one every 20-40 s, up to ~15 minutes

ALL_CATS = (
    "nrf",
    "aff",
    "isk",
    "ttp",
    "haqqani",
    "aq",
    "north",
    "econ",
    "china",
    "iran",
    "hum",
    "gov",
    "dipl",
    "us",
    "south",
)
# slug, name, outlet, language, format, categories (English feeds), nasty
FEEDS: tuple[tuple[str, str, str, str, str, tuple[str, ...], str | None], ...] = (
    ("tolo-en", "TOLOnews (English) [demo]", "TOLOnews", "en", "rss", ALL_CATS, None),
    ("tolo-fa", "TOLOnews (Dari) [demo]", "TOLOnews", "fa", "rss", (), None),
    ("tolo-ps", "TOLOnews (Pashto) [demo]", "TOLOnews", "ps", "rss", (), None),
    (
        "pajhwok-en",
        "Pajhwok Afghan News [demo]",
        "Pajhwok Afghan News",
        "en",
        "rss",
        ("econ", "hum", "gov", "isk", "south", "china", "iran"),
        None,
    ),
    ("khaama-en", "Khaama Press [demo]", "Khaama Press", "en", "rss", ALL_CATS, None),
    (
        "amu-en",
        "Amu TV (English) [demo]",
        "Amu TV",
        "en",
        "rss",
        ("nrf", "aff", "isk", "gov", "north", "haqqani"),
        None,
    ),
    ("amu-fa", "Amu TV (Dari) [demo]", "Amu TV", "fa", "rss", (), None),
    (
        "afintl-en",
        "Afghanistan International (English) [demo]",
        "Afghanistan International",
        "en",
        "atom",
        ("nrf", "aff", "isk", "gov", "dipl", "haqqani", "ttp"),
        None,
    ),
    (
        "8am-en",
        "Hasht-e Subh (English) [demo]",
        "Hasht-e Subh (8am)",
        "en",
        "rss",
        ("nrf", "aff", "gov", "isk", "north", "aq"),
        None,
    ),
    (
        "ariana-en",
        "Ariana News [demo]",
        "Ariana News",
        "en",
        "rss",
        ("econ", "dipl", "china", "iran", "hum", "south"),
        None,
    ),
    ("azadi-fa", "RFE/RL Radio Azadi (Dari) [demo]", "RFE/RL Radio Azadi", "fa", "rss", (), None),
    (
        "azadi-ps",
        "RFE/RL Radio Azadi (Pashto) [demo]",
        "RFE/RL Radio Azadi",
        "ps",
        "atom",
        (),
        None,
    ),
    (
        "gandhara-en",
        "RFE/RL Gandhara [demo]",
        "RFE/RL Gandhara",
        "en",
        "atom",
        ("ttp", "north", "dipl", "isk", "haqqani", "iran"),
        None,
    ),
    ("ozodlik-uz", "RFE/RL Ozodlik (Uzbek) [demo]", "RFE/RL Ozodlik", "uz", "rss", (), None),
    ("ozodi-tg", "RFE/RL Ozodi (Tajik) [demo]", "RFE/RL Ozodi", "tg", "rss", (), None),
    ("voa-fa", "VOA Dari [demo]", "VOA Dari", "fa", "rss", (), None),
    ("un-news", "UN News - Asia Pacific [demo]", "UN News", "en", "atom", ("hum",), None),
    ("unama", "UNAMA [demo]", "UNAMA", "en", "rss", ("hum", "gov"), None),
    (
        "reliefweb",
        "ReliefWeb - Afghanistan [demo]",
        "ReliefWeb",
        "en",
        "atom",
        ("hum", "iran"),
        None,
    ),
    (
        "lwj",
        "Long War Journal [demo]",
        "Long War Journal",
        "en",
        "rss",
        ("isk", "aq", "ttp", "haqqani", "north", "nrf", "aff", "us"),
        None,
    ),
    (
        "diplomat",
        "The Diplomat - Central Asia [demo]",
        "The Diplomat",
        "en",
        "atom",
        ("dipl", "north", "china", "econ", "ttp", "us"),
        None,
    ),
    (
        "eurasianet",
        "Eurasianet [demo]",
        "Eurasianet",
        "en",
        "rss",
        ("north", "econ", "dipl", "china"),
        None,
    ),
    (
        "aljazeera",
        "Al Jazeera English [demo]",
        "Al Jazeera",
        "en",
        "rss",
        ("isk", "ttp", "hum", "gov", "dipl", "iran", "us"),
        None,
    ),
    (
        "kabul-wire",
        "Kabul Daily Wire [demo, broken XML]",
        "Kabul Daily Wire",
        "en",
        "rss",
        ("isk", "gov"),
        "broken-xml",
    ),
    (
        "bakhtar-mirror",
        "Bakhtar Mirror [demo, HTTP 500]",
        "Bakhtar Mirror",
        "en",
        "rss",
        ("econ",),
        "http-500",
    ),
    (
        "voice-agency",
        "Afghan Voice Agency [demo, HTML page]",
        "Afghan Voice Agency",
        "en",
        "rss",
        ("hum",),
        "html-page",
    ),
)

# Where and what the hand-placed items (_nasty.py) report, so random items keep clear of them.
_FIXED_REPORTS: dict[str, tuple[_events.Report, ...]] = {
    "kabul-attack": (_events.Report("kabul-attack", "AF-KAB", "Dasht-e Barchi", 0, "security"),),
    "panjshir-ambush": (_events.Report("panjshir-ambush", "AF-PAN", None, 0, "security"),),
    "hostile-1": (_events.Report("hostile-1", "AF-PAR", None, 0, "hum"),),
    "hostile-2": (_events.Report("hostile-2", "AF-NAN", None, 0, "security"),),
    "hostile-3": (_events.Report("hostile-3", "AF-KDZ", None, 0, "security"),),
    "hostile-4": (_events.Report("hostile-4", "AF-TAK", None, 0),),
    "hostile-5": (_events.Report("hostile-5", "AF-HER", None, 0),),
    "hostile-6": (_events.Report("hostile-6", "AF-KAB", None, 0),),
    "hostile-7": (_events.Report("hostile-7", "AF-KAN", None, 0),),
    "hostile-8": tuple(
        _events.Report("hostile-8", code, None, 0, "security")
        for code in ("AF-KNR", "AF-KHO", "AF-PKA")
    ),
    "hostile-9": (_events.Report("hostile-9", None, None, 0, "uz-trade"),),
}

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _Writer:
    """Fills templates for one run; cycles provinces so every one of the 34 is used."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: dict[str, int] = {}
        self.cycle: list[str] = []

    def province(self, pool: tuple[str, ...]) -> str:
        if len(pool) < len(PROVINCES):
            return self.rng.choice(pool)
        if not self.cycle:
            self.cycle = list(PROVINCES)
            self.rng.shuffle(self.cycle)
        return self.cycle.pop()

    def slots(self, code: str) -> dict[str, Any]:
        rng = self.rng
        name, alternates, towns = PROVINCES[code]
        if alternates and rng.random() < 0.25:
            name = rng.choice(alternates)
        return {
            "p": name,
            "t": rng.choice(towns),
            "n": rng.randint(2, 9),
            "N": rng.randint(12, 90),
            "k": rng.randint(12, 95) * 10,
            "pct": rng.randint(5, 40),
            "dow": rng.choice(_WEEKDAYS),
        }

    def english(
        self, cats: tuple[str, ...], template: Template | None = None
    ) -> tuple[str, str, _events.Report]:
        rng = self.rng
        template = template or rng.choice([t for t in TEMPLATES if t[0] in cats])
        cat, pool, titles, summaries = template
        code = self.province(pool)
        values = self.slots(code)
        n = rng.randrange(len(titles))
        title = titles[n].format(**values)
        paired = len(summaries) == len(titles)
        summary_template = summaries[n] if paired else rng.choice(summaries)
        summary = summary_template.format(**values)
        closer = rng.choice(CLOSERS.get(cat, ("",)))
        index = TEMPLATES.index(template)
        # What the headline places the story in (a province a summary names in passing does
        # not make a story about it).
        used = titles[n]
        kind = _events.kind(f"en{index}.{n}", titles[n])
        report = _events.Report(
            kind,
            code if "{p}" in used or "{t}" in used else None,
            values["t"] if "{t}" in used else None,
            0.0,
            _events.family(kind, cat, titles[n]),
        )
        return title, f"{summary} {closer}".strip(), report

    def local(self, language: str) -> tuple[str, str, _events.Report]:
        rng = self.rng
        templates = {
            "fa": FA_TEMPLATES,
            "ps": PS_TEMPLATES,
            "uz": UZ_TEMPLATES,
            "tg": TG_TEMPLATES,
        }[language]
        template = rng.choice(templates)
        pool, title, summary = template
        code = self.province(pool)
        values: dict[str, Any] = {
            "p": (PS if language == "ps" else FA)[code],
            "n": str(rng.randint(2, 9)),
            "N": str(rng.randint(12, 90)),
        }
        if language in ("fa", "ps"):
            values = {k: v.translate(_PERSIAN_DIGITS) for k, v in values.items()}
        kind = _events.kind(f"{language}{templates.index(template)}", title)
        report = _events.Report(
            kind,
            code if "{p}" in title else None,
            None,
            0.0,
            _events.family(kind, None, title),
        )
        return title.format(**values), summary.format(**values), report

    def item(self, slug: str, title: str, summary: str, offset: float) -> dict[str, Any]:
        self.ids[slug] = self.ids.get(slug, self.rng.randint(20_000, 90_000)) + self.rng.randint(
            1, 9
        )
        link = f"{HOST}/{slug}/{self.ids[slug]}"
        return {
            "guid": link,
            "title": title,
            "summary": summary,
            "link": link,
            "offset": round(offset, 3),
        }


def _history_offset(rng: random.Random) -> float:
    if rng.random() < 0.45:
        return -rng.uniform(3, 48 * 60)
    return -(48 * 60 + (28 * 24 * 60) * rng.random() ** 1.4)


def _live_offsets(rng: random.Random) -> list[float]:
    seconds, out = 2.0, []
    for _ in range(LIVE_FAST):
        out.append(seconds / 60)
        seconds += rng.uniform(3, 6)
    for _ in range(LIVE_TAIL):
        seconds += rng.uniform(20, 40)
        out.append(seconds / 60)
    return out


def build(seed: int = SEED) -> dict[str, Any]:
    rng = random.Random(seed)
    writer = _Writer(rng)
    feeds = {
        f[0]: {
            "slug": f[0],
            "name": f[1],
            "outlet": f[2],
            "language": f[3],
            "format": f[4],
            "nasty": f[6],
            "link": f"{HOST}/{f[0]}/",
            "items": [],
        }
        for f in FEEDS
    }
    cats = {f[0]: f[5] for f in FEEDS}
    seen: set[tuple[str, str]] = set()
    reports: list[tuple[dict[str, Any], _events.Report | str]] = []

    def clashes(report: _events.Report, offset: float) -> bool:
        placed = _events.Report(report.kind, report.province, report.town, offset, report.family)
        return any(placed.confusable(other) for _item, other in drawn)

    def story(slug: str, offset: float) -> tuple[str, str, _events.Report] | None:
        """A report for `slug` at `offset` that no reader would confuse with another event."""
        lang = feeds[slug]["language"]
        for _ in range(40):
            title, summary, report = (
                writer.english(cats[slug]) if lang == "en" else writer.local(lang)
            )
            if (slug, title) not in seen and not clashes(report, offset):
                seen.add((slug, title))
                return title, summary, report
        return None

    drawn: list[tuple[dict[str, Any], _events.Report]] = []

    def add(slug: str, title: str, summary: str, offset: float, report: _events.Report | str):
        item = writer.item(slug, title, summary, offset)
        feeds[slug]["items"].append(item)
        reports.append((item, report))
        if isinstance(report, _events.Report):
            placed = _events.Report(
                report.kind, report.province, report.town, offset, report.family
            )
            drawn.append((item, placed))

    fixed = _nasty.fixed_items()
    for fixed_item in fixed:
        for fixed_report in _FIXED_REPORTS[fixed_item.event]:
            drawn.append(({}, fixed_report.at(fixed_item.offset)))
    for slug, feed in feeds.items():
        count = 10 if feed["nasty"] else SMALL_FEEDS.get(feed["language"], HISTORY_PER_FEED)
        for _ in range(count):
            for _attempt in range(10):
                offset = _history_offset(rng)
                found = story(slug, offset)
                if found:
                    add(slug, *found[:2], offset, found[2])
                    break
    normal = [slug for slug, feed in feeds.items() if not feed["nasty"]]
    # Every English template at least three times, so rare actors (TIP, TTM ...) are never left out.
    for template in TEMPLATES * 3:
        for _attempt in range(200):
            slug = rng.choice([s for s in normal if template[0] in cats[s]] or normal)
            offset = _history_offset(rng)
            title, summary, report = writer.english(cats[slug], template)
            if (slug, title) not in seen and not clashes(report, offset):
                seen.add((slug, title))
                add(slug, title, summary, offset, report)
                break
    fixed_live = sorted(f.offset for f in fixed if f.offset > 0)
    for offset in _live_offsets(rng):
        if any(abs(offset - other) < 0.03 for other in fixed_live):
            continue  # a fixed item is released at about this moment
        for _attempt in range(10):
            slug = rng.choice(normal)
            found = story(slug, offset)
            if found:
                add(slug, *found[:2], offset, found[2])
                break
    for fixed_item in fixed:
        add(
            fixed_item.slug,
            fixed_item.title,
            fixed_item.summary,
            fixed_item.offset,
            fixed_item.event,
        )
    _name_events(reports)
    for feed in feeds.values():
        feed["items"].sort(key=lambda item: item["offset"])
    return {"seed": seed, "host": HOST, "feeds": list(feeds.values())}


def _name_events(reports: list[tuple[dict[str, Any], _events.Report | str]]) -> None:
    """Give every item the id of the event it reports (see _events.py)."""
    drawn = [(item, r) for item, r in reports if isinstance(r, _events.Report)]
    ids = _events.assign(
        _events.Report(r.kind, r.province, r.town, item["offset"]) for item, r in drawn
    )
    for (item, _report), event_id in zip(drawn, ids, strict=True):
        item["event"] = event_id
    for item, report in reports:
        if isinstance(report, str):
            item["event"] = report


def main() -> None:
    corpus = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(corpus, ensure_ascii=False, indent=1)
    OUT.write_text(text + "\n", encoding="utf-8")
    items = sum(len(f["items"]) for f in corpus["feeds"])
    print(f"wrote {OUT}: {len(corpus['feeds'])} feeds, {items} items, {len(text) // 1024} KiB")


if __name__ == "__main__":
    main()
