"""Tables for crawler/discovery.py's parsers: robots.txt sitemaps, sitemaps and sitemap indexes, feeds
(RSS 2.0, RSS 1.0, Atom, JSON Feed). Every document here is written for the test."""

from __future__ import annotations

import gzip
import json

import pytest

from crawler.discovery import SitemapEntry, parse_feed, parse_sitemap, robots_sitemaps

B = "https://blog.example"
SM = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
INDEX = '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</sitemapindex>'


# -- robots.txt ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("robots", "sitemaps"), [
    ("User-agent: *\nDisallow: /private/\nSitemap: https://blog.example/sitemap.xml\n", [f"{B}/sitemap.xml"]),
    ("sitemap: https://blog.example/a.xml\nSITEMAP:https://blog.example/b.xml", [f"{B}/a.xml", f"{B}/b.xml"]),
    ("User-agent: *\r\nSitemap: https://blog.example/a.xml\r\n", [f"{B}/a.xml"]),
    ("Sitemap: /relative-sitemap.xml\n", [f"{B}/relative-sitemap.xml"]),
    ("\ufeffSitemap: https://blog.example/bom.xml\n", [f"{B}/bom.xml"]),  # a byte-order mark before the first line
    ("Sitemap: https://blog.example/a.xml # the posts\n", [f"{B}/a.xml"]),  # a trailing comment
    ("  Sitemap:   https://blog.example/spaced.xml  \n", [f"{B}/spaced.xml"]),
    ("# Sitemap: https://blog.example/commented.xml\nSitemap:\n", []),
    ("User-agent: *\nDisallow:\n", []),
    ("Sitemap: https://cdn.example/sitemap_index.xml\n", ["https://cdn.example/sitemap_index.xml"]),
])
def test_robots_sitemap_lines(robots, sitemaps):
    assert robots_sitemaps(robots.encode("utf-8"), f"{B}/robots.txt") == sitemaps


def test_robots_not_utf8_does_not_raise():
    assert robots_sitemaps(b"Sitemap: https://blog.example/a.xml\n\xff\xfe junk\n", f"{B}/robots.txt") == [f"{B}/a.xml"]


# -- sitemaps --------------------------------------------------------------------------------------

def _urls(*pairs):
    return "".join(f"<url><loc>{loc}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</url>" for loc, mod in pairs)


@pytest.mark.parametrize(("body", "entries"), [
    (SM.format(_urls((f"{B}/2024/03/a/", "2024-03-10T12:00:00+00:00"), (f"{B}/2024/03/b/", None))),
     [SitemapEntry(f"{B}/2024/03/a/", "2024-03-10T12:00:00+00:00", False), SitemapEntry(f"{B}/2024/03/b/", None, False)]),
    (SM.format(f"<url><loc>\n   {B}/spaced/  \n</loc></url>"), [SitemapEntry(f"{B}/spaced/", None, False)]),
    (SM.format(f"<url><loc>{B}/2019/09/%D8%A5%D8%AF%D9%84%D8%A8/</loc></url>"),
     [SitemapEntry(f"{B}/2019/09/%D8%A5%D8%AF%D9%84%D8%A8/", None, False)]),
    (SM.format(f"<url><loc>{B}/2019/09/إدلب/</loc><lastmod>2019-09-01</lastmod></url>"),
     [SitemapEntry(f"{B}/2019/09/إدلب/", "2019-09-01", False)]),
    (SM.format(f"<url><loc>{B}/a?x=1&amp;y=2</loc></url>"), [SitemapEntry(f"{B}/a?x=1&y=2", None, False)]),
    (SM.format("<url><loc>/relative/</loc></url>"), [SitemapEntry(f"{B}/relative/", None, False)]),
    (SM.format("<url><lastmod>2024-01-01</lastmod></url><url><loc></loc></url>"), []),  # no loc: nothing
    ("<urlset><url><loc>https://blog.example/no-namespace/</loc></url></urlset>",
     [SitemapEntry(f"{B}/no-namespace/", None, False)]),
    ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
     f"<url><loc>{B}/with-image/</loc><image:image><image:loc>{B}/a.jpg</image:loc></image:image></url></urlset>",
     [SitemapEntry(f"{B}/with-image/", None, False)]),
    ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
     f"<url><loc>{B}/news-post/</loc><news:news><news:publication_date>2024-03-01</news:publication_date></news:news>"
     "</url></urlset>", [SitemapEntry(f"{B}/news-post/", None, False)]),
    ("", []),
    ("   \n", []),
    ("<!DOCTYPE html><html><body><h1>Not found</h1></body></html>", []),  # an error page where the sitemap was
    ("not xml at all", []),
])
def test_sitemap_entries(body, entries):
    assert parse_sitemap(body.encode("utf-8"), f"{B}/sitemap.xml") == entries


def test_sitemap_index_entries_are_child_sitemaps():
    body = INDEX.format(
        f"<sitemap><loc>{B}/post-sitemap.xml</loc><lastmod>2024-03-10</lastmod></sitemap>"
        f"<sitemap><loc>{B}/page-sitemap.xml.gz</loc></sitemap>"
    )
    assert parse_sitemap(body.encode(), f"{B}/sitemap_index.xml") == [
        SitemapEntry(f"{B}/post-sitemap.xml", "2024-03-10", True),
        SitemapEntry(f"{B}/page-sitemap.xml.gz", None, True),
    ]


