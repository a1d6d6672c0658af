"""Each kind of false merge and miss found in real reporting and on the demo corpus, as a case.

Reports are tagged by afmon's own tagger (what users get) and clustered in published order.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis.cluster import Clusterer, Doc, cluster
from feeds.tagger import get_tagger

T0 = datetime(2025, 3, 10, 6, 0, tzinfo=UTC).timestamp()


def report(n: int, outlet: str, hours: float, title: str, summary: str = "") -> Doc:
    tags = get_tagger().tag(title, summary)
    return Doc.make(
        n,
        outlet,
        title,
        T0 + hours * 3600,
        tags.provinces,
        tags.actors,
        summary=summary,
        evidence=[(e.kind, e.code, e.start, e.text) for e in tags.evidence],
    )


def stories(*reports: Doc) -> list[set[int]]:
    """The partition the clusterer makes (small stories it merged counted as merged), as
    sets of report numbers."""
    by_story: dict[int, set[int]] = {}
    for doc_id, story_id in cluster(reports).items():
        by_story.setdefault(story_id, set()).add(doc_id)
    return sorted(by_story.values(), key=min)


# -- misses: one event, reported differently ------------------------------------------------
def test_a_toll_that_rises_through_the_day_stays_one_story():
    assert stories(
        report(
            1,
            "The Independent",
            0,
            "Kabul explosion: three US troops injured in attack outside airport",
            "A blast believed to have been caused by a suicide bomber hit the airport gate.",
        ),
        report(
            2, "Reuters", 5, "At least 60 Afghans and 12 US troops killed in Kabul airport attack"
        ),
        report(
            3,
            "AP",
            14,
            "Death toll from Kabul airport bombing rises to 170",
            "Health officials said the toll rose overnight.",
        ),
    ) == [{1, 2, 3}]


def test_the_claim_of_responsibility_joins_the_first_report_of_the_attack():
    assert stories(
        report(
            1,
            "Amu TV",
            0,
            "Taliban governor of Balkh killed in explosion at his office",
            "The governor was killed in Mazar-i-Sharif on Thursday.",
        ),
        report(
            2,
            "Reuters",
            20,
            "Islamic State claims responsibility for killing Balkh governor",
            "The group's Amaq agency said one of its fighters carried out the attack.",
        ),
    ) == [{1, 2}]


def test_two_framings_of_one_blast_are_one_story():
    assert stories(
        report(
            1,
            "AP",
            0,
            "Blast hits religious school in northern Afghanistan",
            "An explosion tore through a madrassa during afternoon prayers.",
        ),
        report(
            2,
            "TOLOnews",
            2,
            "Explosion kills 15 at seminary in Samangan's Aybak",
            "Officials said the blast hit a religious school.",
        ),
    ) == [{1, 2}]


def test_the_same_event_in_dari_and_in_english_is_one_story():
    assert stories(
        report(1, "Reuters", 0, "Suicide bomber kills 50 at Shia mosque in Kunduz"),
        report(
            2, "BBC Persian", 1.5, "حمله انتحاری بر مسجد شیعیان در کندز دست‌کم ۵۰ کشته برجا گذاشت"
        ),
        report(3, "BBC Pashto", 2, "په کندز کې پر یوه جومات ځانمرګی برید: ۵۰ تنه ووژل شول"),
    ) == [{1, 2, 3}]


def test_reports_hours_apart_sharing_only_place_and_type_are_one_story():
    assert stories(
        report(1, "Pajhwok", 0, "Explosion heard in Jalalabad city"),
        report(2, "Khaama Press", 3, "Bomb blast rocks Jalalabad, casualties feared"),
    ) == [{1, 2}]


def test_a_claim_a_day_later_joins_the_attack_it_claims():
    assert stories(
        report(
            1,
            "RFE/RL",
            0,
            "Explosion hits military airport checkpoint in Kabul, casualties reported",
            "A blast struck a checkpoint near the military airport on Sunday morning.",
        ),
        report(2, "Reuters", 24, "ISIS claims responsibility for Kabul attack"),
    ) == [{1, 2}]


def test_a_flood_reported_for_days_in_dari_and_pashto_stays_one_story():
    assert stories(
        report(1, "Reuters", 0, "Flash floods kill at least 50 in Afghanistan's Baghlan"),
        report(
            2,
            "BBC Pashto",
            30,
            "په بغلان کې تر مرګوني سېلاب وروسته د ژوندي پاتې شویو کسانو پسې لټون پیل شوی",
        ),
        report(3, "BBC Persian", 44, "جسدهای قربانیان سیلاب‌ها در بغلان امروز به خاک سپرده شدند"),
    ) == [{1, 2, 3}]


def test_two_spellings_of_a_gurdwara_are_one_target():
    assert stories(
        report(1, "ANI", 0, "IS terrorists open fire in Kabul gurudwara; 2 dead"),
        report(2, "AP", 20, "4 killed in assault on Kabul gurdwara"),
    ) == [{1, 2}]


def test_claims_of_control_of_a_province_are_one_story():
    assert stories(
        report(1, "Al Arabiya", 0, "Taliban claims 'complete capture' of Afghanistan's Panjshir"),
        report(
            2,
            "Reuters",
            2,
            "Taliban claim control of Panjshir, opposition says resistance will continue",
        ),
    ) == [{1, 2}]


# -- false merges: two events that look alike ---------------------------------------------
def test_two_blasts_in_one_city_days_apart_are_two_stories():
    assert stories(
        report(1, "TOLOnews", 0, "Blast in Kabul's Karte Sakhi kills 3"),
        report(2, "Kabul Now", 50, "Explosion in Kabul's Shar-e Naw kills two"),
    ) == [{1}, {2}]


def test_two_blasts_in_one_city_on_one_morning_in_different_districts_are_two_stories():
    assert stories(
        report(1, "TOLOnews", 0, "Magnetic bomb hits minibus in Kabul's Paghman"),
        report(2, "Amu TV", 2, "Magnetic bomb hits minibus in Kabul's Karte Sakhi"),
    ) == [{1}, {2}]


def test_the_same_headline_three_days_later_is_the_next_event():
    assert stories(
        report(1, "Ariana News", 0, "Explosion at weapons depot in Helmand kills 7 Taliban"),
        report(2, "Pajhwok", 70, "Explosion at weapons depot in Helmand kills 6 Taliban"),
    ) == [{1}, {2}]


def test_a_blast_at_the_funeral_of_an_earlier_victim_is_a_new_story():
    assert stories(
        report(1, "Reuters", 0, "Car bomb kills Taliban's deputy governor of Badakhshan"),
        report(
            2,
            "Al Mayadeen",
            48,
            "Dozens killed in mosque bombing in Badakhshan's Faizabad",
            "The deputy governor whose funeral was being held was killed in a car bomb two"
            " days ago.",
        ),
    ) == [{1}, {2}]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Heavy clashes between Taliban and NRF in Panjshir", "Clashes erupt in Badakhshan's Jurm"),
        (
            "Kamal Khan dam: Iran says Taliban withhold water",
            "Iranian and Taliban border guards clash near Kamal Khan Dam",
        ),
        ("Explosion in Kunar kills 4", "Explosion at Kabul mosque kills 6"),
    ],
)
def test_a_shared_generic_frame_is_no_reason_to_merge(first, second):
    assert stories(report(1, "A", 0, first), report(2, "B", 3, second)) == [{1}, {2}]


def test_another_earthquake_days_later_is_a_new_story():
    assert stories(
        report(1, "Reuters", 0, "Earthquake kills over 2,000 in Herat"),
        report(2, "AP", 30, "Death toll from Herat earthquake rises to 2,400"),
        report(
            3,
            "AFP",
            96,
            "Another strong earthquake shakes western Afghanistan",
            "A new quake struck near Herat city.",
        ),
    ) == [{1, 2}, {3}]


# -- the demo corpus, as an analyst found it -----------------------------------------------
def test_polio_campaigns_in_three_provinces_and_al_qaeda_camps_are_four_stories():
    assert stories(
        report(
            1,
            "UNAMA",
            0,
            "Polio vaccination campaign begins in Kabul",
            "Health workers in Kabul said 40,000 children would be vaccinated.",
        ),
        report(
            2,
            "UN News",
            1,
            "Polio vaccination campaign begins in Kandahar",
            "Health workers in Kandahar said 80,000 children would be vaccinated.",
        ),
        report(
            3,
            "Pajhwok",
            2,
            "Polio vaccination campaign begins in Baghlan",
            "Health workers in Baghlan said 30,000 children would be vaccinated.",
        ),
        report(
            4,
            "Long War Journal",
            3,
            "UN monitors: al-Qaeda runs training camps in Kandahar",
            "A UN monitoring team report said al-Qaeda maintains training camps.",
        ),
    ) == [{1}, {2}, {3}, {4}]


def test_a_call_for_dialogue_a_land_dispute_and_a_flood_are_three_stories():
    assert stories(
        report(
            1,
            "Amu TV",
            0,
            "Ahmad Massoud calls for national dialogue in message from abroad",
            "Massoud said the NRF was present in Panjshir, Andarab, Takhar and Badakhshan.",
        ),
        report(
            2,
            "UNAMA",
            1,
            "Land dispute in Baghlan turns violent, 7 killed",
            "Tribal elders in Baghlan said a dispute in Andarab left 7 people dead.",
        ),
        report(3, "VOA Dari", 2, "سیلاب‌ها در بغلان ۷ کشته برجای گذاشت"),
    ) == [{1}, {2}, {3}]


def test_a_kabul_mosque_blast_a_kunar_blast_and_a_school_attack_are_three_stories():
    assert stories(
        report(1, "TOLOnews", 0, "Blast near mosque in Shahr-e Naw, Kabul; casualties reported"),
        report(2, "Pashto service", 1, "په کونړ کې چاودنه؛ داعش مسؤلیت ومانه"),
        report(
            3, "Khaama Press", 2, "Gunmen attack school in Kabul's Dasht-e Barchi, 84 casualties"
        ),
    ) == [{1}, {2}, {3}]


def test_a_delegation_visit_does_not_join_a_bombing_or_take_its_claims():
    delegation = report(
        1,
        "Afghanistan International",
        0,
        "Turkmenistan's delegation in Kabul to discuss TAPI and power lines",
        "The delegation discussed the TAPI gas pipeline, the Taliban foreign ministry said.",
    )
    blast = report(
        2,
        "Khaama Press",
        1,
        "IED blast in Kabul kills 3",
        "Islamic State claimed responsibility through its Amaq agency.",
    )
    assert stories(delegation, blast) == [{1}, {2}]
    assert delegation.claimed_by is None and blast.claimed_by == "isk"


def test_untitled_items_never_join_anything():
    assert stories(
        report(1, "A", 0, "(untitled)"),
        report(2, "B", 0.1, "(untitled)"),
        report(3, "C", 0.2, ""),
        report(4, "D", 0.3, "News"),
    ) == [{1}, {2}, {3}, {4}]


def test_near_identical_texts_from_two_outlets_are_one_source():
    clusterer = Clusterer()
    text = "Suicide bomber kills 7 at mosque in Kabul", "A suicide bomber struck a mosque."
    for n, outlet in enumerate(("Wire A", "Reposting site"), 1):
        clusterer.add(report(n, outlet, n * 0.1, *text))
    (story,) = clusterer.stories.values()
    assert story.outlets == {"Wire A", "Reposting site"}
    assert story.independent == 1
    clusterer.add(report(3, "Amu TV", 0.5, "Seven killed in suicide attack on Kabul mosque"))
    assert story.independent == 2


def test_a_target_one_report_named_in_passing_does_not_draw_the_next_attack_in():
    # Eight reports of a hospital attack, one of which names a mosque in passing: a blast at
    # a mosque an hour later is another attack, not this story's (stories must not chain).
    assert stories(
        report(1, "Wire A", 0, "Gunmen attack military hospital in Kabul, 20 killed"),
        report(2, "Wire B", 0.5, "Explosions and gunfire at Kabul military hospital"),
        report(3, "Wire C", 1, "Islamic State claims attack on Kabul military hospital"),
        report(4, "Wire D", 1.5, "Kabul hospital attack: toll rises to 25"),
        report(5, "Wire E", 2, "Kabul military hospital attack leaves 25 dead, 50 wounded"),
        report(6, "Wire F", 2.5, "Kabul hospital siege ends after hours of fighting"),
        report(7, "Wire G", 2.7, "Doctors describe horror of Kabul military hospital attack"),
        report(
            8,
            "Wire H",
            3,
            "Attack in Kabul: gunmen stormed the hospital after a blast near a mosque",
        ),
        report(9, "Wire I", 4, "Blast at a Kabul mosque kills 7 worshippers"),
    ) == [{1, 2, 3, 4, 5, 6, 7, 8}, {9}]
