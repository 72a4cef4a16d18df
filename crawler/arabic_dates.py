"""Arabic text normalisation and the Arabic date vocabulary used by crawler.dates.

Every table key is written in the *normalised* spelling produced by `normalize`
(no diacritics or tatweel, bare alef, ى→ي, ة→ه, Latin digits).
"""
import re

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


def _months(*groups):
    """{name: month} from twelve-item groups; an item may hold '/'-separated variants."""
    table = {}
    for group in groups:
        for month, names in enumerate(group, 1):
            for name in names.split("/"):
                table[normalize(name)] = month
    return table


GREGORIAN_MONTHS = _months(
    # Egypt / Gulf (transliterated)
    ["يناير", "فبراير/فبراير", "مارس", "أبريل/ابريل/إبريل", "مايو", "يونيو/يونيه", "يوليو/يوليه",
     "أغسطس/اغسطس/أغسطوس", "سبتمبر", "أكتوبر/اكتوبر", "نوفمبر", "ديسمبر"],
    # Levant / Iraq (Syriac)
    ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
     "تشرين الأول", "تشرين الثاني", "كانون الأول"],
    # Algeria / Tunisia (French)
    ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية/جويليه", "أوت", "سبتمبر",
     "أكتوبر", "نوفمبر", "ديسمبر"],
    # Morocco
    ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر",
     "نونبر", "دجنبر"],
)

HIJRI_MONTHS = _months([
    "محرم/المحرم", "صفر", "ربيع الأول/ربيع أول", "ربيع الآخر/ربيع الثاني/ربيع ثاني/ربيع الاخر",
    "جمادى الأولى/جمادى الأول/جمادى أولى", "جمادى الآخرة/جمادى الآخر/جمادى الثانية/جمادى الثاني",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة/ذي القعدة", "ذو الحجة/ذي الحجة",
])

# weekday names -> datetime.weekday()
WEEKDAYS = {normalize(w): i for i, ws in enumerate(
    ["الاثنين/الإثنين/الأثنين", "الثلاثاء", "الأربعاء/الاربعاء", "الخميس", "الجمعة", "السبت", "الأحد/الاحد"])
    for w in ws.split("/")}

# relative units: name -> (unit, implied count); unit is one of
# seconds minutes hours days weeks months years
RELATIVE_UNITS = {}
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

NUMBER_WORDS = {normalize(w): n for n, ws in enumerate(
    ["", "واحد/واحدة", "اثنين/اثنان", "ثلاث/ثلاثة", "أربع/أربعة", "خمس/خمسة", "ست/ستة", "سبع/سبعة",
     "ثمان/ثماني/ثمانية", "تسع/تسعة", "عشر/عشرة"]) for w in ws.split("/") if w}

# day offsets of fixed words (normalised spelling)
DAY_WORDS = {"اول امس": 2, "اول من امس": 2, "امس": 1, "البارحه": 1, "اليوم": 0}
AGO_WORDS = ("منذ", "قبل")  # 'since' / 'before', followed by a count and a unit
LAST_WORDS = ("الماضي", "الماضيه")  # 'last' (m./f.), after a weekday name
JUST_NOW = ("منذ لحظات", "منذ قليل", "قبل قليل", "قبل لحظات")
HIJRI_MARK = "ه"  # هـ after normalisation
AM_WORDS = ("ص", "صباحا", "صباح")
PM_WORDS = ("م", "مساء", "مساءا", "ظهرا", "عصرا", "ليلا")
