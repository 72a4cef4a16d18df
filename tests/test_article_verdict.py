"""Is this page one article? Verdicts on pages written here (news sites as many CMS make them: og:type
"website" on every page, no article JSON-LD, teaser lists around the story).

- a news article with big related-teaser lists around it is an article;
- a real listing (10 teasers, each a headline link and an excerpt, no body) is not, nor is a blog home
  that shows its posts in full, nor a press-release list whose headline links sit in one ``<article>``;
- a short news item with schema.org article markup is an article;
- a page with no URL (a saved page) is judged by its content, not as a site root;
- a teaser links to one post of the same site: a story whose sections are ``<article>`` elements that
  link nowhere or out (a listicle), boxes of many post links, and the same "previous report" link in
  every section make no listing;
- a WordPress page whose one post container is of type post (a magazine publishing stories as pages)
  is an article; with a container of type page it stays a static page;
- the lone-headline rule counts the page's headlines, not the site's name or logo set in ``<h1>``;
- a short news item whose headline says "error" (خطأ) and that has article metadata is an article;
- ``/index.html`` is the site root, ``/?p=123`` (WordPress plain permalinks) a post; teasers on a subdomain
  of the site are the site's.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.extraction import extract
from crawler.extraction.teasers import dominant_body
from crawler.items import PageSnapshot

FETCHED = datetime(2025, 1, 1, tzinfo=timezone.utc)
STORY = ("The regional council approved the new tram line on Tuesday after a debate that lasted most of the "
         "afternoon, and the first works on the eastern section are to start in the spring. ")
TEASER = ("Residents of the old quarter gathered in the square to discuss the plans for the market hall, "
          "which has stood empty since the fire of last winter. ")
HEAD = ("<meta property='og:type' content='website'><meta property='og:site_name' content='City News'>"
        "<meta property='article:published_time' content='2024-03-05T10:00:00+01:00'>")


def page(main: str, *, head: str = HEAD, title: str = "City News") -> bytes:
    return (f"<html lang='en'><head><title>{title}</title>{head}</head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/news/'>News</a> <a href='/sport/'>Sport</a></nav></header>"
            f"{main}<footer><p>City News, 1 Main Street</p></footer></body></html>").encode()


def teasers(count: int, start: int = 0, excerpt: str = TEASER, href: str = "/news/story-{}") -> str:
    return "".join(
        f"<article class='teaser'><h3 class='teaser-title'><a href='{href.format(i)}'>Story number {i} of the day</a></h3>"
        f"<p>{excerpt} ({i})</p><time datetime='2024-03-0{1 + i % 5}'>March {1 + i % 5}, 2024</time></article>"
        for i in range(start, start + count))


def verdict(body: bytes, url: str = "https://news.example/city/tram-line-approved-2024"):
    return extract(PageSnapshot(url=url, body=body, fetched_at=FETCHED))


def test_news_article_between_big_teaser_lists_is_an_article() -> None:
    story = "".join(f"<p>{STORY}Paragraph {i} of the report adds the figures for year {2020 + i}.</p>" for i in range(8))
    main = ("<main><h1>Council approves the new tram line</h1><p class='byline'>By Ann Smith</p>"
            f"<div class='story-body'>{story}</div>"
            f"<section class='related'><h2>Related</h2>{teasers(6)}</section>"
            f"<aside class='most-read'><h2>Most read</h2>{teasers(6, start=6)}</aside></main>")
    result = verdict(page(main, title="Council approves the new tram line | City News"))
    assert result.is_article, result.reason
    assert "Paragraph 7 of the report" in result.text


def test_listing_of_ten_teasers_without_body_is_not_an_article() -> None:
    main = f"<main><h1>News</h1>{teasers(10)}</main>"
    result = verdict(page(main), url="https://news.example/city/latest")
    assert not result.is_article
    assert result.reason == "listing"


def test_blog_home_with_full_posts_is_not_an_article() -> None:
    full = " ".join([STORY] * 6)
    main = f"<main><h1>Ann's notes</h1>{teasers(5, excerpt=full)}</main>"
    result = verdict(page(main), url="https://news.example/notes")
    assert not result.is_article
    assert result.reason == "listing"


def test_list_of_headline_links_inside_one_article_element_is_a_listing() -> None:
    items = "".join(f"<div class='item'><h2 class='title'><a href='/press/{i}'>Press release {i}</a></h2>"
                    f"<p>{TEASER} Release {i} names {i * 3} new partners.</p></div>" for i in range(12))
    result = verdict(page(f"<article class='press'><h1>Press releases</h1>{items}</article>"),
                     url="https://news.example/press")
    assert not result.is_article
    assert result.reason == "listing"


def test_short_news_item_with_article_markup_is_an_article() -> None:
    main = ("<main><div itemscope itemtype='https://schema.org/NewsArticle'>"
            "<h1 itemprop='headline'>Bridge closed tonight</h1>"
            "<p itemprop='articleBody'>The old bridge is closed from 8 pm tonight for repairs to the railing.</p>"
            "</div></main>")
    result = verdict(page(main, title="Bridge closed tonight"), url="https://news.example/city/bridge-closed")
    assert result.is_article, result.reason


def test_page_without_url_is_judged_by_its_content() -> None:
    story = "".join(f"<p>{STORY}Paragraph {i}.</p>" for i in range(8))
    body = page(f"<main><h1>Council approves the new tram line</h1><div>{story}</div></main>")
    result = verdict(body, url="")
    assert result.is_article, result.reason


def test_body_must_outweigh_a_typical_teaser() -> None:
    cards = [TEASER * 2] * 5
    own = STORY * 3  # about 500 characters of the page's own: not twice a 290-character teaser
    assert not dominant_body(own, cards)
    assert dominant_body(own * 2, cards)
    assert not dominant_body(own * 2 + "\n" + "\n".join(cards * 3), cards)  # mostly teaser text


def test_one_headline_over_a_long_story_is_an_article_under_og_website_without_date() -> None:
    story = "".join(f"<p>{STORY}Paragraph {i} of the feature.</p>" for i in range(8))
    head = "<meta property='og:type' content='website'>"
    result = verdict(page(f"<main><h1>Council approves the new tram line</h1><div>{story}</div></main>", head=head))
    assert result.is_article, result.reason
    assert result.published is None


@pytest.mark.parametrize("url, kept", [
    ("https://shop.example/magazin/tipps/aufraeumen-leicht-gemacht/", True),
    ("https://news.example/actualites/la-fete-du-quartier", True),
    ("https://news.example/أخبار/افتتاح-مكتبة-جديدة", True),
    ("https://shop.example/magazin/", False),               # the section itself
    ("https://shop.example/services/consulting-offer", False),  # no editorial section
    ("https://shop.example/blog/page/2", False),             # no slug of words
])
def test_an_undated_story_without_headline_in_an_editorial_section_is_an_article(url: str, kept: bool) -> None:
    # no <h1>, no date, no article metadata: the URL's section ("magazin", "actualites", "أخبار") and slug decide
    story = "".join(f"<p>{STORY}Paragraph {i} of the feature.</p>" for i in range(4))
    result = verdict(page(f"<main><div class='title'>Tidy up in ten minutes</div><div>{story}</div></main>",
                          head="<meta name='description' content='Tips'>"), url=url)
    assert result.is_article is kept, result.reason


def story_sections(count: int, extra: str = "") -> str:
    return "".join(f"<article class='content-element'><h2>Part {i} of the report</h2><p>{STORY}Part {i} adds the "
                   f"figures for year {2020 + i}.</p>{extra}</article>" for i in range(count))


def test_story_in_article_sections_that_link_to_no_post_is_an_article() -> None:
    out = "<p>More at <a href='https://other.example/place'>the place's own site</a> <a href='#top'>top</a></p>"
    main = f"<main><h1>Weekly report</h1>{story_sections(6, out)}</main>"
    result = verdict(page(main, title="Weekly report | City News"), url="https://news.example/reports/week-3")
    assert result.is_article, result.reason


def test_sections_all_linking_to_the_same_previous_report_make_no_listing() -> None:
    previous = "<p><a href='/reports/week-2'>Open the previous report</a></p>"
    main = f"<main><h1>Weekly report</h1>{story_sections(6, previous)}</main>"
    result = verdict(page(main, title="Weekly report | City News"), url="https://news.example/reports/week-3")
    assert result.is_article, result.reason


def test_boxes_of_many_post_links_are_not_teasers() -> None:
    story = "".join(f"<p>{STORY}Paragraph {i}.</p>" for i in range(3))
    def box(k: int) -> str:
        return "".join(f"<li><a href='/news/{k}{n}-story'>Another story of the day number {n}, in short</a> "
                       f"<span>10:{n:02d}</span> {TEASER}</li>" for n in range(8))
    boxes = "".join(f"<article class='feed'><p>Latest news</p><ul>{box(k)}</ul></article>" for k in range(4))
    main = f"<main><article class='story'><h1>Council approves the new tram line</h1>{story}</article>{boxes}</main>"
    result = verdict(page(main, title="Council approves the new tram line | City News"))
    assert result.is_article, result.reason


def wordpress_page(container_class: str) -> bytes:
    story = "".join(f"<p>{STORY}Paragraph {i} of the open letter.</p>" for i in range(8))
    return (f"<html><head><title>An open letter | City Review</title><meta property='og:type' content='article'>"
            f"</head><body class='page page-id-5 an-open-letter'><main><article class='{container_class}' id='post-5'>"
            f"<h1>An open letter</h1>{story}</article></main></body></html>").encode()


def test_wordpress_page_with_a_post_container_is_an_article() -> None:
    result = verdict(wordpress_page("post"), url="https://review.example/an-open-letter/")
    assert result.is_article, result.reason
    result = verdict(wordpress_page("post-5 page type-page status-publish"), url="https://review.example/an-open-letter/")
    assert not result.is_article
    assert result.reason == "static-page"


def test_site_name_and_logo_headlines_do_not_count_as_headlines() -> None:
    story = "".join(f"<p>{STORY}Paragraph {i} of the feature.</p>" for i in range(8))
    head = "<meta property='og:type' content='website'>"
    main = ("<nav class='skip'><h1>City News, the paper of the city</h1><a href='#main'>Skip</a></nav>"
            "<h1 class='branding'><a href='/'><img src='/logo.png' alt='City News'></a></h1>"
            f"<main><h1>Council approves the new tram line</h1><div>{story}</div></main>")
    result = verdict(page(main, head=head))
    assert result.is_article, result.reason
    assert result.published is None


def test_root_index_html_is_the_site_root() -> None:
    story = "".join(f"<p>{STORY}Paragraph {i}.</p>" for i in range(8))
    body = page(f"<main><h1>Welcome to City News</h1><div>{story}</div></main>")
    result = verdict(body, url="https://news.example/index.html")
    assert not result.is_article
    assert result.reason == "listing-url"
    assert verdict(body, url="https://news.example/index.php?id=30").is_article


def test_teasers_on_a_subdomain_of_the_site_still_make_a_listing() -> None:
    cards = teasers(10, href="https://city.news.example/story-{}")
    result = verdict(page(f"<main><h1>News</h1>{cards}</main>"), url="https://www.news.example/city/latest")
    assert not result.is_article
    assert result.reason == "listing"


def test_short_news_item_whose_headline_says_error_is_an_article() -> None:
    head = ("<meta property='og:type' content='article'>"
            "<meta property='article:published_time' content='2024-03-05T10:00:00+03:00'>")
    brief = ("<p>أقرت إدارة المستشفى الحكومي في المدينة بوقوع خطأ طبي أثناء عملية جراحية أجريت أمس، وأعلنت "
             "فتح تحقيق عاجل في الحادثة وإيقاف الطاقم المعني عن العمل إلى حين صدور النتائج.</p>")
    body = (f"<html lang='ar' dir='rtl'><head><title>خطأ طبي في مستشفى المدينة | أخبار المدينة</title>{head}</head>"
            f"<body><main><h1>خطأ طبي في مستشفى المدينة</h1>{brief}</main></body></html>").encode()
    result = verdict(body, url="https://news.example/city/medical-error")
    assert result.is_article, result.reason
    no_metadata = body.replace(b"content='article'", b"content='website'")
    assert verdict(no_metadata, url="https://news.example/city/medical-error").reason == "error-page"


def test_teasers_of_posts_under_plain_wordpress_permalinks_make_a_listing() -> None:
    cards = teasers(10, start=100, href="/?p={}")
    result = verdict(page(f"<main><h1>News</h1>{cards}</main>"), url="https://news.example/city/latest")
    assert not result.is_article
    assert result.reason == "listing"
