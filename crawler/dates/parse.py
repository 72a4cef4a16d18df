"""Date strings to datetimes: machine dates from metadata and human-visible date strings.

Month names of every system in crawler.dates.vocabulary (Arabic Gregorian, Levantine, Maghrebi,
Moroccan, Hijri; English, French, German, Spanish, Italian, Portuguese, Dutch), Arabic-Indic digits,
relative dates against the fetch time, two-digit years in dotted numeric dates; dateparser only as a
fallback restricted to the page's languages. Pure functions: the clock is the caller's ``fetched_at``.
An aware result carries the offset the string states; a string without one gives a naive wall time.
"""
from __future__ import annotations

import email.utils
import re
from calendar import monthrange
from datetime import datetime, timedelta, timezone
from typing import NamedTuple, Sequence

from hijridate import Hijri

from . import vocabulary as ar
from .plausible import plausible
from .vocabulary import DAY_WORDS, JUST_NOW, MONTHS, NUMBER_WORDS, WEEKDAYS

__all__ = ["parse_structured_date", "parse_date"]

UTC = timezone.utc
MAX_TEXT = 2000
FALLBACK_MAX_TEXT = 80
DEFAULT_LANGUAGES = ("ar", "en", "fr")
OWN_LANGUAGES = frozenset(("ar", "en", "fr", "de", "es", "it", "pt", "nl"))  # month names in our vocabulary
UNITS = ar.RELATIVE_UNITS

# Candidate tiers: lower wins, then the earliest position.
FULL, SHORT_YEAR, HIJRI, MONTH_YEAR, TODAY_WORD = range(5)


class Candidate(NamedTuple):
    tier: int
    start: int
    value: datetime


# ---------------------------------------------------------------- regexes

_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"


def _words(names) -> str:
    """A word alternation, longest first, spaces matching any whitespace."""
    alts = sorted({re.escape(n).replace(r"\ ", r"\s+") for n in names}, key=len, reverse=True)
    return _NOT_LETTER_BEFORE + "(?:" + "|".join(alts) + ")" + _NOT_LETTER_AFTER


_MONTH = _words(MONTHS)
_HMONTH = _words(ar.HIJRI_MONTHS)
_MONTH_PAIR = rf"({_MONTH})\.?(?:\s*[/(]\s*(?:{_MONTH})\.?\s*\)?)?"  # 'آذار/مارس', 'مارس (آذار)'
_YEAR = r"(\d{4})(?!\d)"
_DAY = r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er|ère|e)?(?!\d)"

DMY_RE = re.compile(rf"{_DAY}\s*(?:of\s+|de\s+)?[\s\-./]*{_MONTH_PAIR}[\s,.\-/]*(?:de\s+|del\s+)?{_YEAR}")
MDY_RE = re.compile(rf"{_MONTH_PAIR}\s*{_DAY}\s*,?\s*{_YEAR}")
MY_RE = re.compile(rf"{_MONTH_PAIR}[\s,\-/]*{_YEAR}")
YMD_NUM_RE = re.compile(r"(?<![\d.])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])")
DMY_NUM_RE = re.compile(r"(?<![\d.])(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{4})(?![\d])")
DMY_SHORT_RE = re.compile(r"(?<![\d./])(\d{1,2})([./])(\d{1,2})\2(\d{2})(?![\d./])")  # '25.04.24', '3/3/21'

_HMARK = rf"\s*{ar.HIJRI_MARK}{_NOT_LETTER_AFTER}"
HIJRI_RE = re.compile(rf"{_DAY}\s*(?:من\s+)?({_HMONTH})[\s,\-/]*{_YEAR}")
HIJRI_YMD_RE = re.compile(rf"(?<!\d)(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_HMARK}")
HIJRI_DMY_RE = re.compile(rf"(?<!\d)(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{4}}){_HMARK}")