def test_gzipped_sitemap():
    body = gzip.compress(SM.format(_urls((f"{B}/gz/", None))).encode())
    assert parse_sitemap(body, f"{B}/sitemap.xml.gz") == [SitemapEntry(f"{B}/gz/", None, False)]


def test_truncated_sitemap_gives_what_could_be_read():
    body = SM.format(_urls((f"{B}/1/", None), (f"{B}/2/", None)))[:-len("</urlset>")] + "<url><loc>https://blog.exa"
    got = parse_sitemap(body.encode(), f"{B}/sitemap.xml")
    assert [e.url for e in got][:2] == [f"{B}/1/", f"{B}/2/"]


def test_sitemap_entities_are_not_expanded():
    body = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{B}/&lol2;</loc></url></urlset>')
    got = parse_sitemap(body.encode(), f"{B}/sitemap.xml")
    assert all("lollol" not in e.url for e in got)


# -- feeds -----------------------------------------------------------------------------------------

RSS = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{}</channel></rss>'
ATOM = '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{}</feed>'
RDF = ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
       '<channel rdf:about="https://blog.example/"><title>t</title></channel>{}</rdf:RDF>')

FEEDS = [
    # RSS 2.0
    (RSS.format(f"<item><title>a</title><link>{B}/a/</link></item><item><link>\n  {B}/b/ \n</link></item>"),
     [f"{B}/a/", f"{B}/b/"]),
    (RSS.format(f"<item><link><![CDATA[{B}/cdata/]]></link></item>"), [f"{B}/cdata/"]),
    (RSS.format(f"<item><guid>{B}/guid-only/</guid></item>"), [f"{B}/guid-only/"]),
    (RSS.format(f'<item><guid isPermaLink="true">{B}/permalink-guid/</guid></item>'), [f"{B}/permalink-guid/"]),
    (RSS.format('<item><guid isPermaLink="false">tag:blog.example,2024:1</guid></item>'), []),
    (RSS.format("<item><link>/relative/</link></item>"), [f"{B}/relative/"]),
    (RSS.format(f"<item><link>{B}/2019/09/إدلب/</link></item>"), [f"{B}/2019/09/إدلب/"]),
    (RSS.format(f'<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="{B}/feed/"/>'
                f"<item><link>{B}/a/</link><comments>{B}/a/#comments</comments></item>"), [f"{B}/a/"]),
    # Atom: the alternate link, wherever it stands among the entry's links
    (ATOM.format(f'<entry><title>a</title><link href="{B}/a/"/></entry>'), [f"{B}/a/"]),
    (ATOM.format(f'<entry><link rel="alternate" type="text/html" href="{B}/a/"/>'
                 f'<link rel="replies" type="text/html" href="{B}/a/#comments"/></entry>'), [f"{B}/a/"]),
    (ATOM.format(f'<entry><link rel="replies" type="application/atom+xml" href="{B}/feeds/1/comments"/>'
                 f'<link rel="edit" href="{B}/feeds/posts/1"/><link rel="self" href="{B}/feeds/posts/1"/>'
                 f'<link rel="alternate" type="text/html" href="{B}/2024/03/blogger-post.html"/></entry>'),
     [f"{B}/2024/03/blogger-post.html"]),  # Blogger writes the alternate link last
    (ATOM.format('<entry><link rel="enclosure" href="https://blog.example/a.mp3"/></entry>'), []),
    (ATOM.format('<entry><link href="/relative-atom/"/></entry>'), [f"{B}/relative-atom/"]),
    # RSS 1.0 (RDF)
    (RDF.format(f'<item rdf:about="{B}/rdf/"><title>r</title><link>{B}/rdf/</link></item>'), [f"{B}/rdf/"]),
    # not a feed
    ("", []),
    ("<!DOCTYPE html><html><body><p>Feed moved</p></body></html>", []),
    (RSS.format(""), []),
]


@pytest.mark.parametrize(("body", "links"), FEEDS)
def test_feed_item_links(body, links):
    assert parse_feed(body.encode("utf-8"), f"{B}/feed/") == links


def _json_feed(items, version="https://jsonfeed.org/version/1.1"):
    return json.dumps({"version": version, "title": "t", "home_page_url": f"{B}/", "items": items}).encode()


@pytest.mark.parametrize(("body", "links"), [
    (_json_feed([{"id": "1", "url": f"{B}/a/", "content_html": "<p>x</p>"}, {"id": "2", "url": f"{B}/b/"}]),
     [f"{B}/a/", f"{B}/b/"]),
    (_json_feed([{"id": "1", "url": "/relative-json/"}]), [f"{B}/relative-json/"]),
    (_json_feed([{"id": f"{B}/id-is-the-permalink/"}]), [f"{B}/id-is-the-permalink/"]),
    (_json_feed([{"id": "42", "external_url": "https://elsewhere.example/x"}]), []),  # the item has no page here
    (_json_feed([{"id": "1", "url": f"{B}/2019/09/إدلب/"}], version="https://jsonfeed.org/version/1"),
     [f"{B}/2019/09/إدلب/"]),
    (_json_feed([{"id": "1", "url": 42}, "not an item", {"id": "2", "url": f"{B}/ok/"}]), [f"{B}/ok/"]),
    (b"\xef\xbb\xbf" + _json_feed([{"id": "1", "url": f"{B}/bom/"}]), [f"{B}/bom/"]),
    (json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": "nope"}).encode(), []),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', []),  # truncated
    (b'{"not": "a feed"}', []),
    (b"[1, 2, 3]", []),
])
def test_json_feed_item_links(body, links):
    assert parse_feed(body, f"{B}/feed.json") == links
