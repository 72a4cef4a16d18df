"""crawler.dates.locate: finding a page's publication date, on pages written for these tests."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from crawler.dates.locate import extract_dates, url_date
from crawler.dates.plausible import plausible
from crawler.extraction.document import parse_html
from crawler.extraction.lines import is_date_line

FETCHED = datetime(2024, 3, 15, 12, 0, tzinfo=timezone.utc)
PROSE = "<p>" + "The council met again on a wet evening and talked about the new library for hours. " * 4 + "</p>"


def page(body: str, *, head: str = "", body_attrs: str = "", title: str = "A library at last") -> str:
    return (f"<html><head><title>{title} | Town Blog</title>{head}</head><body {body_attrs}>"
            f"<header class='site-header'><a href='/'>Town Blog</a></header>{body}"
            "<aside class='sidebar'><h3>Recent</h3><ul><li><span class='date'>1 January 2024</span></li><li>Posted on 2 February 2023</li></ul></aside>"
            "<footer class='site-footer'>© 2023 Town Blog</footer></body></html>")


def dates_of(markup: str, url: str = "https://blog.example/a-library-at-last/", languages=None):
    doc = parse_html(markup, url)
    return extract_dates(doc, FETCHED, languages)


def jsonld(obj: dict | str) -> str:
    text = obj if isinstance(obj, str) else json.dumps(obj)
    return f'<script type="application/ld+json">{text}</script>'


def test_body_class_with_sidebar_does_not_hide_the_date() -> None:
    found = dates_of(page("<article><h1>A library at last</h1><div class='entry-meta'>"
                          "<span class='posted-on'>March 3, 2024</span></div>" + PROSE + "</article>",
                          body_attrs="class='post-template has-sidebar'"))
    assert (found.published, found.source) == (datetime(2024, 3, 3), "text")


def test_wrapper_named_sidebar_that_holds_the_headline_is_read() -> None:
    found = dates_of(page("<div id='sidebar-layout'><div class='main'><h1>A library at last</h1>"
                          "<p class='datum'>26. Januar 2024</p>" + PROSE + "</div></div>"), languages=["de", "en"])
    assert found.published == datetime(2024, 1, 26)


def test_sidebar_and_footer_dates_are_not_read() -> None:
    found = dates_of(page("<article><h1>A library at last</h1>" + PROSE + "</article>"))
    assert found.published is None


@pytest.mark.parametrize("meta_html, languages, expected", [
    ("<span class='fecha'>3 de marzo de 2024</span>", ["es", "en"], datetime(2024, 3, 3)),
    ("<div class='tarih'>03.03.2024 14:07</div>", ["tr", "en"], datetime(2024, 3, 3, 14, 7)),
    ("<ul><li>Datum: 26. Januar 2024</li></ul>", ["de", "en"], datetime(2024, 1, 26)),
    ("<p class='meta'>Do 25.01.24 | 14:07 Uhr</p>", ["de", "en"], datetime(2024, 1, 25, 14, 7)),
    ("<div>نشر في: 12 أيلول 2023</div>", ["ar", "en"], datetime(2023, 9, 12)),
    ("<div class='post-date'>12 جوان 2023</div>", ["ar", "en"], datetime(2023, 6, 12)),
])
def test_visible_date_near_the_headline(meta_html: str, languages: list[str], expected: datetime) -> None:
    found = dates_of(page(f"<div class='main'><h1>A library at last</h1>{meta_html}{PROSE}</div>"),
                     languages=languages)
    assert found.published == expected


def test_first_h1_is_the_site_name_the_headline_is_found_by_the_title() -> None:
    markup = page("<h1 class='logo'>Town Blog</h1><div class='sidebar-teasers'><span class='date'>1 May 2022</span></div>"
                  "<div class='content'><h2>A library at last</h2><span class='date'>4 March 2024</span>" + PROSE + "</div>")
    assert dates_of(markup).published == datetime(2024, 3, 4)


def test_blogger_date_header_before_the_post() -> None:
    markup = page(
        "<div class='widget Blog' id='Blog1'><div class='blog-posts hfeed'>"
        "<div class='date-outer'><h2 class='date-header'><span>Monday, March 4, 2024</span></h2>"
        "<div class='date-posts'><div class='post-outer'><div class='post hentry'>"
        "<h3 class='post-title entry-title'>A library at last</h3>"
        f"<div class='post-body entry-content'>{PROSE}</div></div></div></div></div></div></div>")
    found = dates_of(markup, url="https://town.blogspot.com/2024/03/a-library-at-last.html")
    assert found.published == datetime(2024, 3, 4)


@pytest.mark.parametrize("kind", ["ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                                  "LiveBlogPosting", "DiscussionForumPosting", "WebPage"])
def test_jsonld_types_that_carry_date_published(kind: str) -> None:
    markup = page("<h1>A library at last</h1>" + PROSE,
                  head=jsonld({"@context": "https://schema.org", "@type": kind, "datePublished": "2024-03-02T10:00:00+01:00"}))
    found = dates_of(markup)
    assert (found.published, found.source) == (datetime(2024, 3, 2, 10, tzinfo=timezone(timedelta(hours=1))), "jsonld")


def test_slightly_broken_jsonld_still_gives_its_date() -> None:
    broken = '{"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2024-03-02T10:00:00Z"}}'
    found = dates_of(page("<h1>A library at last</h1>" + PROSE, head=jsonld(broken)))
    assert (found.published, found.source) == (datetime(2024, 3, 2, 10, tzinfo=timezone.utc), "jsonld")


def test_jsonld_of_an_image_is_not_the_page_date() -> None:
    head = jsonld({"@type": "ImageObject", "datePublished": "2019-05-05"})
    found = dates_of(page("<h1>A library at last</h1>" + PROSE, head=head))
    assert found.source != "jsonld"


def test_offset_is_kept_not_converted() -> None:
    head = '<meta property="article:published_time" content="2023-11-08T22:00:00-05:00">'
    found = dates_of(page("<h1>A library at last</h1>" + PROSE, head=head))
    assert found.published.isoformat() == "2023-11-08T22:00:00-05:00"


def test_local_copy_of_the_same_instant_wins_over_the_utc_copy() -> None:
    head = (jsonld({"@type": "NewsArticle", "datePublished": "2023-11-09T03:00:00Z"})
            + '<meta property="article:published_time" content="2023-11-08T22:00:00-05:00">')
    found = dates_of(page("<h1>A library at last</h1>" + PROSE, head=head))
    assert found.published.isoformat() == "2023-11-08T22:00:00-05:00"


def test_utc_date_one_day_after_the_url_day_is_the_url_day() -> None:
    head = jsonld({"@type": "NewsArticle", "datePublished": "2023-11-09T03:00:00Z"})
    found = dates_of(page("<h1>A library at last</h1>" + PROSE, head=head),
                     url="https://paper.example/2023/11/08/a-library-at-last/")
    assert found.published.date() == date(2023, 11, 8)


def test_stated_offset_beats_the_url_day() -> None:
    head = jsonld({"@type": "NewsArticle", "datePublished": "2023-11-09T08:00:00+03:00"})
    found = dates_of(page("<h1>A library at last</h1>" + PROSE, head=head),
                     url="https://paper.example/2023/11/08/a-library-at-last/")
    assert found.published.date() == date(2023, 11, 9)


def test_epoch_zero_loses_to_the_url_date() -> None:
    head = '<meta property="article:published_time" content="1970-01-01T00:00:00+00:00">'
    found = dates_of(page("<h1>A library at last</h1>" + PROSE, head=head),
                     url="https://paper.example/2021/06/07/a-library-at-last/")
    assert (found.published, found.source) == (datetime(2021, 6, 7), "url")


def test_time_element_contradicting_its_visible_text() -> None:
    body = ("<article><h1>A library at last</h1><time datetime='2024-01-01T00:00:00Z'>5 March 2024</time>"
            + PROSE + "</article>")
    assert dates_of(page(body)).published == datetime(2024, 3, 5)


def test_two_machine_dates_disagree_the_visible_date_decides() -> None:
    head = (jsonld({"@type": "NewsArticle", "datePublished": "2024-03-01T09:00:00+01:00"})
            + '<meta property="article:published_time" content="2024-03-06T09:00:00+01:00">')
    body = "<article><h1>A library at last</h1><span class='date'>6 March 2024</span>" + PROSE + "</article>"
    assert dates_of(page(body, head=head)).published.date() == date(2024, 3, 6)


def test_label_anywhere_on_the_page() -> None:
    body = "<div><h1>A library at last</h1>" + PROSE + "</div><div class='footer-info'>Erschienen am: 01.03.2024</div>"
    assert dates_of(page(body), languages=["de", "en"]).published == datetime(2024, 3, 1)


def test_url_date_shapes() -> None:
    assert url_date("https://a.example/2020/04/13/x/") == date(2020, 4, 13)
    assert url_date("https://a.example/news/20200413/x") == date(2020, 4, 13)
    assert url_date("https://a.example/x-2020-04-13-y") == date(2020, 4, 13)
    assert url_date("https://a.example/2020/04/x/") is None
    assert url_date("https://a.example/1970/01/01/x/") is None


@pytest.mark.parametrize("value, ok", [
    (datetime(1970, 1, 1), False),
    (datetime(1994, 12, 31), False),
    (datetime(1995, 1, 1), True),
    (datetime(2024, 3, 16, 1, 0), True),  # a naive wall time up to UTC+14
    (datetime(2024, 3, 16, 3, 0), False),
    (datetime(2024, 3, 15, 12, 1, tzinfo=timezone.utc), False),
    (datetime(2024, 3, 15, 13, 0, tzinfo=timezone(timedelta(hours=3))), True),
])
def test_one_plausibility_rule(value: datetime, ok: bool) -> None:
    assert (plausible(value, FETCHED) is not None) is ok


@pytest.mark.parametrize("line", ["12 جوان 2020", "3 أوت 2021", "السبت 12 أيلول 2020", "4 März 2021",
                                  "12 septiembre 2019", "martedì 4 giugno 2019"])
def test_line_filter_knows_every_month_system(line: str) -> None:
    assert is_date_line(line)


def test_htmldate_first_of_month_kept_only_when_the_page_shows_it() -> None:
    shown = ("<html><head><title>Batteries</title></head><body><div class='x'><p><em>01.03.2024 11:35</em></p>"
             "<h4>Efficient batteries for the town</h4>" + PROSE + "</div></body></html>")
    assert dates_of(shown, languages=["de", "en"]).published.date() == date(2024, 3, 1)
    guessed = ("<html><head><title>Batteries</title></head><body><div class='x'><h4>Efficient batteries</h4>"
               "<a href='/2024/03/'>March archive</a><a href='/2024/03/other-post/'>Other</a>" + PROSE + "</div></body></html>")
    assert dates_of(guessed).published is None
