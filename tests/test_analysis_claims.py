"""Claims of responsibility only from explicit claim phrases: who claimed, never who merely
spoke, confirmed, counted or could not verify."""

from __future__ import annotations

import pytest

from analysis.claims import claim_labels
from analysis.events import read_event

CLAIMS = [
    # (title, summary, claimant)
    (
        "ISKP claims responsibility for bomb blast in Jurm, Badakhshan",
        "Hospital sources said 5 people were killed.",
        "isk",
    ),
    (
        "Explosion in Kabul",
        "Islamic State claimed responsibility through its Amaq agency.",
        "isk",
    ),
    ("IS claim attack on senior Taliban governor in Afghanistan", "", "isk"),
    ("ISIS group was behind Kabul Airport's rocket attack Yesterday.", "", "isk"),
    ("Kabul blast", "Responsibility was claimed by Daesh.", "isk"),
    ("Afghanistan Freedom Front claims attack on Taliban post in Kapisa", "", "aff"),
    ("AFF says it targeted Taliban intelligence officers in Tagab", "", "aff"),
    ("NRF says it killed 9 Taliban fighters in Panjshir", "", "nrf"),
    (
        "Ambush in Dara",
        "The National Resistance Front said its fighters attacked a Taliban checkpoint.",
        "nrf",
    ),
    # The claimant is the party nearest the claim phrase, not the first one named.
    ("Taliban deny NRF claims of deadly ambush in Panjshir", "", "nrf"),
    ("TTP claims attack on Pakistani post across from Kunar", "", "ttp"),
    (
        "Pakistan airstrikes hit Paktika",
        "Pakistan said it targeted TTP hideouts.",
        "pakistan",
    ),
    ("انفجار در کندز؛ داعش مسئولیت آن را به عهده گرفت", "", "isk"),
    ("مسئولیت این حمله را گروه داعش به عهده گرفت", "", "isk"),
    ("په کابل کې په یوه ښوونیز مرکز انتحاري برید؛ داعش مسؤلیت ومانه", "", "isk"),
    ("جبهه آزادی افغانستان مسئولیت حمله بر طالبان در پروان را پذیرفت", "", "aff"),
]

NOT_CLAIMS = [
    # Sources, confirmations and boilerplate name no claimant.
    ("Attack in Tagab", "Independent verification is not possible in the area."),
    (
        "Turkmenistan's delegation in Kabul to discuss TAPI and power lines",
        "The delegation discussed the TAPI gas pipeline, the Taliban foreign ministry said.",
    ),
    ("Blast kills 5 in Kunduz", "Zabihullah Mujahid said an investigation began."),
    ("Mosque blast in Kabul", "Residents said at least ten worshippers were killed."),
    ("Attack in Kabul", "No group has claimed responsibility for the attack."),
    ("Explosion in Herat", "It is claimed that dozens died."),
    (
        "Clashes in Panjshir",
        "A Taliban spokesman denied any casualties and called the claim propaganda.",
    ),
    ("انفجار در کابل", "تاکنون هیچ گروهی مسئولیت این حمله را به عهده نگرفته است."),
]


@pytest.mark.parametrize(("title", "summary", "who"), CLAIMS)
def test_reads_the_claimant_of_an_explicit_claim(title, summary, who):
    assert read_event(title, summary).claimed_by == who


@pytest.mark.parametrize(("title", "summary"), NOT_CLAIMS)
def test_sources_and_denials_are_no_claim(title, summary):
    assert read_event(title, summary).claimed_by is None


def test_claimants_have_the_names_analysts_use():
    labels = claim_labels()
    assert labels["isk"] == "ISKP" and labels["nrf"] == "NRF" and labels["taliban"] == "Taliban"
    assert "independent" not in labels


# -- other languages ------------------------------------------------------------------------
LANGUAGE_CLAIMS = [
    # (title, summary, claimant or None)
    ("ИГ взяло на себя ответственность за взрыв в Кабуле", "", "isk"),
    (
        "Взрыв у мечети в Кундузе",
        "Ответственность за теракт взяла на себя группировка «Исламское государство».",
        "isk",
    ),
    (
        "Фронт национального сопротивления взял на себя ответственность за нападение в Панджшере",
        "",
        "nrf",
    ),
    ("Никто не взял на себя ответственность за взрыв в Кабуле", "", None),
    ("DEAŞ, Kunduz'daki camiye yapılan saldırıyı üstlendi", "", "isk"),
    ("El Estado Islámico reivindicó el atentado contra la mezquita", "", "isk"),
    ("Ningún grupo ha reivindicado el ataque en Kabul", "", None),
    ("Attentat à Kaboul", "L'attaque a été revendiquée par l'État islamique.", "isk"),
    ("Der Islamische Staat bekannte sich zu dem Anschlag in Kabul", "", "isk"),
    ("Lo Stato Islamico ha rivendicato l'attentato", "", "isk"),
    ("इस्लामिक स्टेट ने काबुल हमले की जिम्मेदारी ली", "", "isk"),
    ("داعش نے کابل دھماکے کی ذمہ داری قبول کر لی", "", "isk"),
    ("ٹی ٹی پی نے حملے کی ذمہ داری قبول کی", "", "ttp"),
]


@pytest.mark.parametrize(("title", "summary", "who"), LANGUAGE_CLAIMS)
def test_reads_a_claim_in_other_languages(title, summary, who):
    assert read_event(title, summary).claimed_by == who
