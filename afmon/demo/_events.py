"""Which real-world event each demo item reports: the truth the story clusterer is tested on.

The generator draws items independently, so one event is whatever a reader would take for one:
reports of the same kind (below) about the same province within 12 hours of the event's
first report are one event, unless both name towns and the towns differ ("Magnetic bomb hits minibus
in Kabul's Paghman" and "... in Kabul's Karte Sakhi" are two bombs).

A kind is one title template's story (a flogging, a school closure and a governor's removal
are different news). `SAME` joins templates of different languages or categories that tell
the same story (a flood in Farah in English, Dari and Pashto). The hand-placed items
(_nasty.py) name their own events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WINDOW_MINUTES = 12 * 60
# The generator keeps events apart that a reader could not: within this time of each other, one
# province never has two events of one family, nor two events of one kind (a repeat two days
# on would read as a late report of the first).
APART_MINUTES = 96 * 60

# Families of kinds a reader could confuse in one province: any two security incidents, two
# reports of militants' presence, two humanitarian or disaster stories.
CATEGORY_FAMILY = {
    "nrf": "security",
    "aff": "security",
    "isk": "security",
    "ttp": "security",
    "north": "security",
    "south": "security",
    "haqqani": "security",
    "aq": "security",
    "hum": "hum",
    "econ": "econ",
}
KIND_FAMILY = {
    "nrf-clash": "security",
    "nrf-detentions": "security",
    "aff-attack": "security",
    "isk-blast": "security",
    "durand-clash": "security",
    "food-aid": "hum",
    "flood": "hum",
    "quake": "hum",
    "aq-camps": "security",
    "haqqani-visit": "security",
    "tajik-border": "security",
    "hairatan-trade": "uz-trade",
    "termez-border": "uz-trade",
    "helmand-water": "water",
    "iran-returns": "returns",
    "uz7": "uz-trade",
}

# Title templates that tell one story, whatever their language or category.
SAME: dict[str, tuple[str, ...]] = {
    "nrf-clash": (
        "NRF says it killed {n} Taliban fighters in {t}, {p}",
        "Clashes between NRF and Taliban reported in {p}'s {t} district",
        "National Resistance Front claims ambush on Taliban convoy in {t}",
        "درگیری شدید میان جبهه مقاومت ملی و طالبان در {p}",
        "Ҷабҳаи муқовимати миллӣ аз задухӯрд бо Толибон дар Панҷшер хабар дод",
    ),
    "nrf-detentions": (
        "Taliban detain {N} men in {p} accused of links to the NRF",
        "طالبان {N} تن را به اتهام همکاری با جبهه مقاومت در {p} بازداشت کردند",
        "Толибон дар Тахор {N} нафарро боздошт карданд",
    ),
    "aff-attack": (
        "Afghanistan Freedom Front claims attack on Taliban post in {p}",
        "AFF says it targeted Taliban intelligence officers in {t}",
        "Freedom Front claims rocket attack on Taliban base in {t}, {p}",
        "جبهه آزادی افغانستان مسئولیت حمله بر طالبان در {p} را پذیرفت",
    ),
    "isk-blast": (
        "ISKP claims responsibility for bomb blast in {t}, {p}",
        "Explosion in {p} kills {n}; Islamic State Khorasan claims attack",
        "انفجار در {p}؛ داعش مسئولیت آن را به عهده گرفت",
        "په {p} کې چاودنه؛ داعش مسؤلیت ومانه",
        "Дар Кундуз {n} нафар дар таркиши бомба кушта шуданд",
    ),
    "durand-clash": (
        "Taliban and Pakistani forces exchange fire on Durand Line near {t}",
        "Border clashes in {p} as Pakistan accuses Kabul of sheltering TTP",
        "درگیری مرزی میان نیروهای طالبان و پاکستان در {p}",
        "د ډیورنډ کرښې پر سر د طالبانو او پاکستاني ځواکونو ترمنځ ډزې",
    ),
    "torkham-reopens": (
        "Torkham crossing reopens after {n}-day closure",
        "تورخم لاره د سوداګرۍ لپاره بیا پرانیستل شوه",
    ),
    "food-aid": (
        "UN: {N},000 families in {p} need urgent food aid",
        "سازمان ملل: {N} هزار خانواده در {p} به کمک غذایی فوری نیاز دارند",
        "ملګري ملتونه: په {p} کې زرګونه کورنۍ بشري مرستو ته اړتیا لري",
    ),
    "flood": (
        "Flash floods kill {n} in {p}",
        "سیلاب‌ها در {p} {n} کشته برجای گذاشت",
        "په {p} کې سېلابونو {n} کسان ووژل",
    ),
    "quake": (
        "Earthquake of magnitude 5.{n} shakes {p}",
        "زلزله‌ای به بزرگی ۵ ریشتر {p} را لرزاند",
    ),
    "girls-schools": (
        "Girls' schools in {p} remain closed beyond sixth grade",
        "مکتب‌های دختران بالاتر از صنف ششم در {p} همچنان بسته است",
        "د نجونو ښوونځي په {p} کې لا هم تړلي دي",
    ),
    "flogging": (
        "Taliban flog {n} people in {p} stadium",
        "طالبان {n} تن را در ورزشگاه {p} شلاق زدند",
    ),
    "aq-camps": (
        "UN monitors: al-Qaeda runs training camps in {p}",
        "گزارش سازمان ملل: القاعده در {p} اردوگاه آموزشی دارد",
    ),
    "haqqani-visit": (
        "Sirajuddin Haqqani visits {p}, meets tribal elders",
        "سراج‌الدین حقانی در سفر به {p} با بزرگان قومی دیدار کرد",
    ),
    "helmand-water": (
        "Iran demands Helmand River water share as drought deepens",
        "ایران خواستار اجرای معاهده آب هلمند شد",
    ),
    "iran-returns": (
        "{N},000 Afghans deported from Iran in a week, UNHCR says",
        "بیش از {N} هزار مهاجر در یک هفته از ایران از طریق اسلام‌قلعه بازگشتند",
    ),
    "hairatan-trade": (
        "Hairatan port sees {pct}% rise in imports from Uzbekistan",
        "واردات از طریق بندر حیرتان از ازبکستان افزایش یافت",
        "Hayraton orqali Afgʻonistonga yuk tashish {n}0 foizga oshdi",
    ),
    "mes-aynak": (
        "Chinese firm resumes work at Mes Aynak copper mine in Logar",
        "Mes Aynak: MCC says road to Logar mine site complete",
        "شرکت چینی کار در معدن مس عینک لوگر را آغاز کرد",
        "چین غواړي د مس عینک کان کار ګړندی کړي",
    ),
    "governor-change": (
        "Haqqani commander appointed governor of {p}",
        "Taliban replace governor of {p}",
    ),
    "tajik-border": (
        "تاجیکستان نیروهای بیشتری را در مرز با {p} مستقر کرد",
        "Тоҷикистон марзро бо Бадахшони Афғонистон тақвият дод",
    ),
    "termez-border": (
        "Uzbekistan reinforces Termez border as tension rises in {p}",
        "Termiz: Afgʻoniston chegarasida xavfsizlik choralari kuchaytirildi",
    ),
}
_KIND_OF = {title: kind for kind, titles in SAME.items() for title in titles}


@dataclass(frozen=True, slots=True)
class Report:
    """What the generator knows of one item: its story kind, province and town, and when."""

    kind: str
    province: str | None
    town: str | None
    offset: float
    family: str | None = None

    def at(self, offset: float) -> Report:
        return Report(self.kind, self.province, self.town, offset, self.family)

    def confusable(self, other: Report) -> bool:
        """Whether a reader could take `self` and `other` for one event, or for two, when
        they are not: same province, close in time, and of one family (or one kind, but too
        far apart to be one event, or in different towns)."""
        apart = abs(self.offset - other.offset)
        if apart >= APART_MINUTES:
            return False
        if self.province != other.province:
            # A report placed nowhere may be read as one placed anywhere, in its family.
            unplaced = self.province is None or other.province is None
            return unplaced and self.family is not None and self.family == other.family
        if self.kind == other.kind:
            towns_differ = self.town and other.town and self.town != other.town
            return apart > WINDOW_MINUTES or bool(towns_differ)
        return self.family is not None and self.family == other.family


def kind(template_id: str, title_template: str) -> str:
    """The story kind of a title template (see the module docstring)."""
    return _KIND_OF.get(title_template, template_id)


# Titles whose story is an incident although their category's are mostly not.
TITLE_FAMILY = {
    "Shooting on Tajik-Afghan border near {t}; {n} killed": "security",
    "Tajik border guards clash with smugglers from {p}": "security",
    "Land dispute in {p} turns violent, {n} killed": "security",
    "Flash floods kill {n} in {p}": "hum",
    "Trans-Afghan railway: Uzbekistan, Pakistan and Taliban sign framework deal": "uz-trade",
    "Uzbek trade delegation visits Mazar-i-Sharif": "uz-trade",
    "Taliban destroy poppy fields in {p}": "poppy",
    "Kamal Khan dam: Iran says Taliban withhold water": "water",
    "Returnees crowd Islam Qala as Iran speeds up deportations": "returns",
    "{N},000 Afghans deported from Iran in a week, UNHCR says": "returns",
    "Pakistan's ISI chief holds talks with Taliban leaders": "isi",
    "د پاکستان د آی ایس آی مشر له طالب چارواکو سره وکتل": "isi",
    # Pashto names the AFF and the NRF in inflected forms the tagger does not know: reports
    # of their own, kept apart from the groups' other reports.
    "د افغانستان د ازادۍ جبهې په {p} کې د طالبانو پر یوه پوسته برید وکړ": "security",
    "په {p} کې د طالبانو او ملي مقاومت جبهې ترمنځ نښته": "security",
    # ... and the Helmand river ("د هلمند سیند") is no place the tagger reads.
    "ایران: د هلمند سیند د اوبو حق باید ورکړل شي": "water",
    # The UN's appeals in Uzbek and Tajik name no place and no party the tagger reads.
    "BMT: Afgʻonistonda {N} million kishi gumanitar yordamga muhtoj": "un-appeal",
    "Созмони Милал: шумораи гуруснагон дар Афғонистон афзуд": "un-appeal",
    "Opium cultivation returns to parts of {p}, report says": "poppy",
}


def family(kind_name: str, category: str | None = None, title: str = "") -> str | None:
    return (
        TITLE_FAMILY.get(title) or KIND_FAMILY.get(kind_name) or CATEGORY_FAMILY.get(category or "")
    )


def assign(reports: Iterable[Report]) -> list[str]:
    """An event id for each report, in the order given."""
    reports = list(reports)
    events: dict[tuple[str, str | None], list[tuple[float, set[str], str]]] = {}
    out = [""] * len(reports)
    serial = 0
    for index in sorted(range(len(reports)), key=lambda i: reports[i].offset):
        r = reports[index]
        known = events.setdefault((r.kind, r.province), [])
        for start, towns, event_id in known:
            close = r.offset - start <= WINDOW_MINUTES
            if close and (r.town is None or not towns or r.town in towns):
                if r.town:
                    towns.add(r.town)
                out[index] = event_id
                break
        else:
            serial += 1
            event_id = f"e{serial}-{r.kind}"
            known.append((r.offset, {r.town} if r.town else set(), event_id))
            out[index] = event_id
    return out