_AMPM = "am|pm|a\\.m\\.?|p\\.m\\.?|" + "|".join(sorted(ar.AM_WORDS + ar.PM_WORDS, key=len, reverse=True))
TIME_RE = re.compile(rf"""
    (?:[\s,\-–—|·@/]|{_NOT_LETTER_BEFORE}(?:at|à|a|vers|الساعه|ساعه|في|م){_NOT_LETTER_AFTER})*
    t?(\d{{1,2}})\s*[:h]\s*(\d{{2}})(?::(\d{{2}})(?:[.,]\d+)?)?
    (?:\s*({_AMPM}){_NOT_LETTER_AFTER})?
    (?:\s*(?:(z|utc|gmt){_NOT_LETTER_AFTER}\s*)?([+-])(\d{{2}}):?(\d{{2}})?
       |\s*(?:(z|utc|gmt)\s*([+-])(\d{{1,2}}))
       |\s*(z|utc|gmt){_NOT_LETTER_AFTER})?
""", re.X)

_NUM = rf"(?:(\d{{1,3}})\s*|({'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})\s+)"
_UNIT = "(" + _words(UNITS) + ")"
AGO_EN_RE = re.compile(rf"{_NOT_LETTER_BEFORE}{_NUM}{_UNIT}\s+ago{_NOT_LETTER_AFTER}")
AGO_FR_RE = re.compile(rf"{_NOT_LETTER_BEFORE}il\s+y\s+a\s+(?:environ\s+|plus\s+de\s+)?{_NUM}{_UNIT}")
AGO_AR_RE = re.compile(rf"{_NOT_LETTER_BEFORE}[وف]?(?:{'|'.join(ar.AGO_WORDS)})\s+"
                       rf"(?:حوالي\s+|نحو\s+|اكثر\s+من\s+)?{_NUM}?{_UNIT}")
JUST_NOW_RE = re.compile(_words(JUST_NOW))
DAY_WORD_RE = re.compile(_NOT_LETTER_BEFORE + "(?:[وب]?ال)?" + _words(DAY_WORDS)[len(_NOT_LETTER_BEFORE):])
_WEEKDAY = "(" + _words(WEEKDAYS) + ")"
LAST_WEEKDAY_RE = re.compile(rf"{_NOT_LETTER_BEFORE}last\s+{_WEEKDAY}|{_WEEKDAY}\s+"
                             + _words(("dernier", *ar.LAST_WORDS))[len(_NOT_LETTER_BEFORE):])

PRECHECK_RE = re.compile(
    r"\d|" + _words(["ago", "yesterday", "today", "last", "just now", "moment", "moments", "hier",
                     "avant-hier", "aujourd'hui", "il y a", "dernier", "instant", *ar.AGO_WORDS,
                     "امس", "الامس", "بالامس", "البارحه", "اليوم", *ar.LAST_WORDS]))
ARABIC_LETTER_RE = re.compile("[\u0600-\u06ff]")

_ISO_RE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[t ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?"
                     r"\s*(z|[+-]\d{2}(?::?\d{2})?)?", re.I)


# ---------------------------------------------------------------- structured dates

def parse_structured_date(value: str) -> datetime | None:
    """A machine date from metadata (JSON-LD datePublished, meta article:published_time, <time datetime>,
    sitemap lastmod, RSS pubDate): ISO 8601 (with or without time / offset, 'Z'), RFC 2822. Fast path without
    dateparser. Returns aware datetime when the value carries an offset, else naive. None when unparseable."""
    if not isinstance(value, str):
        return None
    value = ar.normalize(value[:200]).strip()
    try:
        return _parse_iso(value) or _parse_rfc2822(value)
    except (ValueError, OverflowError, TypeError, IndexError):
        return None


def _parse_iso(value: str) -> datetime | None:
    m = _ISO_RE.fullmatch(value)
    if not m:
        return None
    y, mo, d, h, mi, s, frac, off = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), micro)
    return dt.replace(tzinfo=_offset_tz(off)) if off else dt


def _offset_tz(off: str) -> timezone:
    if off in ("z", "Z"):
        return UTC
    sign = -1 if off[0] == "-" else 1
    digits = off[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))


def _parse_rfc2822(value: str) -> datetime | None:
    if not re.search(r"[a-z]", value) or not re.search(r"\d{4}", value):
        return None
    value = re.sub(r"([+-]\d{2}):(\d{2})\s*$", r"\1\2", value)  # '+03:00' as often seen in feeds
    return email.utils.parsedate_to_datetime(value)


