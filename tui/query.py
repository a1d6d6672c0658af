"""The filter bar's bridge to the query language (analysis.query): parse with the app's clock,
errors as one FilterError whose message is shown under the bar."""

from __future__ import annotations

from datetime import datetime

from analysis.query import QueryError, format_query, parse_query
from core.config import Config
from store.models import ItemFilter


class FilterError(ValueError):
    """A query the filter bar cannot use."""


def parse(text: str, config: Config, now: datetime) -> ItemFilter:
    try:
        return parse_query(text, config, now)
    except QueryError as exc:
        raise FilterError(str(exc)) from None


def describe(flt: ItemFilter) -> str:
    return format_query(flt)
