"""The fixed vocabulary every part of afmon shares: province codes, country codes, actor slugs.

This module names the codes that config.toml, the store and the UI may use, so a typo in a
front or a threat group is caught at load time. The spellings of the provinces' names
(core/data/provinces.toml) and the names analysts type for actors (core/data/names.toml) are
data, read on first use; places and the tagger's actor aliases are in feeds/data/.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

# ISO 3166-2:AF: all 34 provinces, with the English name the UI shows.
PROVINCES: dict[str, str] = {
    "AF-BDS": "Badakhshan",
    "AF-BDG": "Badghis",
    "AF-BGL": "Baghlan",
    "AF-BAL": "Balkh",
    "AF-BAM": "Bamyan",
    "AF-DAY": "Daykundi",
    "AF-FRA": "Farah",
    "AF-FYB": "Faryab",
    "AF-GHA": "Ghazni",
    "AF-GHO": "Ghor",
    "AF-HEL": "Helmand",
    "AF-HER": "Herat",
    "AF-JOW": "Jowzjan",
    "AF-KAB": "Kabul",
    "AF-KAN": "Kandahar",
    "AF-KAP": "Kapisa",
    "AF-KHO": "Khost",
    "AF-KNR": "Kunar",
    "AF-KDZ": "Kunduz",
    "AF-LAG": "Laghman",
    "AF-LOG": "Logar",
    "AF-NAN": "Nangarhar",
    "AF-NIM": "Nimroz",
    "AF-NUR": "Nuristan",
    "AF-PKA": "Paktika",
    "AF-PIA": "Paktia",
    "AF-PAN": "Panjshir",
    "AF-PAR": "Parwan",
    "AF-SAM": "Samangan",
    "AF-SAR": "Sar-e Pol",
    "AF-TAK": "Takhar",
    "AF-URU": "Uruzgan",
    "AF-WAR": "Wardak",
    "AF-ZAB": "Zabul",
}

# ISO 3166-1 alpha-2 codes for places just across the borders; fronts may list them too.
COUNTRIES: dict[str, str] = {
    "UZ": "Uzbekistan",
    "TJ": "Tajikistan",
    "PK": "Pakistan",
    "IR": "Iran",
    "TM": "Turkmenistan",
    "CN": "China",
}

# Actor slugs: a fixed vocabulary used everywhere (config, tags, filters, exports).
ACTORS: dict[str, str] = {
    "taliban": "Taliban",
    "haqqani-network": "Haqqani network",
    "nrf": "National Resistance Front",
    "aff": "Afghanistan Freedom Front",
    "isk": "Islamic State Khorasan",
    "al-qaeda": "al-Qaeda",
    "jamaat-ansarullah": "Jamaat-e Ansarullah",
    "imu": "Islamic Movement of Uzbekistan",
    "ttm": "Tajikistan Taliban Movement",
    "ttp": "Tehrik-i-Taliban Pakistan",
    "tip": "Turkistan Islamic Party",
    "isi": "Inter-Services Intelligence",
    "pakistan": "Pakistan",
    "tajikistan": "Tajikistan",
    "uzbekistan": "Uzbekistan",
    "turkmenistan": "Turkmenistan",
    "iran": "Iran",
    "china": "China",
    "russia": "Russia",
    "us": "United States",
    "un": "United Nations",
}

PLACE_CODES: frozenset[str] = frozenset(PROVINCES) | frozenset(COUNTRIES)


def province_name(code: str) -> str:
    return PROVINCES.get(code) or COUNTRIES.get(code) or code


def actor_name(slug: str) -> str:
    return ACTORS.get(slug, slug)


def _data(name: str) -> dict[str, Any]:
    text = (resources.files("core") / "data" / name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def province_spellings() -> dict[str, tuple[str, ...]]:
    """Every spelling of each province's own name (Latin, Dari, Pashto), by code."""
    return {
        code: tuple(entry["names"]) for code, entry in _data("provinces.toml")["province"].items()
    }


def split_spellings(entry: str) -> list[str]:
    """One place of places.toml ("Bagram|Bagram Airfield|بگرام") as its spellings, the
    first the name it is known by."""
    return [name.strip() for name in entry.split("|") if name.strip()]


def spellings_by_place(
    place: Mapping[str, Mapping[Any, Iterable[str]]],
) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """places.toml's `place` table (code -> kind -> entries) as (code, kind, all the place's
    spellings), one per place."""
    out = []
    for code, kinds in place.items():
        for kind, entries in kinds.items():
            for entry in entries:
                names = tuple(split_spellings(entry))
                if names:
                    out.append((code, kind, names))
    return tuple(out)


@cache
def place_spellings() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Every place below the province level that places.toml knows (a district, a town, a
    base, a crossing; on either side of a border) as (code, kind, all its spellings)."""
    return spellings_by_place(_data("places.toml")["place"])


@cache
def actor_short_names() -> dict[str, str]:
    """The acronym analysts know an actor by (isk -> ISKP), where it has one."""
    return {
        slug: entry["short"]
        for slug, entry in _data("names.toml")["actor"].items()
        if "short" in entry
    }


@cache
def actor_typed_names() -> dict[str, str]:
    """Other names accepted for an actor in queries, folded (daesh -> isk)."""
    return {
        name: slug
        for slug, entry in _data("names.toml")["actor"].items()
        for name in entry.get("typed", ())
    }
