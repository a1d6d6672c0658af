"""Places the demo corpus generator writes about: every province with its alternate spellings,
towns and districts, and its Dari and Pashto names.

The generator draws from these so that every one of the 34 provinces appears in the corpus
under the spellings real outlets use, which is what the tagger has to cope with.
"""

from __future__ import annotations

# code: (name, alternate spellings, towns/districts/valleys/crossings inside it)
PROVINCES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "AF-BDS": (
        "Badakhshan",
        ("Badakhshān",),
        ("Fayzabad", "Darwaz", "Ishkashim", "Wakhan", "Jurm", "Argo"),
    ),
    "AF-BDG": ("Badghis", (), ("Qala-i-Naw", "Murghab", "Ab Kamari", "Jawand")),
    "AF-BGL": ("Baghlan", (), ("Pul-e Khumri", "Andarab", "Deh Salah", "Nahrin", "Dahana-i-Ghori")),
    "AF-BAL": ("Balkh", (), ("Mazar-i-Sharif", "Hairatan", "Chimtal", "Kaldar", "Dawlatabad")),
    "AF-BAM": ("Bamyan", ("Bamiyan",), ("Yakawlang", "Shibar", "Band-e Amir", "Panjab")),
    "AF-DAY": ("Daykundi", ("Daikundi",), ("Nili", "Khedir", "Kiti", "Ashtarlay")),
    "AF-FRA": ("Farah", (), ("Bala Buluk", "Anar Dara", "Pusht Rod", "Khak-e Safed")),
    "AF-FYB": ("Faryab", (), ("Maymana", "Andkhoy", "Qaisar", "Almar", "Shirin Tagab")),
    "AF-GHA": ("Ghazni", (), ("Jaghori", "Andar", "Malistan", "Qarabagh", "Muqur")),
    "AF-GHO": ("Ghor", (), ("Chaghcharan", "Shahrak", "Pasaband", "Taywara", "Dolaina")),
    "AF-HEL": (
        "Helmand",
        (),
        ("Lashkar Gah", "Nad Ali", "Musa Qala", "Sangin", "Garmsir", "Kajaki"),
    ),
    "AF-HER": ("Herat", (), ("Islam Qala", "Shindand", "Guzara", "Torghundi", "Injil", "Kohsan")),
    "AF-JOW": ("Jowzjan", ("Jawzjan",), ("Sheberghan", "Aqcha", "Khamyab", "Qarqin", "Mardyan")),
    "AF-KAB": (
        "Kabul",
        (),
        ("Dasht-e Barchi", "Khair Khana", "Shahr-e Naw", "Paghman", "Deh Sabz", "Karte Sakhi"),
    ),
    "AF-KAN": (
        "Kandahar",
        (),
        ("Spin Boldak", "Arghandab", "Maiwand", "Zhari", "Panjwai", "Daman"),
    ),
    "AF-KAP": ("Kapisa", (), ("Mahmud-i-Raqi", "Tagab", "Nijrab", "Alasai", "Hesa-e Awal")),
    "AF-KHO": (
        "Khost",
        ("Khowst",),
        ("Tani", "Gurbuz", "Sabari", "Spera", "Zazai Maidan", "Ghulam Khan"),
    ),
    "AF-KNR": ("Kunar", (), ("Asadabad", "Dangam", "Sarkano", "Marawara", "Shigal", "Nari")),
    "AF-KDZ": (
        "Kunduz",
        ("Qunduz",),
        ("Imam Sahib", "Sher Khan Bandar", "Qala-i-Zal", "Dasht-e Archi", "Khanabad"),
    ),
    "AF-LAG": ("Laghman", (), ("Mehtarlam", "Alingar", "Alishing", "Qarghayi", "Dawlat Shah")),
    "AF-LOG": ("Logar", (), ("Pul-e Alam", "Mes Aynak", "Mohammad Agha", "Baraki Barak", "Charkh")),
    "AF-NAN": (
        "Nangarhar",
        (),
        ("Jalalabad", "Torkham", "Achin", "Momand Dara", "Khogyani", "Surkh Rod"),
    ),
    "AF-NIM": ("Nimroz", ("Nimruz",), ("Zaranj", "Chahar Burjak", "Kang", "Kamal Khan Dam")),
    "AF-NUR": ("Nuristan", (), ("Parun", "Kamdesh", "Barg-e Matal", "Wama", "Waygal")),
    "AF-PKA": (
        "Paktika",
        (),
        ("Sharana", "Barmal", "Urgun", "Angoor Ada", "Gomal", "Dand-e Patan"),
    ),
    "AF-PIA": ("Paktia", ("Paktiya",), ("Gardez", "Zurmat", "Chamkani", "Jaji", "Sayed Karam")),
    "AF-PAN": (
        "Panjshir",
        ("Panjsher",),
        ("Bazarak", "Rokha", "Dara", "Paryan", "Khenj", "Abshar"),
    ),
    "AF-PAR": (
        "Parwan",
        (),
        ("Charikar", "Bagram", "Salang", "Jabal Saraj", "Ghorband", "Shinwari"),
    ),
    "AF-SAM": ("Samangan", (), ("Aybak", "Dara-i-Suf", "Hazrat-e Sultan", "Ruy-e Du Ab")),
    "AF-SAR": (
        "Sar-e Pol",
        ("Sari Pul", "Sar-i-Pul"),
        ("Sozma Qala", "Balkhab", "Sayyad", "Kohistanat"),
    ),
    "AF-TAK": ("Takhar", (), ("Taloqan", "Darqad", "Yangi Qala", "Rustaq", "Khwaja Ghar")),
    "AF-URU": ("Uruzgan", ("Oruzgan",), ("Tarinkot", "Dehrawud", "Chora", "Khas Uruzgan")),
    "AF-WAR": (
        "Wardak",
        ("Maidan Wardak",),
        ("Maidan Shahr", "Jalrez", "Sayedabad", "Chak", "Nerkh"),
    ),
    "AF-ZAB": ("Zabul", (), ("Qalat", "Shah Joy", "Shinkay", "Atghar")),
}

