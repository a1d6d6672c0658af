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


# -- the languages of the wider press -------------------------------------------------------
# Each language: a claim (the claimant named before the phrase, or after it where the language
# puts it there), and near misses: a source of information and a denial name no claimant.
WIDER_PRESS_CLAIMS = [
    # (title, summary, claimant or None)
    # Dutch
    ("Islamitische Staat eist aanslag op moskee in Kunduz op", "", "isk"),
    ("Aanslag in Kabul", "De aanslag is opgeëist door Islamitische Staat.", "isk"),
    ("IS heeft de bomaanslag in Jalalabad opgeëist", "", "isk"),
    ("Taliban eisen onderzoek naar aanslag in Kabul", "", None),
    ("Aanslag in Kabul", "Dat meldt de politie, volgens de Taliban zijn zes doden gevallen.", None),
    ("Taliban ontkennen betrokkenheid, Islamitische Staat heeft aanslag niet opgeëist", "", None),
    # Polish
    ("Państwo Islamskie przyznało się do zamachu w Kabulu", "", "isk"),
    ("Zamach w Kunduzie", "Do zamachu przyznało się Państwo Islamskie.", "isk"),
    (
        "Talibowie wzięli na siebie odpowiedzialność za atak na posterunek w Pandższirze",
        "",
        "taliban",
    ),
    ("Wybuch w Kabulu", "Talibowie zaprzeczyli, jakoby przyznali się do zamachu.", None),
    ("Wybuch w Kabulu", "Jak poinformowali talibowie, zginęło pięć osób.", None),
    ("Talibowie wzięli na siebie odpowiedzialność za bezpieczeństwo lotniska", "", None),
    # Romanian
    ("Statul Islamic a revendicat atacul de la Kabul", "", "isk"),
    ("Explozie la Kunduz", "Atacul a fost revendicat de Statul Islamic.", "isk"),
    ("Statul Islamic și-a asumat responsabilitatea pentru atentatul din Kabul", "", "isk"),
    ("Talibanii au revendicat victoria în Panjshir", "", None),
    ("Explozie la Kabul", "Talibanii au negat că au revendicat atacul.", None),
    # Bulgarian
    ("„Ислямска държава“ пое отговорност за атентата в Кабул", "", "isk"),
    ("Взрив в Кабул", "Отговорност за атаката пое Ислямска държава.", "isk"),
    ("Талибаните поеха отговорност за сигурността на летището", "", None),
    ("Взрив в Кабул", "Талибаните отрекоха, че са поели отговорност за атаката.", None),
    # Azerbaijani
    ("İŞİD Kabildəki partlayışın məsuliyyətini öz üzərinə götürüb", "", "isk"),
    ("İslam Dövləti Kunduzdakı hücumu öz üzərinə götürdü", "", "isk"),
    ("Taliban hökuməti xərcləri öz üzərinə götürdü", "", None),
    ("Taliban partlayışın məsuliyyətini öz üzərinə götürmədi", "", None),
    # Kazakh
    ("ИГИЛ Кабулдағы жарылыс үшін жауапкершілікті өз мойнына алды", "", "isk"),
    ("Талибан Кабулдағы жарылыс үшін жауапкершілікті өз мойнына алмады", "", None),
    # Swedish, Danish, Norwegian
    ("IS tar på sig dådet i Kabul", "", "isk"),
    ("Islamiska staten tar på sig ansvaret för attacken mot moskén i Kunduz", "", "isk"),
    ("Islamisk Stat påtager sig ansvaret for angrebet i Kabul", "", "isk"),
    ("Den islamske staten tar på seg ansvaret for angrepet i Kabul", "", "isk"),
    ("Talibanerna tar ansvar för säkerheten vid flygplatsen", "", None),
    ("Eksplosion i Kabul", "Talibanerne afviser at have taget ansvaret for angrebet.", None),
    # Czech, Slovak
    ("K útoku v Kábulu se přihlásil Islámský stát", "", "isk"),
    ("Výbuch v Kábulu", "Islámský stát se k útoku přihlásil.", "isk"),
    ("Islamský štát sa prihlásil k útoku na mešitu v Kunduze", "", "isk"),
    ("Výbuch v Kábulu", "Tálibán popřel, že se k útoku přihlásil.", None),
    # Slovenian, Croatian, Serbian, Bosnian
    ("Islamska država preuzela je odgovornost za napad u Kabulu", "", "isk"),
    ("Islamska država je prevzela odgovornost za napad v Kabulu", "", "isk"),
    ("Исламска држава преузела је одговорност за напад у Кабулу", "", "isk"),
    ("Talibani preuzeli odgovornost za sigurnost aerodroma", "", None),
    (
        "Eksplozija u Kabulu",
        "Talibani nisu preuzeli odgovornost za napad, rekao je glasnogovornik.",
        None,
    ),
    # Greek
    ("Το Ισλαμικό Κράτος ανέλαβε την ευθύνη για την επίθεση στην Καμπούλ", "", "isk"),
    ("ΤΟ ΙΣΛΑΜΙΚΟ ΚΡΑΤΟΣ ΑΝΕΛΑΒΕ ΤΗΝ ΕΥΘΥΝΗ ΓΙΑ ΤΗΝ ΕΚΡΗΞΗ", "", "isk"),
    ("Έκρηξη στην Καμπούλ", "Οι Ταλιμπάν αρνήθηκαν ότι ανέλαβαν την ευθύνη για την επίθεση.", None),
    ("Έκρηξη στην Καμπούλ", "Σύμφωνα με τους Ταλιμπάν, σκοτώθηκαν πέντε άνθρωποι.", None),
    # Hungarian
    ("Az Iszlám Állam vállalta a kabuli merényletet", "", "isk"),
    ("Robbantás Kabulban", "A merényletet az Iszlám Állam vállalta magára.", "isk"),
    ("Robbantás Kabulban", "A tálibok tagadták, hogy ők vállalták a merényletet.", None),
    # Armenian
    ("Իսլամական պետությունը ստանձնել է Քաբուլի պայթյունի պատասխանատվությունը", "", "isk"),
    (
        "Պայթյուն Քաբուլում",
        "Թալիբները հերքել են, որ ստանձնել են պայթյունի պատասխանատվությունը։",
        None,
    ),
    # Bengali
    ("কাবুলে মসজিদে হামলার দায় স্বীকার করেছে ইসলামিক স্টেট", "ইসলামিক স্টেট এই হামলার দায় স্বীকার করেছে।", "isk"),
    ("কাবুলে বিস্ফোরণ", "তালেবান এই হামলার দায় অস্বীকার করেছে।", None),
    ("কাবুলে বিস্ফোরণ", "তালেবানের মুখপাত্র জানিয়েছেন, পাঁচজন নিহত হয়েছেন।", None),
    # Finnish
    ("Isis otti vastuun Kabulin iskusta", "", "isk"),
    ("Islamilainen valtio otti vastuun itsemurhaiskusta Kunduzissa", "", "isk"),
    ("Talibanit ottivat vastuun lentokentän turvallisuudesta", "", None),
    ("Räjähdys Kabulissa", "Talibanit kiistivät ottaneensa vastuun iskusta.", None),
    # Estonian
    ("Islamiriik võttis Kabuli rünnaku eest vastutuse", "", "isk"),
    ("Plahvatus Kabulis", "Taliban eitas, et võttis rünnaku eest vastutuse.", None),
    # Tagalog
    ("Inako ng ISIS ang pag-atake sa mosque sa Kabul", "", "isk"),
    ("Islamic State, inako ang pagsabog sa Kabul", "", "isk"),
    ("Pagsabog sa Kabul", "Itinanggi ng Taliban na inako nila ang pag-atake.", None),
    ("Pagsabog sa Kabul", "Ayon sa Taliban, lima ang nasawi.", None),
    # Malay
    ("Negara Islam mengaku bertanggungjawab atas serangan di Kabul", "", "isk"),
    (
        "Letupan di Kabul",
        "Taliban menafikan mereka mengaku bertanggungjawab atas serangan itu.",
        None,
    ),
    ("Letupan di Kabul", "Menurut Taliban, lima orang terbunuh.", None),
]


@pytest.mark.parametrize(
    ("title", "summary", "who"), WIDER_PRESS_CLAIMS, ids=[c[0][:30] for c in WIDER_PRESS_CLAIMS]
)
def test_reads_a_claim_in_the_languages_of_the_wider_press(title, summary, who):
    assert read_event(title, summary).claimed_by == who
