"""The date vocabulary of every supported language, in one place: month and weekday names, relative
units, day words, Arabic normalisation.

The parser (crawler.dates.parse) and the extraction line filter that drops bare date lines
(crawler.extraction.patterns) both read these tables, so a month name added here is parsed *and*
recognised as a dateline. Names are written in their usual spelling; each consumer normalises them
its own way (``normalize`` below for the parser: no Arabic diacritics or tatweel, bare alef, ى→ي, ة→ه,
Latin digits, lower case; variants without Latin accents are added).
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ئ": "ي", "ؤ": "و",
    "ة": "ه", "ک": "ك", "،": ",", "؛": ";", "٬": ",", "’": "'", "‘": "'", "ʼ": "'",
}
_TABLE = {**_DIGITS, **{ord(k): v for k, v in _LETTERS.items()}}
# tatweel, harakat, superscript alef, Quranic marks, bidi and zero-width controls
_DROP = re.compile("[\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalize(text: str) -> str:
    """Latin digits, one spelling per Arabic letter family, lower case."""
    return _DROP.sub("", text.translate(_TABLE)).lower()


def strip_accents(text: str) -> str:
    """'février' -> 'fevrier', 'märz' -> 'marz'; other scripts untouched."""
    if text.isascii():
        return text
    return "".join(unicodedata.normalize("NFD", ch)[0] if "\u00c0" <= ch <= "\u024f" else ch for ch in text)


# ---------------------------------------------------------------- months: twelve items per system,
# an item may hold '/'-separated variants (abbreviations included).

ARABIC_MONTHS = {
    "egyptian": ["يناير", "فبراير", "مارس", "أبريل/ابريل/إبريل", "مايو", "يونيو/يونيه", "يوليو/يوليه",
                 "أغسطس/اغسطس/أغسطوس", "سبتمبر", "أكتوبر/اكتوبر", "نوفمبر", "ديسمبر"],
    "levantine": ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                  "تشرين الأول", "تشرين الثاني", "كانون الأول"],
    "maghrebi": ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية/جويليه", "أوت", "سبتمبر",
                 "أكتوبر", "نوفمبر", "ديسمبر"],
    "moroccan": ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر",
                 "نونبر", "دجنبر"],
}
HIJRI_MONTH_NAMES = [
    "محرم/المحرم", "صفر", "ربيع الأول/ربيع أول", "ربيع الآخر/ربيع الثاني/ربيع ثاني/ربيع الاخر",
    "جمادى الأولى/جمادى الأول/جمادى أولى", "جمادى الآخرة/جمادى الآخر/جمادى الثانية/جمادى الثاني",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة/ذي القعدة", "ذو الحجة/ذي الحجة",
]
LATIN_MONTHS = {
    "en": ["january/jan", "february/feb", "march/mar", "april/apr", "may", "june/jun", "july/jul",
           "august/aug", "september/sep/sept", "october/oct", "november/nov", "december/dec"],
    "fr": ["janvier/janv", "février/févr/fév", "mars", "avril/avr", "mai", "juin", "juillet/juil", "août",
           "septembre/sept", "octobre/oct", "novembre/nov", "décembre/déc"],
    "de": ["januar/jänner/jan", "februar/feber/feb", "märz/mär/mrz", "april/apr", "mai", "juni/jun",
           "juli/jul", "august/aug", "september/sep/sept", "oktober/okt", "november/nov", "dezember/dez"],
    "es": ["enero/ene", "febrero/feb", "marzo/mar", "abril/abr", "mayo/may", "junio/jun", "julio/jul",
           "agosto", "septiembre/setiembre/sep/sept", "octubre/oct", "noviembre/nov", "diciembre/dic"],
    "it": ["gennaio", "febbraio/feb", "marzo/mar", "aprile/apr", "maggio/mag", "giugno/giu", "luglio",
           "agosto", "settembre", "ottobre/ott", "novembre/nov", "dicembre/dic"],
    "pt": ["janeiro/jan", "fevereiro/fev", "março/mar", "abril/abr", "maio/mai", "junho/jun", "julho/jul",
           "agosto", "setembro", "outubro", "novembro/nov", "dezembro/dez"],
    "nl": ["januari/jan", "februari/feb", "maart/mrt", "april/apr", "mei", "juni/jun", "juli/jul",
           "augustus/aug", "september/sep/sept", "oktober/okt", "november/nov", "december/dec"],
}

# weekday names, Monday first (datetime.weekday())
WEEKDAY_NAMES = {
    "ar": ["الاثنين/الإثنين/الأثنين/اثنين", "الثلاثاء/ثلاثاء", "الأربعاء/الاربعاء/أربعاء", "الخميس/خميس",
           "الجمعة/جمعة", "السبت/سبت", "الأحد/الاحد/أحد"],
    "en": ["monday/mon", "tuesday/tue/tues", "wednesday/wed", "thursday/thu/thurs", "friday/fri",
           "saturday/sat", "sunday/sun"],
    "fr": ["lundi/lun", "mardi/mar", "mercredi/mer", "jeudi/jeu", "vendredi/ven", "samedi/sam", "dimanche/dim"],
    "de": ["montag/mo", "dienstag/di", "mittwoch/mi", "donnerstag/do", "freitag/fr", "samstag/sonnabend/sa",
           "sonntag/so"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
}


def _variants(name: str) -> set[str]:
    norm = normalize(name)
    return {norm, strip_accents(norm)}


def _table(groups) -> dict[str, int]:
    """{normalised name: number (1-based)} from groups of '/'-separated variants; a name may not mean two."""
    table: dict[str, int] = {}
    for group in groups:
        for number, names in enumerate(group, 1):
            for name in names.split("/"):
                for key in _variants(name):
                    if table.setdefault(key, number) != number:
                        raise ValueError(f"date vocabulary: {key!r} names two months/days")
    return table


GREGORIAN_MONTHS = _table(ARABIC_MONTHS.values())  # Arabic Gregorian month names (all systems)
HIJRI_MONTHS = _table([HIJRI_MONTH_NAMES])
MONTHS = {**_table(LATIN_MONTHS.values()), **GREGORIAN_MONTHS}
# Weekday abbreviations of two or three letters collide with words and with month abbreviations
# ('mar', 'so', 'do'): the parser only reads full weekday names.
WEEKDAYS = {k: v - 1 for k, v in _table([[n.split("/")[0] for n in names] for names in WEEKDAY_NAMES.values()]).items()}


def month_names() -> set[str]:
    """Every month name and abbreviation of every system, as written (Hijri included)."""
    names = [*HIJRI_MONTH_NAMES, *(n for g in ARABIC_MONTHS.values() for n in g),
             *(n for g in LATIN_MONTHS.values() for n in g)]
    return {v for item in names for v in item.split("/")}


def weekday_names() -> set[str]:
    """Every weekday name and abbreviation, as written."""
    return {v for g in WEEKDAY_NAMES.values() for item in g for v in item.split("/")}


# ---------------------------------------------------------------- relative dates

# relative units: name -> (unit, implied count); unit is one of
# seconds minutes hours days weeks months years
RELATIVE_UNITS: dict[str, tuple[str, int]] = {}
for _unit, _one, _two, _many in [
    ("seconds", "ثانية", "ثانيتين/ثانيتان", "ثوان/ثواني"),
    ("minutes", "دقيقة", "دقيقتين/دقيقتان", "دقائق/دقايق"),
    ("hours", "ساعة", "ساعتين/ساعتان", "ساعات"),
    ("days", "يوم/يوما", "يومين/يومان", "أيام"),
    ("weeks", "أسبوع/أسبوعا", "أسبوعين/أسبوعان", "أسابيع"),
    ("months", "شهر/شهرا", "شهرين/شهران", "أشهر/شهور"),
    ("years", "سنة/عام/عاما", "سنتين/سنتان/عامين/عامان", "سنوات/سنين/أعوام"),
]:
    for _names, _count in ((_one, 1), (_two, 2), (_many, 1)):
        for _name in _names.split("/"):
            RELATIVE_UNITS[normalize(_name)] = (_unit, _count)
for _unit, _names in [
    ("seconds", "second/seconds/sec/secs/s/seconde/secondes"),
    ("minutes", "minute/minutes/min/mins/m"),
    ("hours", "hour/hours/hr/hrs/h/heure/heures"),
    ("days", "day/days/d/jour/jours/j"),
    ("weeks", "week/weeks/wk/wks/w/semaine/semaines"),
    ("months", "month/months/mo/mos/mois"),
    ("years", "year/years/yr/yrs/y/an/ans/année/années/annee/annees"),
]:
    RELATIVE_UNITS.update({n: (_unit, 1) for n in _names.split("/")})

ARABIC_NUMBER_WORDS = {normalize(w): n for n, ws in enumerate(
    ["", "واحد/واحدة", "اثنين/اثنان", "ثلاث/ثلاثة", "أربع/أربعة", "خمس/خمسة", "ست/ستة", "سبع/سبعة",
     "ثمان/ثماني/ثمانية", "تسع/تسعة", "عشر/عشرة"]) for w in ws.split("/") if w}
NUMBER_WORDS = {**ARABIC_NUMBER_WORDS, **{w: n for n, ws in enumerate([
    "", "a/an/one/un/une", "two/deux", "three/trois", "four/quatre", "five/cinq", "six", "seven/sept",
    "eight/huit", "nine/neuf", "ten/dix", "eleven/onze", "twelve/douze"]) for w in ws.split("/") if w}}

# day offsets of fixed words (normalised spelling)
DAY_WORDS = {"اول امس": 2, "اول من امس": 2, "امس": 1, "البارحه": 1, "اليوم": 0,
             "day before yesterday": 2, "yesterday": 1, "today": 0,
             "avant-hier": 2, "avant hier": 2, "hier": 1, "aujourd'hui": 0}
AGO_WORDS = ("منذ", "قبل")  # 'since' / 'before', followed by a count and a unit
LAST_WORDS = ("الماضي", "الماضيه")  # 'last' (m./f.), after a weekday name
JUST_NOW = ("منذ لحظات", "منذ قليل", "قبل قليل", "قبل لحظات",
            "just now", "a moment ago", "moments ago", "à l'instant", "a l'instant")
HIJRI_MARK = "ه"  # هـ after normalisation
AM_WORDS = ("ص", "صباحا", "صباح")
PM_WORDS = ("م", "مساء", "مساءا", "ظهرا", "عصرا", "ليلا")

# Labels that introduce a publication date ('Posted on', 'نشر في', 'Datum:'), normalised.
PUBLISHED_LABELS = (
    "published", "posted", "posted on", "published on", "date", "dated", "on", "created",
    "publié le", "publie le", "publié", "mis en ligne le", "le", "date de publication",
    "veröffentlicht", "veroffentlicht", "veröffentlicht am", "erstellt am", "datum", "stand", "vom", "am",
    "publicado", "publicado el", "fecha", "pubblicato", "pubblicato il", "data",
    "نشر", "نشر في", "نشر بتاريخ", "بتاريخ", "تاريخ النشر", "تاريخ", "في",
)
