"""The body's edges by structure: an <h1> opening the body, closing link runs and dangling headings."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.extraction import extract
from crawler.extraction.edges import trim_edges
from crawler.items import PageSnapshot
from lxml import html

FETCHED = datetime(2024, 3, 15, 12, tzinfo=timezone.utc)
PROSE = {
    "en": ("The committee met for the third time this month to discuss the budget of the new library, which has "
           "been delayed twice since the first plans were drawn up in the spring of last year."),
    "fr": ("Le conseil municipal s'est réuni pour la troisième fois ce mois-ci afin de discuter du budget de la "
           "nouvelle médiathèque, retardée deux fois depuis les premiers plans dessinés au printemps dernier."),
    "ar": ("اجتمعت اللجنة للمرة الثالثة هذا الشهر لمناقشة ميزانية المكتبة الجديدة التي تأخر افتتاحها مرتين منذ "
           "أن رسمت أولى خططها في ربيع العام الماضي، وسط مطالب السكان بتسريع الأشغال."),
}


def _page(lang: str, inner: str, title: str = "Town news") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Town Post</title>'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{title}"></head>'
            f'<body class="single single-post"><article>{inner}</article></body></html>').encode()


def _text(body: bytes) -> str:
    return extract(PageSnapshot(url="https://post.example/2024/03/news/", body=body, fetched_at=FETCHED)).text


def _paragraphs(lang: str, n: int = 4) -> str:
    return "".join(f"<p>{PROSE[lang]} ({i})</p>" for i in range(n))


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_an_h1_other_than_the_chosen_title_does_not_open_the_body(lang):
    # og:title (the title we keep) is the short form; the page's <h1> is the long headline
    body = _page(lang, f"<h1>Council finally approves the new library after two delays</h1>{_paragraphs(lang)}",
                 title="Library approved")
    text = _text(body)
    assert "Council finally approves" not in text
    assert text.startswith(PROSE[lang])


def test_a_subheading_opening_the_body_stays():
    body = _page("en", f"<h2>What the council decided</h2>{_paragraphs('en')}")
    assert _text(body).startswith("What the council decided")


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_a_closing_list_of_links_is_not_body(lang):
    links = "".join(f'<li><a href="/2024/03/story-{i}/">Another story of the town, number {i}</a></li>'
                    for i in range(3))
    body = _page(lang, f"{_paragraphs(lang)}<ul>{links}</ul>")
    text = _text(body)
    assert "Another story of the town" not in text
    assert text.endswith(f"{PROSE[lang]} (3)")


@pytest.mark.parametrize("lang, dated", [
    ("en", "({i} March 2024)"), ("fr", "· {i} mars 2024"), ("ar", "- {i} مارس 2024"), ("en", "[1{i}/03/2024 14:10]"),
])
def test_closing_links_with_their_dates_are_not_body(lang, dated):
    links = "".join(f'<p><a href="/2024/03/story-{i}/">Another story of the town, number {i}</a> {dated.format(i=i)}</p>'
                    for i in range(1, 4))
    text = _text(_page(lang, f"{_paragraphs(lang)}{links}"))
    assert "Another story of the town" not in text
    assert text.endswith(f"{PROSE[lang]} (3)")


def test_a_closing_link_with_more_than_a_date_beside_it_stays():
    closing = '<p><a href="/minutes">The minutes</a> of the meeting of 12 March 2024 are online</p>'
    assert _text(_page("en", _paragraphs("en") + closing)).endswith("are online")


def test_a_closing_promotion_that_is_one_link_is_not_body():
    promo = ('<p><a href="/subscribe">Get the Town Post delivered to your door every week, twelve issues for the '
             'price of ten, with our archive and the puzzles included</a></p>')
    text = _text(_page("en", _paragraphs("en") + promo))
    assert "delivered to your door" not in text


def test_a_closing_sentence_with_a_link_stays():
    closing = f'<p>{PROSE["en"]} Read <a href="/minutes">the minutes</a> for the details.</p>'
    assert _text(_page("en", _paragraphs("en") + closing)).endswith("for the details.")


def _lines_tree():
    tree = html.fromstring(
        "<html><body><article><p>First paragraph of prose.</p><p><a href='/a'>A linked story</a></p>"
        "<p>Second paragraph of prose.</p><h3>Tell us what you think</h3>"
        "<h3>The council will vote again in May and the residents say they will come</h3>"
        "<ul><li><a href='/b'>Other story</a></li><li><a href='/c'>Another story</a></li></ul></article></body></html>")
    return tree


def test_only_the_closing_run_goes_a_link_inside_the_body_stays():
    lines = ["First paragraph of prose.", "A linked story", "Second paragraph of prose.", "Tell us what you think",
             "Other story", "Another story"]
    assert trim_edges(lines, _lines_tree()) == lines[:3]


def test_a_long_closing_heading_may_be_a_sentence_and_stays():
    lines = ["First paragraph of prose.", "The council will vote again in May and the residents say they will come",
             "Other story"]
    assert trim_edges(lines, _lines_tree()) == lines[:2]


def test_untraceable_lines_are_left_alone_and_one_line_always_stays():
    tree = html.fromstring("<html><body><h1>Only a headline</h1><p><a href='/x'>a link</a></p></body></html>")
    assert trim_edges(["Only a headline", "a link"], tree) == ["a link"]
    assert trim_edges(["not in the page", "nor this"], tree) == ["not in the page", "nor this"]
    assert trim_edges(["a link"], tree) == ["a link"]


@pytest.mark.parametrize("lang,label", [("en", "Politics"), ("fr", "Société"), ("ar", "سياسة")])
def test_a_section_link_under_the_headline_does_not_open_the_body(lang, label):
    inner = f'<div class="entry"><h1>Town news</h1><a href="/section/">{label}</a>{_paragraphs(lang)}</div>'
    lines = _text(_page(lang, inner)).splitlines()
    assert lines[0].startswith(PROSE[lang][:40])
    assert label not in lines


def test_short_lines_opening_the_body_stay_unless_they_are_links():
    # a dateline and a linked sentence open the body: neither is a lone short link
    dateline = "Berlin, 14 March"
    linked = 'The <a href="/report/">full report of the committee on the new library</a> is online'
    inner = f'<div class="entry"><h1>Town news</h1><p>{dateline}</p><p>{linked}.</p>{_paragraphs("en")}</div>'
    lines = _text(_page("en", inner)).splitlines()
    assert lines[:2] == [dateline, "The full report of the committee on the new library is online."]