# ---------------------------------------------------------------- human dates

def parse_date(text: str, fetched_at: datetime, *, languages: Sequence[str] | None = None,
               dayfirst: bool | None = None, full_only: bool = False) -> datetime | None:
    """A human-visible date string, possibly with words around it (e.g. 'نشر في ٢١ أيلول ٢٠١٩', 'Posted on March 3, 2021
    by John', '3 days ago', 'منذ يومين', 'Le 12 juin 2020'). Returns the date or None."""
    if not isinstance(text, str) or not isinstance(fetched_at, datetime):
        return None
    try:
        return _parse_date(text, fetched_at, list(languages or DEFAULT_LANGUAGES), dayfirst, full_only)
    except Exception:  # noqa: BLE001 - the contract is "never raises"; a bad date is just no date
        return None


def _parse_date(text: str, fetched_at: datetime, languages: list[str], dayfirst: bool | None,
                full_only: bool) -> datetime | None:
    norm = ar.normalize(text[:MAX_TEXT])
    if not PRECHECK_RE.search(norm):
        return None
    now = _as_utc(fetched_at)
    if dayfirst is None:
        dayfirst = languages[:1] != ["en"]
    dayfirst = dayfirst or bool(ARABIC_LETTER_RE.search(norm))
    found = [*_absolute_dates(norm, dayfirst), *_hijri_dates(norm), *_relative_dates(norm, now)]
    if full_only:  # a month and year alone ('March 2021') is no publication day
        found = [c for c in found if c.tier != MONTH_YEAR]
    best = min(found, default=None)
    value = best.value if best else _dateparser_fallback(norm, now, languages, dayfirst)
    return plausible(value, now)


def _as_utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _absolute_dates(norm: str, dayfirst: bool):
    full_spans = []
    for m in DMY_RE.finditer(norm):
        full_spans.append(m.span())
        yield from _candidate(FULL, m, norm, int(m[3]), MONTHS[_key(m[2])], int(m[1]))
    for m in MDY_RE.finditer(norm):
        full_spans.append(m.span())
        yield from _candidate(FULL, m, norm, int(m[3]), MONTHS[_key(m[1])], int(m[2]))
    for m in MY_RE.finditer(norm):
        if not any(a <= m.start() < b for a, b in full_spans):  # '31 فبراير 2021' is not February 2021
            yield from _candidate(MONTH_YEAR, m, norm, int(m[2]), MONTHS[_key(m[1])], 1, with_time=False)
    for m in YMD_NUM_RE.finditer(norm):
        yield from _candidate(FULL, m, norm, int(m[1]), int(m[3]), int(m[4]))
    for m in DMY_NUM_RE.finditer(norm):
        month, day = _order_day_month(int(m[1]), int(m[3]), dayfirst)
        yield from _candidate(FULL, m, norm, int(m[4]), month, day)
    for m in DMY_SHORT_RE.finditer(norm):
        year = int(m[4]) + (1900 if int(m[4]) >= 70 else 2000)
        month, day = _order_day_month(int(m[1]), int(m[3]), dayfirst or m[2] == ".")
        yield from _candidate(SHORT_YEAR, m, norm, year, month, day)


def _key(name: str) -> str:
    return " ".join(name.split())


def _order_day_month(a: int, b: int, dayfirst: bool) -> tuple[int, int]:
    """(month, day) of 'a/b/yyyy': the unambiguous reading, else by dayfirst."""
    if a > 12 or (b <= 12 and dayfirst):
        return b, a
    return a, b


def _candidate(tier, m, norm, year, month, day, with_time=True):
    """Yield a Candidate for a plausible Gregorian y/m/d match (time and offset read after it)."""
    if not 1900 <= year <= 2200:
        return
    try:
        value = datetime(year, month, day)
    except ValueError:
        return
    yield Candidate(tier, m.start(), _with_time(value, norm, m.end()) if with_time else value)