# Dari (fa) names; Pashto (ps) differs for a few.
FA: dict[str, str] = {
    "AF-BDS": "بدخشان",
    "AF-BDG": "بادغیس",
    "AF-BGL": "بغلان",
    "AF-BAL": "بلخ",
    "AF-BAM": "بامیان",
    "AF-DAY": "دایکندی",
    "AF-FRA": "فراه",
    "AF-FYB": "فاریاب",
    "AF-GHA": "غزنی",
    "AF-GHO": "غور",
    "AF-HEL": "هلمند",
    "AF-HER": "هرات",
    "AF-JOW": "جوزجان",
    "AF-KAB": "کابل",
    "AF-KAN": "قندهار",
    "AF-KAP": "کاپیسا",
    "AF-KHO": "خوست",
    "AF-KNR": "کنر",
    "AF-KDZ": "کندز",
    "AF-LAG": "لغمان",
    "AF-LOG": "لوگر",
    "AF-NAN": "ننگرهار",
    "AF-NIM": "نیمروز",
    "AF-NUR": "نورستان",
    "AF-PKA": "پکتیکا",
    "AF-PIA": "پکتیا",
    "AF-PAN": "پنجشیر",
    "AF-PAR": "پروان",
    "AF-SAM": "سمنگان",
    "AF-SAR": "سرپل",
    "AF-TAK": "تخار",
    "AF-URU": "ارزگان",
    "AF-WAR": "وردک",
    "AF-ZAB": "زابل",
}
PS: dict[str, str] = FA | {
    "AF-DAY": "دایکنډي",
    "AF-GHA": "غزني",
    "AF-KAN": "کندهار",
    "AF-KNR": "کونړ",
    "AF-LOG": "لوګر",
    "AF-NAN": "ننګرهار",
    "AF-SAM": "سمنګان",
    "AF-URU": "ارزګان",
    "AF-WAR": "وردګ",
}

# Pools: where each kind of story usually happens.
NRF_AREAS = ("AF-PAN", "AF-BGL", "AF-KAP", "AF-PAR", "AF-TAK", "AF-BDS")
ISK_AREAS = ("AF-KAB", "AF-NAN", "AF-KDZ", "AF-BAL", "AF-KNR", "AF-HER")
TTP_AREAS = ("AF-KHO", "AF-KNR", "AF-PKA", "AF-NAN", "AF-PIA", "AF-NUR")
NORTH_AREAS = ("AF-BDS", "AF-TAK", "AF-KDZ", "AF-BAL", "AF-JOW", "AF-FYB")
HAQQANI_AREAS = ("AF-KHO", "AF-PIA", "AF-PKA", "AF-LOG", "AF-WAR", "AF-GHA")
AFF_AREAS = (
    "AF-KAN",
    "AF-KAB",
    "AF-PAR",
    "AF-BGL",
    "AF-HER",
    "AF-FRA",
    "AF-ZAB",
    "AF-GHA",
    "AF-URU",
)
SOUTH_AREAS = ("AF-KAN", "AF-HEL", "AF-URU", "AF-ZAB", "AF-NIM", "AF-FRA")
AQ_AREAS = ("AF-GHA", "AF-LAG", "AF-KNR", "AF-NUR", "AF-HEL", "AF-ZAB", "AF-URU", "AF-KAN")
ALL = tuple(PROVINCES)
