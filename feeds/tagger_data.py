"""The tagger's data files (feeds/data/*.toml): pydantic models and loading.

Gazetteer, actor aliases and context rules are data so an analyst can read, review and extend
them without reading the matcher. Every file is validated at load with unknown keys forbidden;
codes and slugs must come from core.vocab, so a typo fails loudly instead of tagging nothing.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.vocab import ACTORS, COUNTRIES, PLACE_CODES, PROVINCES, spellings_by_place

PlaceKind = Literal[
    "capital",
    "district",
    "town",
    "area",
    "valley",
    "pass",
    "dam",
    "crossing",
    "base",
    "landmark",
    "city",
    "region",
]

# What an alias is, for rules to select on (rules.toml `classes`).
AliasClass = Literal[
    "province",  # a province's own name
    "capital",  # a provincial capital
    "place",  # any other place inside Afghanistan
    "foreign",  # a place just across a border (country code)
    "group",  # an actor's name or acronym
    "leader",  # a person whose naming implies the actor
    "state",  # a state's name
    "state-capital",  # a foreign capital used for its government
    "adjective",  # a nationality adjective (counts only before an institution)
    "office",  # a government office named without its state ("the interior ministry")
]


def _known_actor_slugs(value: list[str]) -> list[str]:
    """The check behind every actor list in the data files (implies, a rule's actors)."""
    unknown = [v for v in value if v not in ACTORS]
    if unknown:
        raise ValueError(f"unknown actor slugs {unknown}")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProvinceEntry(_Model):
    names: list[str] = Field(min_length=1)
    """Every spelling and script form of the province's name."""


class ProvinceFile(_Model):
    province: dict[str, ProvinceEntry]

    @model_validator(mode="after")
    def _all_provinces(self) -> ProvinceFile:
        missing = sorted(set(PROVINCES) - set(self.province))
        unknown = sorted(set(self.province) - set(PROVINCES))
        if missing or unknown:
            raise ValueError(f"province codes: missing {missing}, unknown {unknown}")
        return self


class PlaceFile(_Model):
    place: dict[str, dict[PlaceKind, list[str]]]
    """code -> kind -> places; one string per place, its spellings separated by '|'."""

    @field_validator("place")
    @classmethod
    def _known_codes(cls, value: dict[str, dict[str, list[str]]]) -> dict:
        unknown = sorted(set(value) - PLACE_CODES)
        if unknown:
            raise ValueError(f"unknown place codes {unknown}")
        return value

    def places(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """(code, kind, spellings) for every place."""
        return spellings_by_place(self.place)


class ActorEntry(_Model):
    names: list[str] = []
    """Names, acronyms and transliterations, matched case-insensitively."""
    exact_case: list[str] = []
    """Acronyms that are also English words (US, UN, TIP): matched only as written."""
    leaders: list[str] = []
    """Leaders and officials whose naming implies the actor."""
    capitals: list[str] = []
    """A state's capital, standing for its government ("Islamabad says")."""
    adjectives: list[str] = []
    """Nationality adjectives; they count only before an institution (rules.toml)."""
    offices: list[str] = []
    """Government offices named without their state ("the interior ministry"): the actor's
    unless the text gives them another state (rules.toml)."""
    country: str | None = None
    """ISO 3166-1 code of a state: places in that country imply it."""
    implies: list[str] = []
    """Other actors this one always implies (haqqani-network -> taliban)."""

    @field_validator("implies")
    @classmethod
    def _known_implies(cls, value: list[str]) -> list[str]:
        return _known_actor_slugs(value)

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is not None and value not in COUNTRIES:
            raise ValueError(f"unknown country code {value!r}")
        return value


class ActorFile(_Model):
    actor: dict[str, ActorEntry]

    @model_validator(mode="after")
    def _all_actors(self) -> ActorFile:
        missing = sorted(set(ACTORS) - set(self.actor))
        unknown = sorted(set(self.actor) - set(ACTORS))
        if missing or unknown:
            raise ValueError(f"actor slugs: missing {missing}, unknown {unknown}")
        return self


class Shadow(_Model):
    why: str
    names: list[str] = Field(min_length=1)
    """Names that consume their text and tag nothing (Helmand River, Kabul Now)."""


class Rule(_Model):
    name: str
    why: str
    classes: list[AliasClass] = []
    """Apply to aliases of these classes (empty: any)."""
    names: list[str] = []
    """Apply only to these names (compared after normalisation; empty: any)."""
    codes: list[str] = []
    """Apply only to aliases naming these places or actors (empty: any)."""
    before: str | None = None
    """Regex for the normalised text just before the match, anchored with $. It must begin at
    a word (after a space or newline, or at the start of the text) within `window`
    characters of the name."""
    after: str | None = None
    """Regex matched at the normalised text just after the match."""
    not_before: str | None = None
    """Like `before`, but the rule does not fire when it matches ("in Kabul said" is the city)."""
    window: int = Field(64, ge=1, le=400)
    """How many characters of context either side the regexes see."""
    any: bool = False
    """Fire when either regex matches (default: both given regexes must match)."""
    upper: bool = False
    """Only when the match is written in capitals (datelines: KABUL -)."""
    negate: bool = False
    """Fire when the context does NOT match (a condition for counting at all)."""
    action: Literal["drop", "drop_place", "recode", "add_place"]
    """drop: tag nothing; drop_place: keep implied actors; recode: use `code` as the place;
    add_place: a state named as a territory also tags its country code."""
    code: str | None = None
    needs: list[str] = []
    """A speed-up, not a condition: words (in the normalised text) one of which is in every
    text the rule can fire on; the rule is not tried on texts without any of them. Leave it
    empty unless the regexes themselves require one of these words."""
    qualifiers: bool = False
    """When the rule drops a name, a name of the same place that only qualifies it goes too
    ("the airport in Kabul", "the Afghan capital, Kabul" after a time anchor)."""
    actors: list[str] = []
    """Actors the match stands for when the rule fires, added after the action ("Kabul says"
    with action drop and actors = ["taliban"]: not the place, the government)."""

    @field_validator("actors")
    @classmethod
    def _known_actors(cls, value: list[str]) -> list[str]:
        return _known_actor_slugs(value)

    @model_validator(mode="after")
    def _check(self) -> Rule:
        if self.before is None and self.after is None and not self.upper:
            raise ValueError(f"rule {self.name!r}: needs before, after or upper")
        for pattern in (self.before, self.after, self.not_before):
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"rule {self.name!r}: bad regex {pattern!r}: {exc}") from None
        if self.action == "recode" and self.code not in PLACE_CODES:
            raise ValueError(f"rule {self.name!r}: recode needs a known `code`")
        return self


class RuleFile(_Model):
    shadow: list[Shadow] = []
    rule: list[Rule] = []


def _read(name: str, package: str = "feeds") -> dict:
    return tomllib.loads((resources.files(package) / "data" / name).read_text(encoding="utf-8"))


def load_data() -> tuple[ProvinceFile, PlaceFile, ActorFile, RuleFile]:
    """Read and validate the four shipped data files (raises pydantic.ValidationError)."""
    return (
        ProvinceFile.model_validate(_read("provinces.toml", "core")),
        PlaceFile.model_validate(_read("places.toml", "core")),
        ActorFile.model_validate(_read("actors.toml")),
        RuleFile.model_validate(_read("rules.toml")),
    )
