"""Tests for crawler.dates: structured dates, human dates in ar/en/fr, Hijri, relative dates."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from crawler.dates import parse_date, parse_structured_date

UTC = timezone.utc
NOW = datetime(2024, 3, 15, 12, 0, tzinfo=UTC)  # a Friday
PLUS3 = timezone(timedelta(hours=3))


def ago(**kw):
    return NOW - timedelta(**kw)


# ---------------------------------------------------------------- parse_structured_date

@pytest.mark.parametrize("value, expected", [
    ("2021-03-03", datetime(2021, 3, 3)),
    ("2021-03-03T10:15:00", datetime(2021, 3, 3, 10, 15)),
    ("2021-03-03 10:15", datetime(2021, 3, 3, 10, 15)),
    ("2021-03-03T10:15:00Z", datetime(2021, 3, 3, 10, 15, tzinfo=UTC)),
    ("2021-03-03T10:15:00+03:00", datetime(2021, 3, 3, 10, 15, tzinfo=PLUS3)),
    ("2021-03-03T10:15:00+0300", datetime(2021, 3, 3, 10, 15, tzinfo=PLUS3)),
    ("2021-03-03T10:15:00.123456789-05:00",
     datetime(2021, 3, 3, 10, 15, 0, 123456, tzinfo=timezone(timedelta(hours=-5)))),
    ("  2019-09-21T09:30:00+03:00\n", datetime(2019, 9, 21, 9, 30, tzinfo=PLUS3)),
    ("Tue, 03 Mar 2021 10:15:00 GMT", datetime(2021, 3, 3, 10, 15, tzinfo=UTC)),
    ("Wed, 03 Mar 2021 10:15:00 +0300", datetime(2021, 3, 3, 10, 15, tzinfo=PLUS3)),
    ("3 Mar 2021 10:15:00 +03:00", datetime(2021, 3, 3, 10, 15, tzinfo=PLUS3)),
    ("2021-13-01", None),
    ("2021-02-30T10:00:00Z", None),
    ("not a date", None),
    ("", None),
])
def test_parse_structured_date(value, expected):
    got = parse_structured_date(value)
    assert got == expected
    if expected is not None:
        assert (got.tzinfo is None) == (expected.tzinfo is None)


# ---------------------------------------------------------------- parse_date: absolute

ABSOLUTE = [
    # Arabic (Egypt/Gulf) month names, byline words, Arabic comma, Arabic-Indic digits
    ("نشر في 21 سبتمبر 2019 بواسطة هادي العبد الله", datetime(2019, 9, 21)),
    ("21 سبتمبر، 2019", datetime(2019, 9, 21)),
    ("٢١ سبتمبر ٢٠١٩", datetime(2019, 9, 21)),
    ("۲۱ سبتمبر ۲۰۱۹", datetime(2019, 9, 21)),  # Persian digits
    ("2١ سبتمبر 2٠19", datetime(2019, 9, 21)),  # mixed digits
    ("نُشِرَ بتاريخ ٣ أبريل ٢٠٢٠", datetime(2020, 4, 3)),
    ("3 ابريل 2020", datetime(2020, 4, 3)),
    ("بتاريخ 5 يونيه 2018", datetime(2018, 6, 5)),
    ("آخر تحديث: 7 يوليه 2021", datetime(2021, 7, 7)),
    ("12 اكتوبر 2022", datetime(2022, 10, 12)),
    ("1 يناير 2023", datetime(2023, 1, 1)),
    ("28 فبراير 2023", datetime(2023, 2, 28)),
    ("9 مايو 2017", datetime(2017, 5, 9)),
    ("14 أغسطس 2016", datetime(2016, 8, 14)),
    ("30 نوفمبر 2015", datetime(2015, 11, 30)),
    ("25 ديسمبر 2014", datetime(2014, 12, 25)),
    ("21 سبتمـــبر 2019", datetime(2019, 9, 21)),  # tatweel
    ("\u200f21 سبتمبر 2019\u200f", datetime(2019, 9, 21)),  # RLM marks
    # Levantine / Iraqi
    ("نشر في ٢١ أيلول ٢٠١٩", datetime(2019, 9, 21)),
    ("21 ايلول 2019", datetime(2019, 9, 21)),
    ("3 كانون الثاني 2020", datetime(2020, 1, 3)),
    ("3 كانون الأول 2020", datetime(2020, 12, 3)),
    ("3 كانون الاول 2020", datetime(2020, 12, 3)),
    ("10 شباط 2021", datetime(2021, 2, 10)),
    ("10 آذار 2021", datetime(2021, 3, 10)),
    ("10 اذار 2021", datetime(2021, 3, 10)),
    ("1 نيسان 2021", datetime(2021, 4, 1)),
    ("1 أيار 2021", datetime(2021, 5, 1)),
    ("1 حزيران 2021", datetime(2021, 6, 1)),
    ("1 تموز 2021", datetime(2021, 7, 1)),
    ("1 آب 2021", datetime(2021, 8, 1)),
    ("1 اب 2021", datetime(2021, 8, 1)),
    ("5 تشرين الأول 2021", datetime(2021, 10, 5)),
    ("5 تشرين الثاني 2021", datetime(2021, 11, 5)),
    # combined forms
    ("21 آذار/مارس 2021", datetime(2021, 3, 21)),
    ("21 مارس (آذار) 2021", datetime(2021, 3, 21)),
    ("آذار/مارس 2021", datetime(2021, 3, 1)),
    ("مارس (آذار) 2021", datetime(2021, 3, 1)),
    # Maghrebi
    ("1 جانفي 2020", datetime(2020, 1, 1)),
    ("1 فيفري 2020", datetime(2020, 2, 1)),
    ("5 أفريل 2020", datetime(2020, 4, 5)),
    ("5 افريل 2020", datetime(2020, 4, 5)),
    ("8 ماي 2020", datetime(2020, 5, 8)),
    ("12 جوان 2020", datetime(2020, 6, 12)),
    ("3 جويلية 2020", datetime(2020, 7, 3)),
    ("3 جويليه 2020", datetime(2020, 7, 3)),
    ("15 أوت 2019", datetime(2019, 8, 15)),
    ("15 اوت 2019", datetime(2019, 8, 15)),
    # Moroccan
    ("10 يوليوز 2020", datetime(2020, 7, 10)),
    ("3 غشت 2019", datetime(2019, 8, 3)),
    ("7 شتنبر 2019", datetime(2019, 9, 7)),
    ("20 نونبر 2020", datetime(2020, 11, 20)),
    ("31 دجنبر 2020", datetime(2020, 12, 31)),
    # English
    ("Posted on March 3, 2021 by John", datetime(2021, 3, 3)),
    ("3 March 2021", datetime(2021, 3, 3)),
    ("Mar 3, 2021", datetime(2021, 3, 3)),
    ("Mar 3, 2021 at 10:15 am", datetime(2021, 3, 3, 10, 15)),
    ("March 3, 2021 at 1:05 pm", datetime(2021, 3, 3, 13, 5)),
    ("March 3, 2021 at 12:05 am", datetime(2021, 3, 3, 0, 5)),
    ("Published: Tuesday, March 3rd, 2020", datetime(2020, 3, 3)),
    ("Updated 3rd of March 2021", datetime(2021, 3, 3)),
    ("Sept. 9, 2019", datetime(2019, 9, 9)),
    ("By John Smith · December 31, 2023", datetime(2023, 12, 31)),
    # French
    ("Le 12 juin 2020", datetime(2020, 6, 12)),
    ("le 1er mars 2021", datetime(2021, 3, 1)),
    ("Publié le 3 février 2021 à 14h05", datetime(2021, 2, 3, 14, 5)),
    ("15 août 2019", datetime(2019, 8, 15)),
    ("7 déc. 2022", datetime(2022, 12, 7)),
    # numeric
    ("2021-03-03", datetime(2021, 3, 3)),
    ("2019/09/21", datetime(2019, 9, 21)),
    ("٢٠١٩/٠٩/٢١", datetime(2019, 9, 21)),
    ("03/03/2021", datetime(2021, 3, 3)),
    ("03/04/2021", datetime(2021, 4, 3)),  # day-first for ar/fr (the default)
    ("25/12/2020", datetime(2020, 12, 25)),  # unambiguous
    ("12/25/2020", datetime(2020, 12, 25)),  # unambiguous
    ("21.09.2019", datetime(2019, 9, 21)),
    ("آخر تحديث: 12/05/2020 10:30", datetime(2020, 5, 12, 10, 30)),
    # times
    ("21 سبتمبر 2019 - 10:30 م", datetime(2019, 9, 21, 22, 30)),
    ("21 سبتمبر 2019 - 10:30 ص", datetime(2019, 9, 21, 10, 30)),
    ("21 سبتمبر 2019 م - 10:30", datetime(2019, 9, 21, 10, 30)),
    ("٢١ سبتمبر ٢٠١٩ الساعة ٩:٠٥ مساءً", datetime(2019, 9, 21, 21, 5)),
    ("2021-03-03 10:15:30", datetime(2021, 3, 3, 10, 15, 30)),
    # offsets in the text make the result aware
    ("2021-03-03T10:15:00+03:00", datetime(2021, 3, 3, 10, 15, tzinfo=PLUS3)),
    ("Updated: 3 March 2021 10:15 GMT+3", datetime(2021, 3, 3, 10, 15, tzinfo=PLUS3)),
    ("March 3, 2021 10:15 UTC", datetime(2021, 3, 3, 10, 15, tzinfo=UTC)),
    # several dates: the first one
    ("Updated March 5, 2021 - Published March 3, 2021", datetime(2021, 3, 5)),
    # an absolute date beats a bare 'today' word
    ("اليوم السابع - 21 سبتمبر 2019", datetime(2019, 9, 21)),
    # dateparser fallback (short strings only)
    ("3/3/21", datetime(2021, 3, 3)),
]


@pytest.mark.parametrize("text, expected", ABSOLUTE)
def test_parse_date_absolute(text, expected):
    got = parse_date(text, NOW)
    assert got == expected
    assert (got.tzinfo is None) == (expected.tzinfo is None)


def test_month_first_when_english_is_the_first_language():
    assert parse_date("03/04/2021", NOW, languages=["en"]) == datetime(2021, 3, 4)
    assert parse_date("03/04/2021", NOW, languages=["fr", "en"]) == datetime(2021, 4, 3)


# ---------------------------------------------------------------- parse_date: Hijri

@pytest.mark.parametrize("text, expected", [
    ("21 محرم 1441 هـ", datetime(2019, 9, 20)),
    ("٢١ محرم ١٤٤١هـ", datetime(2019, 9, 20)),
    ("21 محرّم 1441ه", datetime(2019, 9, 20)),
    ("1441/01/21 هـ", datetime(2019, 9, 20)),
    ("21/01/1441 هـ", datetime(2019, 9, 20)),
    ("1 صفر 1441 هـ", datetime(2019, 9, 30)),
    ("1 رمضان 1441 هـ", datetime(2020, 4, 24)),
    ("1 شوال 1441 هـ", datetime(2020, 5, 24)),
    ("10 ذو الحجة 1440 هـ", datetime(2019, 8, 11)),
    ("10 ذي الحجة 1440", datetime(2019, 8, 11)),
    ("1 ذو القعدة 1440 هـ", datetime(2019, 7, 4)),
    ("12 ربيع الأول 1441 هـ", datetime(2019, 11, 9)),
    ("1 ربيع الآخر 1441 هـ", datetime(2019, 11, 28)),
    ("1 ربيع الثاني 1441 هـ", datetime(2019, 11, 28)),
    ("1 جمادى الأولى 1441 هـ", datetime(2019, 12, 27)),
    ("1 جمادى الآخرة 1441 هـ", datetime(2020, 1, 26)),
    ("1 جمادى الثانية 1441 هـ", datetime(2020, 1, 26)),
    ("27 رجب 1441 هـ", datetime(2020, 3, 22)),
    ("15 شعبان 1440 هـ", datetime(2019, 4, 20)),
    # Hijri + Gregorian: the Gregorian date wins
    ("السبت 22 محرم 1441 هـ الموافق 21 سبتمبر 2019 م", datetime(2019, 9, 21)),
    ("21 سبتمبر 2019 م الموافق 22 محرم 1441 هـ", datetime(2019, 9, 21)),
    ("1441/01/22هـ - 2019/09/21م", datetime(2019, 9, 21)),
    # out of the Umm al-Qura table, invalid day
    ("21 محرم 1200 هـ", None),
    ("31 محرم 1441 هـ", None),
])
def test_parse_date_hijri(text, expected):
    assert parse_date(text, NOW) == expected


# ---------------------------------------------------------------- parse_date: relative

@pytest.mark.parametrize("text, expected", [
    ("منذ يومين", ago(days=2)),
    ("منذ 3 أيام", ago(days=3)),
    ("منذ ٣ أيام", ago(days=3)),
    ("منذ ثلاثة أيام", ago(days=3)),
    ("منذ ٥ ساعات", ago(hours=5)),
    ("منذ ساعة", ago(hours=1)),
    ("منذ ساعتين", ago(hours=2)),
    ("منذ دقيقتين", ago(minutes=2)),
    ("منذ 10 دقائق", ago(minutes=10)),
    ("قبل أسبوع", ago(days=7)),
    ("قبل أسبوعين", ago(days=14)),
    ("منذ شهرين", datetime(2024, 1, 15, 12, 0, tzinfo=UTC)),
    ("منذ سنة", datetime(2023, 3, 15, 12, 0, tzinfo=UTC)),
    ("نشر منذ 11 يوماً", ago(days=11)),
    ("أمس", ago(days=1)),
    ("البارحة", ago(days=1)),
    ("نشر بالأمس", ago(days=1)),
    ("أول أمس", ago(days=2)),
    ("أول من أمس", ago(days=2)),
    ("اليوم", NOW),
    ("الخميس الماضي", ago(days=1)),
    ("يوم الجمعة الماضية", ago(days=7)),  # strictly before fetched_at's date
    ("السبت الماضي", ago(days=6)),
    ("il y a 3 jours", ago(days=3)),
    ("Publié il y a une heure", ago(hours=1)),
    ("il y a 2 semaines", ago(days=14)),
    ("hier", ago(days=1)),
    ("avant-hier", ago(days=2)),
    ("aujourd'hui", NOW),
    ("aujourd’hui", NOW),
    ("jeudi dernier", ago(days=1)),
    ("3 days ago", ago(days=3)),
    ("5 hours ago", ago(hours=5)),
    ("an hour ago", ago(hours=1)),
    ("a day ago", ago(days=1)),
    ("two weeks ago", ago(days=14)),
    ("Posted 2 months ago by Jane", datetime(2024, 1, 15, 12, 0, tzinfo=UTC)),
    ("Yesterday", ago(days=1)),
    ("today", NOW),
    ("last Thursday", ago(days=1)),
    ("last Friday", ago(days=7)),
    ("just now", NOW),
])
def test_parse_date_relative(text, expected):
    got = parse_date(text, NOW)
    assert got == expected
    assert got.tzinfo is not None


def test_relative_month_clamps_day():
    fetched = datetime(2024, 3, 31, 8, 0, tzinfo=UTC)
    assert parse_date("منذ شهر", fetched) == datetime(2024, 2, 29, 8, 0, tzinfo=UTC)


def test_non_utc_fetched_at_is_converted():
    fetched = datetime(2024, 3, 15, 15, 0, tzinfo=PLUS3)
    assert parse_date("3 days ago", fetched) == ago(days=3)


# ---------------------------------------------------------------- parse_date: rejections

@pytest.mark.parametrize("text", [
    "", "   ", "Skip to content", "تخطى إلى المحتوى", "لن يتم نشر عنوان بريدك الإلكتروني",
    "Comment 5", "12 تعليقات", "1234", "v1.2.3", "March madness", "10:30 am",
    "21 سبتمبر 2030",  # future
    "2024-03-17",  # future beyond the 14 h tolerance
    "2024-03-15T13:00:00Z",  # aware and after fetched_at
    "1 March 1985",  # before 1990
    "31 فبراير 2021",  # no such day
    "منذ 40 سنة",  # before 1990
])
def test_parse_date_rejects(text):
    assert parse_date(text, NOW) is None


@pytest.mark.parametrize("text, expected", [
    ("16 مارس 2024", datetime(2024, 3, 16)),  # naive: within UTC+14 of the fetch
    ("2024-03-15T14:00:00+03:00", datetime(2024, 3, 15, 14, 0, tzinfo=PLUS3)),  # 11:00 UTC
    ("١٥ مارس ٢٠٢٤", datetime(2024, 3, 15)),
])
def test_parse_date_near_fetch_time(text, expected):
    assert parse_date(text, NOW) == expected


# ------------------------------------------------ the date displays of WordPress themes, written here

WORDPRESS_DISPLAYS = [  # (shown on the page, the day); Arabic and English theme date formats
    ("20 سبتمبر، 2019", datetime(2019, 9, 20)), ("٢٠ سبتمبر ٢٠١٩", datetime(2019, 9, 20)),
    ("20 أيلول 2019", datetime(2019, 9, 20)), ("2019/09/20", datetime(2019, 9, 20)),
    ("نشر في 20 سبتمبر، 2019 بواسطة هادي العبد الله", datetime(2019, 9, 20)),
    ("3 شباط 2021", datetime(2021, 2, 3)), ("٣ فبراير ٢٠٢١", datetime(2021, 2, 3)),
    ("31 كانون الأول 2023", datetime(2023, 12, 31)), ("31 ديسمبر، 2023", datetime(2023, 12, 31)),
    ("September 20, 2019", datetime(2019, 9, 20)), ("Friday, September 20, 2019", datetime(2019, 9, 20)),
    ("3 February 2021", datetime(2021, 2, 3)), ("Feb 3, 2021", datetime(2021, 2, 3)),
    ("By Jane Doe · December 31, 2023", datetime(2023, 12, 31)), ("Sunday, December 31, 2023", datetime(2023, 12, 31)),
    ("September 20, 2019 at 13:05", datetime(2019, 9, 20, 13, 5)),
]


@pytest.mark.parametrize(("text", "expected"), WORDPRESS_DISPLAYS)
def test_wordpress_date_displays_parse(text, expected):
    assert parse_date(text, NOW) == expected


# ---------------------------------------------------------------- property

@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=200) | st.from_regex(
    r"(منذ|قبل|il y a|نشر في)? ?[0-9٠-٩]{1,4}[ /.\-]?(سبتمبر|آذار|محرم|March|juin|ago|هـ)?[ /.\-]?[0-9٠-٩]{0,4}", fullmatch=True))
def test_parse_date_never_raises_nor_returns_future(text):
    got = parse_date(text, NOW)
    assert got is None or isinstance(got, datetime)
    if got is not None:
        if got.tzinfo is None:
            assert datetime(1990, 1, 1) <= got <= NOW.replace(tzinfo=None) + timedelta(hours=14)
        else:
            assert got <= NOW


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80))
def test_parse_structured_date_never_raises(text):
    got = parse_structured_date(text)
    assert got is None or isinstance(got, datetime)
