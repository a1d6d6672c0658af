"""One event reported in English and in the languages of the wider press (Dutch, Polish,
Romanian, Czech, Hungarian ...) is one story; two events of one type on one day in two
provinces stay two, whatever the language; a claim in one of those languages joins the attack it
claims.

Reports are tagged by afmon's own tagger and clustered in published order (see
test_story_regressions.py).
"""

from __future__ import annotations

from tests.test_story_regressions import report, stories


# -- one event, several languages ------------------------------------------------------------
def test_a_mosque_blast_in_kunduz_in_english_dutch_polish_and_romanian_is_one_story():
    assert stories(
        report(1, "Reuters", 0, "Blast at mosque in Afghanistan's Kunduz kills at least 12"),
        report(2, "NOS", 1, "Explosie bij moskee in Kunduz eist zeker twaalf levens"),
        report(3, "TVN24", 2, "Wybuch w meczecie w Kunduzie, co najmniej 12 zabitych"),
        report(4, "Digi24", 3, "Explozie la o moschee din Kunduz: cel puțin 12 morți"),
    ) == [{1, 2, 3, 4}]


def test_an_earthquake_in_herat_in_english_dutch_polish_and_romanian_is_one_story():
    assert stories(
        report(1, "AP", 0, "Earthquake kills dozens in Afghanistan's Herat"),
        report(2, "NU.nl", 2, "Aardbeving treft Herat, tientallen doden"),
        report(3, "Onet", 5, "Trzęsienie ziemi w prowincji Herat, dziesiątki ofiar"),
        report(4, "Mediafax", 9, "Cutremur puternic în provincia Herat din Afganistan"),
    ) == [{1, 2, 3, 4}]


def test_a_decree_of_the_taliban_leader_in_english_and_dutch_is_one_story():
    # A decree is a kind of news, not an incident: only words link two reports of one, so
    # these name the same leader and city.
    assert stories(
        report(1, "AP", 0, "Akhundzada decree from Kandahar bans women from universities"),
        report(
            2,
            "NOS",
            2,
            "Akhundzada vaardigt in Kandahar decreet uit: vrouwen niet meer naar de universiteit",
        ),
    ) == [{1, 2}]


# -- two events, one language --------------------------------------------------------------
def test_blasts_in_kandahar_and_helmand_on_one_day_in_romanian_are_two_stories():
    assert stories(
        report(1, "Digi24", 0, "Explozie la Kandahar: cinci morți"),
        report(2, "Digi24", 3, "Explozie la Helmand: trei morți"),
    ) == [{1}, {2}]


def test_blasts_in_kandahar_and_helmand_on_one_day_in_polish_are_two_stories():
    assert stories(
        report(1, "TVN24", 0, "Wybuch w Kandaharze, pięciu zabitych"),
        report(2, "Onet", 4, "Wybuch w prowincji Helmand, trzech zabitych"),
    ) == [{1}, {2}]


# -- a claim joins the attack -------------------------------------------------------------
def test_a_polish_claim_joins_the_english_report_of_the_mosque_blast():
    assert stories(
        report(1, "Reuters", 0, "Blast at mosque in Afghanistan's Kunduz kills at least 12"),
        report(2, "TVN24", 2, "Państwo Islamskie przyznało się do zamachu w Kunduzie"),
    ) == [{1, 2}]


def test_a_polish_claim_joins_the_polish_report_of_the_blast_and_not_another_province():
    assert stories(
        report(1, "TVN24", 0, "Wybuch w meczecie w Kunduzie, co najmniej 12 zabitych"),
        report(2, "Onet", 2, "Wybuch w prowincji Helmand, trzech zabitych"),
        report(
            3,
            "RMF FM",
            20,
            "Państwo Islamskie przyznało się do zamachu na meczet w Kunduzie",
        ),
    ) == [{1, 3}, {2}]