def _with_time(day: datetime, norm: str, pos: int) -> datetime:
    m = TIME_RE.match(norm, pos, pos + 60)
    if not m:
        return day
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    hour = _apply_ampm(hour, m[4])
    if hour is None or minute > 59 or second > 59:
        return day
    value = day.replace(hour=hour, minute=minute, second=second)
    tz = _time_offset(m)
    return value.replace(tzinfo=tz) if tz else value


def _apply_ampm(hour: int, marker: str | None) -> int | None:
    if not marker:
        return hour if hour < 24 else None
    if not 1 <= hour <= 12:
        return None
    pm = marker.startswith("p") or marker in ar.PM_WORDS
    return hour % 12 + (12 if pm else 0)


def _time_offset(m: re.Match) -> timezone | None:
    sign, hours, minutes = (m[6], m[7], m[8]) if m[6] else (m[10], m[11], None)
    if sign:
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(delta if sign == "+" else -delta) if delta <= timedelta(hours=14) else None
    return UTC if m[12] else None


def _hijri_dates(norm: str):
    for m in HIJRI_RE.finditer(norm):
        yield from _hijri_candidate(m, int(m[3]), ar.HIJRI_MONTHS[_key(m[2])], int(m[1]))
    for m in HIJRI_YMD_RE.finditer(norm):
        yield from _hijri_candidate(m, int(m[1]), int(m[3]), int(m[4]))
    for m in HIJRI_DMY_RE.finditer(norm):
        yield from _hijri_candidate(m, int(m[4]), int(m[3]), int(m[1]))


def _hijri_candidate(m, year, month, day):
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return
    yield Candidate(HIJRI, m.start(), datetime(g.year, g.month, g.day))


def _relative_dates(norm: str, now: datetime):
    for rx in (AGO_EN_RE, AGO_FR_RE, AGO_AR_RE):
        for m in rx.finditer(norm):
            unit, implied = UNITS[_key(m[3])]
            count = int(m[1]) if m[1] else NUMBER_WORDS[_key(m[2])] if m[2] else implied
            yield Candidate(FULL, m.start(), _minus(now, unit, count))
    for m in JUST_NOW_RE.finditer(norm):
        yield Candidate(FULL, m.start(), now)
    for m in DAY_WORD_RE.finditer(norm):
        days = _day_word_offset(m[0])
        yield Candidate(TODAY_WORD if days == 0 else FULL, m.start(), now - timedelta(days=days))
    for m in LAST_WEEKDAY_RE.finditer(norm):
        weekday = WEEKDAYS[m[1] or m[2]]
        yield Candidate(FULL, m.start(), now - timedelta(days=(now.weekday() - weekday) % 7 or 7))


def _day_word_offset(word: str) -> int:
    word = _key(word)
    if word not in DAY_WORDS:  # 'الامس', 'بالامس'
        word = re.sub(r"^[وب]?ال", "", word)
    return DAY_WORDS[word]


_SPANS = {"seconds": timedelta(seconds=1), "minutes": timedelta(minutes=1), "hours": timedelta(hours=1),
          "days": timedelta(days=1), "weeks": timedelta(days=7)}


def _minus(now: datetime, unit: str, count: int) -> datetime:
    if unit in ("months", "years"):
        return _minus_months(now, count * (12 if unit == "years" else 1))
    return now - _SPANS[unit] * count


def _minus_months(dt: datetime, months: int) -> datetime:
    total = dt.year * 12 + dt.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    if year < 1:
        return datetime.min.replace(tzinfo=dt.tzinfo)
    return dt.replace(year=year, month=month, day=min(dt.day, monthrange(year, month)[1]))


def _dateparser_fallback(norm: str, now: datetime, languages: list[str], dayfirst: bool) -> datetime | None:
    """dateparser on short strings with a digit; full day-month-year required, languages restricted."""
    if len(norm) > FALLBACK_MAX_TEXT or not re.search(r"\d", norm) or set(languages) <= OWN_LANGUAGES:
        return None
    import dateparser

    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "DATE_ORDER": "DMY" if dayfirst else "MDY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["absolute-time"],
    }
    return dateparser.parse(norm, languages=languages, settings=settings)
