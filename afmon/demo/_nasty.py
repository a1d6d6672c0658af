"""Hand-placed demo items: one story told by many outlets, and hostile titles.

The duplicate story lets the demo show clustering and multi-outlet watch alerts; the hostile
titles (Rich/Textual markup, C1 control codes, bidi overrides, HTML) prove that afmon shows
feed text as text. Everything here is valid XML 1.0: ESC itself (U+001B) cannot appear in an
XML document, so the C1 forms of CSI/OSC/ST (U+009B, U+009D, U+009C) stand in for it; the
broken-XML feed (server.py) carries raw ESC bytes instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FixedItem:
    slug: str
    title: str
    summary: str
    offset: float  # minutes relative to server start
    event: str = ""  # the event it reports (one per item unless it is part of a told story)


_S = 1 / 60  # one second, in minutes

# An ISKP suicide attack in Kabul, released during the demo's first four minutes.
KABUL_ATTACK = (
    FixedItem(
        "tolo-en",
        "Suicide bombing at Dasht-e Barchi education centre in Kabul",
        "A suicide bomber struck an education centre in Dasht-e Barchi in the west of Kabul, "
        "killing at least 11 students. Islamic State Khorasan claimed the attack.",
        20 * _S,
    ),
    FixedItem(
        "tolo-fa",
        "انفجار انتحاری در یک مرکز آموزشی در دشت برچی کابل",
        "در پی این انفجار دست‌کم ۱۱ دانش‌آموز کشته شدند. داعش شاخه خراسان مسئولیت آن را به "
        "عهده گرفته است.",
        55 * _S,
    ),
    FixedItem(
        "khaama-en",
        "ISKP claims deadly attack on students in west Kabul",
        "Islamic State Khorasan said one of its fighters detonated an explosive vest in the "
        "Dasht-e Barchi area of Kabul. Taliban police confirmed casualties.",
        80 * _S,
    ),
    FixedItem(
        "amu-en",
        "Kabul: death toll from Dasht-e Barchi suicide attack rises to 17",
        "Hospital sources in Kabul said 17 people, most of them Hazara students, were "
        "killed. ISKP claimed responsibility through its Amaq agency.",
        110 * _S,
    ),
    FixedItem(
        "afintl-en",
        "Islamic State claims Kabul suicide attack on tuition centre",
        "The attack on a private tuition centre in western Kabul's Dasht-e Barchi came "
        "during an exam session. The UN condemned the bombing.",
        150 * _S,
    ),
    FixedItem(
        "azadi-ps",
        "په کابل کې په یوه ښوونیز مرکز انتحاري برید؛ داعش مسؤلیت ومانه",
        "د کابل په دشت برچي کې په دې برید کې لږ تر لږه ۱۵ کسان وژل شوي دي.",
        185 * _S,
    ),
    FixedItem(
        "pajhwok-en",
        "UNAMA condemns attack on education centre in Kabul",
        "UNAMA said the suicide bombing in Dasht-e Barchi, claimed by ISKP, was a "
        "deliberate attack on civilians and called for accountability.",
        230 * _S,
    ),
)

# An NRF ambush in Panjshir six hours before the demo starts, told by four outlets.
PANJSHIR_AMBUSH = (
    FixedItem(
        "amu-en",
        "NRF ambushes Taliban convoy in Panjshir's Dara district",
        "The National Resistance Front said 9 Taliban fighters were killed in an ambush in "
        "the Dara district of Panjshir. The Taliban denied the claim.",
        -362.0,
    ),
    FixedItem(
        "8am-en",
        "Resistance fighters attack Taliban vehicles in Dara, Panjshir",
        "Sources in Panjshir said NRF fighters attacked three Taliban vehicles. At least "
        "nine Taliban members were reportedly killed.",
        -348.0,
    ),
    FixedItem(
        "amu-fa",
        "کمین جبهه مقاومت ملی بر کاروان طالبان در دره پنجشیر",
        "جبهه مقاومت ملی می‌گوید ۹ جنگجوی طالبان در این کمین کشته شده‌اند.",
        -341.0,
    ),
    FixedItem(
        "afintl-en",
        "Taliban deny NRF claims of deadly ambush in Panjshir",
        "A Taliban spokesman said no one was killed in Panjshir and called the National "
        "Resistance Front's statement false.",
        -322.0,
    ),
)

HOSTILE = (
    FixedItem(
        "tolo-en",
        "[bold red]BREAKING[/bold red] Salang tunnel closed after avalanche in Parwan",
        "Hundreds of vehicles are stranded on both sides of the Salang pass. [blink]Taliban"
        " officials[/blink] said clearing would take two days.",
        12 * _S,
    ),
    FixedItem(
        "khaama-en",
        "Explosion reported near Jalalabad [@click=app.quit]live updates[/]",
        "A blast was heard in Jalalabad, Nangarhar. [@click=app.bell]Details[/] to follow.",
        35 * _S,
    ),
    FixedItem(
        "ariana-en",
        "[link=https://evil.invalid/x]Exclusive[/link]: ISKP recruiter arrested in Kunduz",
        "Taliban intelligence said the man recruited for Daesh "
        "Khorasan in Kunduz and Takhar universities.",
        -95.0,
    ),
    FixedItem(
        "afintl-en",
        "Taliban restrict internet in Takhar \u202enedih si txet siht\u202c",
        "Residents of Taloqan said mobile data was cut for two days.",
        -240.0,
    ),
    FixedItem(
        "8am-en",
        "\u009d0;afmon was here\u009c Herat airport reopens for flights",
        "\u009b31mFlights between Herat and Kabul resumed\u009b0m after a week-long halt.",
        -610.0,
    ),
    FixedItem(
        "pajhwok-en",
        "<script>alert('afmon')</script> Kabul municipality bans street vendors",
        "<p>Vendors in Kabul's Shahr-e Naw said the ban <b>destroys</b> their "
        "livelihoods.</p><img src=x onerror=alert(1)>",
        -75.0,
    ),
    FixedItem(
        "ariana-en",
        "Kandahar traders protest new taxes &lt;b&gt;update&lt;/b&gt;",
        "Shopkeepers in Kandahar city closed their shops for a day. &amp;nbsp;",
        -130.0,
    ),
    FixedItem(
        "lwj",
        "Taliban, TTP and al-Qaeda: " + "the network along the Durand Line in "
        "Kunar, Khost and Paktika, " * 8 + "explained",
        "A very long headline, as some outlets publish.",
        -1500.0,
    ),
    FixedItem(
        "eurasianet",
        "Uzbekistan\tand Taliban\nsign Termez trade deal",
        "Tabs and line breaks inside a title.\r\nThe deal covers Hairatan and Balkh.",
        -2000.0,
    ),
)


def _told(items: tuple[FixedItem, ...], event: str) -> tuple[FixedItem, ...]:
    return tuple(FixedItem(i.slug, i.title, i.summary, i.offset, i.event or event) for i in items)


def fixed_items() -> tuple[FixedItem, ...]:
    hostile = tuple(
        FixedItem(i.slug, i.title, i.summary, i.offset, f"hostile-{n}")
        for n, i in enumerate(HOSTILE, 1)
    )
    return _told(KABUL_ATTACK, "kabul-attack") + _told(PANJSHIR_AMBUSH, "panjshir-ambush") + hostile
