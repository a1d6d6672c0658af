"""Event type, casualties and claims read from text: cases written for afmon, English, Dari and
Pashto."""

from __future__ import annotations

import pytest

from analysis.events import EventInfo, read_event, related

CASES = [
    # (title, summary, event type, killed, wounded, claimed by)
    ("Suicide bomber kills 7 at Shi'ite mosque in Kabul", "", "suicide_attack", 7, None, None),
    ("Roadside bomb hits Taliban vehicle in Jalalabad, 3 killed", "", "ied", 3, None, None),
    (
        "Pakistani airstrikes in Khost kill 8 civilians, residents say",
        "",
        "airstrike",
        8,
        None,
        "independent",
    ),
    (
        "Rockets fired at Kabul airport area, no casualties reported",
        "",
        "rocket_fire",
        None,
        None,
        None,
    ),
    (
        "Former army officer shot dead by unknown gunmen in Mazar",
        "",
        "assassination",
        None,
        None,
        None,
    ),
    (
        "Iranian border guards and Taliban exchange fire at Islam Qala",
        "",
        "border_incident",
        None,
        None,
        None,
    ),
    ("Two farmers killed in clashes with Taliban in Badakhshan", "", "clash", 2, None, None),
    ("Taliban intelligence detains two journalists in Kandahar", "", "arrest", None, None, None),
    ("Women protest in Herat against university ban", "", "protest", None, None, None),
    ("NRF says it killed 9 Taliban fighters in Panjshir", "", None, 9, None, "nrf"),
    (
        "Explosion in Kabul",
        "Islamic State claimed responsibility through its Amaq agency.",
        "ied",
        None,
        None,
        "iskp-outlet",
    ),
    (
        "Blast kills 5, wounds 12 in Kunduz",
        "Zabihullah Mujahid said an investigation began.",
        "ied",
        5,
        12,
        "taliban-spokesman",
    ),
    ("حمله انتحاری در کابل؛ ۷ تن کشته و ۱۵ تن زخمی شدند", "", "suicide_attack", 7, 15, None),
    ("بازداشت دو خبرنگار در قندهار", "", "arrest", None, None, None),
    ("درگیری مرزی میان مرزبانان ایران و طالبان", "", "border_incident", None, None, None),
    ("په ننګرهار کې چاودنه: ۳ تنه ووژل شول او ۱۲ نور ټپیان شول", "", "ied", 3, 12, None),
    ("په خوست کې د پاکستان هوايي برید", "", "airstrike", None, None, None),
    ("Mes Aynak copper mine works restart in Logar", "", None, None, None, None),
    ("Floods in 2024 destroyed 300 homes", "", None, None, None, None),
]


@pytest.mark.parametrize(("title", "summary", "kind", "killed", "wounded", "who"), CASES)
def test_reads_event_casualties_and_claim(title, summary, kind, killed, wounded, who):
    assert read_event(title, summary) == EventInfo(kind, killed, wounded, who)


def test_casualties_add_killed_and_wounded():
    assert read_event("Blast kills 5, wounds 12").casualties == 17
    assert read_event("Taliban detain protesters").casualties is None


def test_early_explosion_and_later_suicide_attack_are_related():
    assert related("ied", "suicide_attack")
    assert not related("arrest", "airstrike")
