"""The fixed vocabulary every part of afmon shares: province codes, country codes, actor slugs.

Spellings, aliases and places live in the tagger's data files (feeds/data/); this module only
names the codes that config.toml, the store and the UI may use, so a typo in a front or a threat
group is caught at load time.
"""

from __future__ import annotations

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

# Actors whose tag implies another (TAGGING.md: haqqani-network always implies taliban).
ACTOR_IMPLIES: dict[str, tuple[str, ...]] = {"haqqani-network": ("taliban",)}

PLACE_CODES: frozenset[str] = frozenset(PROVINCES) | frozenset(COUNTRIES)


def province_name(code: str) -> str:
    return PROVINCES.get(code) or COUNTRIES.get(code) or code


def actor_name(slug: str) -> str:
    return ACTORS.get(slug, slug)
