"""Properties of the tagger over arbitrary text (hypothesis): it never raises, evidence always
points at its text, and a known name between separators is always found."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.textnorm import normalize
from feeds.tagger import Tagger
from feeds.tagger_data import load_data

TAGGER = Tagger.load()
_PROVINCES, _PLACES, _ACTORS, _RULES = load_data()
PROVINCE_NAMES = sorted(
    (name, code) for code, entry in _PROVINCES.province.items() for name in entry.names
)
# Characters that exercise the normaliser's slow path and the matcher's boundaries.
TRICKY = "يكةىـ\u064e\u0650\u200c\u200d\u00adﻻß-'’ \n\t.,()—–:0123456789KabulTalibنظرهرات"
texts = st.text() | st.text(alphabet=TRICKY, max_size=200)
names = st.sampled_from([n for n, _ in PROVINCE_NAMES] + ["Taliban", "ISKP", "طالبان", "Termez"])
mixed = st.lists(st.one_of(texts, names), max_size=8).map(" ".join)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(title=st.one_of(texts, mixed), summary=st.one_of(texts, mixed))
def test_never_raises_and_evidence_points_at_its_text(title, summary):
    result = TAGGER.tag(title, summary)
    combined = title + "\n" + summary
    for tag in result.evidence:
        assert 0 <= tag.start < tag.end <= len(combined)
        assert combined[tag.start : tag.end] == tag.text
    assert result.provinces == tuple(sorted(set(result.provinces)))
    assert result.actors == tuple(sorted(set(result.actors)))
    assert set(result.provinces) == {t.code for t in result.evidence if t.kind == "province"}
    assert set(result.actors) == {t.code for t in result.evidence if t.kind == "actor"}


@SETTINGS
@given(text=st.one_of(texts, mixed))
def test_normalised_offsets_are_monotonic_and_in_range(text):
    nz = normalize(text)
    if nz.offsets is None:
        assert len(nz.text) == len(text)
        return
    assert len(nz.offsets) == len(nz.text)
    assert nz.offsets == sorted(nz.offsets)
    assert all(0 <= i < len(text) for i in nz.offsets)


LEFT = ["", "Report: ", "Clashes in ", "گزارش از ", "(", "\n"]
RIGHT = ["", " province.", ", officials said", " ولایت", ")", "!"]


def test_every_province_name_between_separators_is_tagged():
    """Exhaustive over every spelling and script form of every province (7,000 texts)."""
    missed = []
    for name, code in PROVINCE_NAMES:
        for left in LEFT:
            for right in RIGHT:
                result = TAGGER.tag(f"{left}{name}{right}")
                # The evidence is the name, or a longer gazetteer entry that contains it
                # ("Sar-e Pul province" is one name: it tells the province from its town).
                if code not in result.provinces or not any(
                    t.code == code and name in t.text for t in result.evidence
                ):
                    missed.append((left, name, right))
    assert missed == []
