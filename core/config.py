"""config.toml: the one file operators edit. One pydantic model, unknown keys forbidden.

Every field's docstring doubles as the configuration reference (README, `afmon config check`).
`load_config` returns a validated `Config` or raises `ConfigError` whose `errors` name each
bad key by its path (``feeds[3].url``), the reason, and the TOML line where it can be found.
"""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from core import USER_AGENT
from core.durations import parse_duration
from core.vocab import ACTORS, PLACE_CODES

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
Grade = Literal["A", "B", "C", "D", "E", "F"]
Confidence = Literal["evidenced", "plausible", "unverified"]
RobotsPolicy = Literal["report", "obey", "ignore"]


def _http_url(value: str) -> str:
    value = value.strip()
    if not re.match(r"^https?://[^\s/?#]+", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// URL with a host")
    return value


class _Model(BaseModel):
    # No use_attribute_docstrings: it reads this module's source for every model on import,
    # a cost each `afmon` start paid for the README's reference alone (afmon/config_doc.py
    # reads the field docstrings itself).
    model_config = ConfigDict(extra="forbid", frozen=True)


class Settings(_Model):
    poll_interval: Duration = timedelta(minutes=15)
    """Default time between two fetches of a feed that sets no `interval` of its own."""
    min_interval: Duration = timedelta(minutes=5)
    """Adaptive polling never fetches a feed more often than this."""
    max_interval: Duration = timedelta(hours=6)
    """Adaptive polling never leaves a feed unfetched for longer than this."""
    concurrency: int = Field(16, ge=1, le=256)
    """How many feeds are fetched at once, over all hosts."""
    per_host: int = Field(2, ge=1, le=16)
    """How many feeds of one host are fetched at once."""
    connect_timeout: Duration = timedelta(seconds=10)
    """Time allowed to open a connection."""
    read_timeout: Duration = timedelta(seconds=20)
    """Time allowed between two chunks of a response."""
    fetch_deadline: Duration = timedelta(seconds=45)
    """Total time one fetch may take, whatever the server does (slow drips are cut here)."""
    max_body_bytes: int = Field(10_000_000, ge=1024)
    """Largest feed body accepted, counted after decompression."""
    parse_deadline: Duration = timedelta(seconds=10)
    """CPU time one feed document may take to parse and tag; past it the parse worker is
    killed and replaced, and the feed gets an error ("parse took longer than ...") and backs
    off like any failed fetch."""
    parse_memory: int = Field(1_000_000_000, ge=100_000_000)
    """Address space in bytes each parse worker process may use; a document that needs more
    is an error on its feed, never the collector's end."""
    parse_workers: int = Field(0, ge=0, le=64)
    """Parse worker processes (started on the first document to parse); 0: one per CPU core
    beyond the first (the collector keeps one), at least 1 and at most 4."""
    user_agent: str = USER_AGENT
    """User-Agent header sent with every request."""
    database: Path | None = None
    """SQLite database path; default: afmon.db in the user data directory."""
    bell: bool = True
    """Ring the terminal bell when a watch rule raises an alert."""
    notify_command: list[str] | None = None
    """Optional command run for each alert, e.g. ["notify-send", "afmon"]; the alert text is
    appended as the last argument (never through a shell)."""
    live_refresh: Duration = timedelta(seconds=1.5)
    """How often the monitor looks for new items in the database."""
    silent_after: float = Field(4.0, gt=1)
    """A feed is flagged silent after this many times its usual posting gap without a post."""
    robots_txt: RobotsPolicy = "report"
    """What collecting does about robots.txt: "report" fetches every feed and notes in the
    feed's health when robots.txt disallows it, as feed readers do (a subscribed feed is not
    a crawl); "obey" skips such feeds; "ignore" never asks. `afmon feeds check` always reports."""
    timezone: str = "Asia/Kabul"
    """Time zone times are shown in (an IANA name: Asia/Kabul, Asia/Dushanbe, UTC ...); the
    item detail, the handover and the sitrep give UTC beside it."""
    reports: Path | None = None
    """Directory the shift handover and the sitrep (keys H and S) are written to; default:
    reports/ in the user data directory."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {name!r} (an IANA name, e.g. Asia/Kabul)"
            ) from None
        return name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class FeedConfig(_Model):
    name: str = Field(min_length=1)
    """Name shown in the UI and in reports; unique."""
    url: Annotated[str, BeforeValidator(_http_url)]
    """Feed URL (RSS or Atom), http or https only."""
    outlet: str | None = None
    """Outlet the feed belongs to (several feeds can share one); default: the feed name."""
    language: str | None = None
    """ISO 639-1 language of the feed: en, fa (Dari), ps (Pashto), uz, tg ..."""
    interval: Duration | None = None
    """Fixed polling interval for this feed; default: adaptive."""
    enabled: bool = True
    """Disabled feeds are kept in the database but not fetched."""
    confidence: Confidence = "unverified"
    """How sure we are that the URL serves the feed: "evidenced" (seen answering with items:
    a dated check, a tested feed list, the outlet's own page), "plausible" (the outlet's URL
    pattern or others' lists, never seen working), "unverified" (nobody has looked)."""

    @property
    def outlet_name(self) -> str:
        return self.outlet or self.name


class FrontConfig(_Model):
    name: str = Field(min_length=1)
    """Name of the front (a pane on the dashboard)."""
    provinces: list[str] = Field(min_length=1)
    """ISO 3166-2:AF province codes (AF-PAN ...) or ISO 3166-1 codes of neighbours (TJ ...)."""

    @field_validator("provinces")
    @classmethod
    def _known_provinces(cls, codes: list[str]) -> list[str]:
        unknown = [code for code in codes if code not in PLACE_CODES]
        if unknown:
            raise ValueError(f"unknown province code {', '.join(map(repr, unknown))}")
        return codes


class ThreatGroupConfig(_Model):
    name: str = Field(min_length=1)
    """Name of the threat group (a pane on the dashboard)."""
    actors: list[str] = Field(min_length=1)
    """Actor slugs (isk, al-qaeda, ttp ...)."""

    @field_validator("actors")
    @classmethod
    def _known_actors(cls, slugs: list[str]) -> list[str]:
        return _check_actors(slugs)


def _check_actors(slugs: list[str]) -> list[str]:
    unknown = [slug for slug in slugs if slug not in ACTORS]
    if unknown:
        raise ValueError(f"unknown actor slug {', '.join(map(repr, unknown))}")
    return slugs


class WatchRule(_Model):
    name: str = Field(min_length=1)
    """Name of the alert rule."""
    provinces: list[str] = []
    """Any of these provinces (empty: any)."""
    actors: list[str] = []
    """Any of these actors (empty: any)."""
    keywords: list[str] = []
    """Any of these words or phrases in title or summary, case-insensitive (empty: any)."""
    min_outlets: int = Field(1, ge=1)
    """Alert only once this many different outlets report matching items within a day."""

    _known_provinces = field_validator("provinces")(FrontConfig._known_provinces.__func__)  # type: ignore[attr-defined]
    _known_actors = field_validator("actors")(ThreatGroupConfig._known_actors.__func__)  # type: ignore[attr-defined]


class OutletConfig(_Model):
    name: str = Field(min_length=1)
    """Outlet name, as in the feeds' `outlet`."""
    grade: Grade = "C"
    """Reliability grade, Admiralty style: A (reliable) ... E (unreliable), F (cannot judge)."""


class SavedQuery(_Model):
    name: str = Field(min_length=1)
    """Name of the saved query."""
    query: str
    """A filter in the query language, e.g. 'province:helmand actor:isk since:24h'."""
    pane: bool = False
    """Show this query as a dashboard pane."""


class PlaceAlias(_Model):
    name: str = Field(min_length=1)
    """A place name (any script) as it appears in text."""
    code: str
    """The province (AF-XXX) or country (PK ...) it lies in."""

    @field_validator("code")
    @classmethod
    def _known_code(cls, code: str) -> str:
        if code not in PLACE_CODES:
            raise ValueError(f"unknown province code {code!r}")
        return code


class ActorAlias(_Model):
    name: str = Field(min_length=1)
    """An alias (any script) as it appears in text."""
    actor: str
    """The actor slug it names."""

    @field_validator("actor")
    @classmethod
    def _known_actor(cls, slug: str) -> str:
        _check_actors([slug])
        return slug


class TaggerConfig(_Model):
    places: list[PlaceAlias] = []
    """Extra places the gazetteer does not know."""
    aliases: list[ActorAlias] = []
    """Extra actor aliases."""


class Config(_Model):
    settings: Settings = Settings()
    feeds: list[FeedConfig] = []
    fronts: list[FrontConfig] = []
    threat_groups: list[ThreatGroupConfig] = []
    watch: list[WatchRule] = []
    outlets: list[OutletConfig] = []
    queries: list[SavedQuery] = []
    tagger: TaggerConfig = TaggerConfig()

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        for section in ("feeds", "fronts", "threat_groups", "watch", "outlets", "queries"):
            seen: set[str] = set()
            for entry in getattr(self, section):
                if entry.name in seen:
                    raise ValueError(f"{section}: duplicate name {entry.name!r}")
                seen.add(entry.name)
        urls: set[str] = set()
        for feed in self.feeds:
            if feed.url in urls:
                raise ValueError(f"feeds: duplicate url {feed.url!r}")
            urls.add(feed.url)
        return self

    def front(self, name: str) -> FrontConfig | None:
        return next((f for f in self.fronts if f.name.casefold() == name.casefold()), None)

    def threat_group(self, name: str) -> ThreatGroupConfig | None:
        return next((g for g in self.threat_groups if g.name.casefold() == name.casefold()), None)


class ConfigError(Exception):
    """A config file that cannot be used. `errors` holds one line per problem."""

    def __init__(self, path: Path | str, errors: list[str]):
        self.path = Path(path)
        self.errors = errors
        super().__init__("\n".join(f"{self.path}: {e}" for e in errors))


def line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort TOML line number (1-based) of a key path such as ("feeds", 3, "url")."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    parts = list(loc)
    if len(parts) >= 2 and isinstance(parts[0], str) and isinstance(parts[1], int):
        header = re.compile(rf"^\s*\[\[\s*{re.escape(parts[0])}\s*\]\]")
        hits = [i for i, line in enumerate(lines) if header.match(line)]
        if parts[1] >= len(hits):
            return None
        start = hits[parts[1]]
        end = next(
            (i for i in range(start + 1, len(lines)) if re.match(r"^\s*\[", lines[i])), len(lines)
        )
        key = parts[2] if len(parts) > 2 and isinstance(parts[2], str) else None
        if key is None:
            return start + 1
    elif parts and isinstance(parts[0], str):
        header = re.compile(rf"^\s*\[\s*{re.escape(parts[0])}\s*\]")
        hit = next((i for i, line in enumerate(lines) if header.match(line)), None)
        if hit is None:
            return None
        start = hit
        end = next(
            (i for i in range(start + 1, len(lines)) if re.match(r"^\s*\[", lines[i])), len(lines)
        )
        key = parts[1] if len(parts) > 1 and isinstance(parts[1], str) else None
        if key is None:
            return start + 1
    else:
        return None
    keyline = re.compile(rf"^\s*{re.escape(key)}\s*=")
    return next((i + 1 for i in range(start, end) if keyline.match(lines[i])), start + 1)


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


_UNIQUE = {
    "feeds": ("name", "url"),
    "fronts": ("name",),
    "threat_groups": ("name",),
    "watch": ("name",),
    "outlets": ("name",),
    "queries": ("name",),
}


def _duplicates(data: dict[str, Any], text: str) -> list[tuple[int | None, str]]:
    """(line, error) for every repeated name (and feed URL), read from the raw TOML so they
    are reported beside every other error (the model's own check runs only once all fields
    validate)."""
    out: list[tuple[int | None, str]] = []
    for section, fields in _UNIQUE.items():
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        for field in fields:
            first: dict[str, int] = {}
            for index, entry in enumerate(entries):
                value = entry.get(field) if isinstance(entry, dict) else None
                if not isinstance(value, str):
                    continue
                key = value.strip()
                if key not in first:
                    first[key] = index
                    continue
                line = line_of(text, (section, index, field))
                seen = line_of(text, (section, first[key], field))
                at = f"{section}[{first[key]}]" + (f", line {seen}" if seen else "")
                where = f" (line {line})" if line else ""
                message = f"{section}[{index}].{field}: duplicate {field} {value!r}"
                out.append((line, f"{message}, first at {at}{where}"))
    return out


def parse_config(text: str, source: Path | str = "config.toml") -> Config:
    """Validate TOML `text`; raise ConfigError naming every bad key, each with its line,
    duplicates included, in the order of the file."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [f"invalid TOML: {exc}"]) from None
    errors = _duplicates(data, text)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            reason = err["msg"].removeprefix("Value error, ")
            if not loc and "duplicate" in reason:
                continue  # the model's own duplicate check: reported above, with lines
            if err["type"] == "extra_forbidden":
                reason = "unknown key"
            line = line_of(text, loc)
            where = f" (line {line})" if line else ""
            errors.append((line, f"{_path(loc)}: {reason}{where}"))
    else:
        if not errors:
            return config
    ordered = sorted(errors, key=lambda e: (e[0] is None, e[0] or 0))
    raise ConfigError(source, [message for _line, message in ordered])


def partial_config(text: str) -> Config:
    """What of a config validates on its own, entry by entry (invalid and repeated entries
    left out): enough to check saved queries against when the whole file does not."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return Config()
    parts: dict[str, Any] = {}
    for name, field in Config.model_fields.items():
        raw = data.get(name)
        if raw is None:
            continue
        model: Any = field.annotation
        if isinstance(raw, list):
            kept, names = [], set()
            for entry in raw:
                try:
                    valid = model.__args__[0].model_validate(entry)
                except ValidationError:
                    continue
                if valid.name not in names:
                    names.add(valid.name)
                    kept.append(valid)
            parts[name] = kept
        else:
            try:
                parts[name] = model.model_validate(raw)
            except ValidationError:
                continue
    try:
        return Config.model_validate(parts)
    except ValidationError:  # e.g. two feeds with one URL: check queries against less
        return Config.model_validate({k: v for k, v in parts.items() if k != "feeds"})


def load_config(path: Path | str) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, [f"cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError(path, ["not UTF-8 text"]) from None
    return parse_config(text, path)


def default_config_path() -> Path:
    """./config.toml if present, else the user config dir's afmon/config.toml."""
    here = Path("config.toml")
    if here.exists():
        return here
    from platformdirs import user_config_path

    return user_config_path("afmon") / "config.toml"


def reports_path(config: Config) -> Path:
    """Where the handover and the sitrep go: settings.reports, else reports/ in the user data
    directory (absolute, so the path shown on screen can be opened as it stands)."""
    if config.settings.reports is not None:
        return config.settings.reports.expanduser().resolve()
    from platformdirs import user_data_path

    return user_data_path("afmon") / "reports"


def default_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("afmon") / "afmon.db"


def database_path(config: Config, override: Path | str | None = None) -> Path:
    if override:
        return Path(override)
    return config.settings.database or default_database_path()
