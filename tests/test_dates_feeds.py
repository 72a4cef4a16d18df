"""crawler.dates.feeds: (URL, publication date) pairs from feeds and WordPress REST, written here."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from crawler.dates.feeds import feed_dates

FETCHED = datetime(2024, 3, 15, 12, 0, tzinfo=timezone.utc)
BASE = "https://blog.example/feed/"
PLUS3 = timezone(timedelta(hours=3))


def test_rss_pubdate_with_offset_kept():
    rss = b"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
      <item><title>a</title><link>https://blog.example/a/</link><pubDate>Tue, 05 Mar 2024 21:30:00 +0300</pubDate></item>
      <item><title>b</title><link>/b/</link><dc:date>2024-03-06T08:00:00Z</dc:date></item>
      <item><title>no date</title><link>https://blog.example/c/</link></item>
      <item><title>future</title><link>https://blog.example/d/</link><pubDate>Tue, 05 Mar 2030 10:00:00 GMT</pubDate></item>
    </channel></rss>"""
    assert feed_dates(rss, BASE, FETCHED) == [
        ("https://blog.example/a/", datetime(2024, 3, 5, 21, 30, tzinfo=PLUS3)),
        ("https://blog.example/b/", datetime(2024, 3, 6, 8, 0, tzinfo=timezone.utc)),
    ]


def test_atom_published_before_updated():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><link rel="alternate" href="https://blog.example/a/"/><updated>2024-03-09T10:00:00+01:00</updated>
        <published>2024-03-01T10:00:00+01:00</published></entry>
      <entry><link rel="alternate" href="https://blog.example/b/"/><updated>2024-03-02T10:00:00Z</updated></entry>
    </feed>"""
    pairs = dict(feed_dates(atom, BASE, FETCHED))
    assert pairs["https://blog.example/a/"].isoformat() == "2024-03-01T10:00:00+01:00"
    assert pairs["https://blog.example/b/"].isoformat() == "2024-03-02T10:00:00+00:00"


def test_json_feed_and_wordpress_rest():
    jf = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "url": "https://blog.example/a/", "date_published": "2024-03-01T10:00:00+03:00"}]}).encode()
    assert feed_dates(jf, BASE, FETCHED) == [("https://blog.example/a/", datetime(2024, 3, 1, 10, tzinfo=PLUS3))]
    rest = json.dumps([{"link": "https://blog.example/b/", "date": "2024-03-01T13:00:00",
                        "date_gmt": "2024-03-01T10:00:00"}]).encode()
    assert feed_dates(rest, BASE, FETCHED) == [("https://blog.example/b/", datetime(2024, 3, 1, 13, tzinfo=PLUS3))]


def test_garbage_gives_nothing():
    assert feed_dates(b"", BASE, FETCHED) == []
    assert feed_dates(b"<html><body>not a feed</body></html>", BASE, FETCHED) == []
    assert feed_dates(b"{not json", BASE, FETCHED) == []
    assert feed_dates(b'{"items": "x"}', BASE, FETCHED) == []


def test_feed_date_used_only_when_the_page_gives_none():
    from crawler.dates.hints import FeedDates
    from crawler.items import Extracted

    hints = FeedDates()
    hints.record([("https://blog.example/a/?utm_source=rss", datetime(2024, 3, 5, 21, 30, tzinfo=PLUS3))])
    undated = Extracted(url="https://blog.example/a/", is_article=False, text="x" * 300, reason="no-date")
    got = hints.apply(undated, "https://blog.example/a/")
    assert (got.published, got.date_source, got.is_article) == (datetime(2024, 3, 5, 21, 30, tzinfo=PLUS3), "feed", True)
    dated = Extracted(url="https://blog.example/a/", is_article=True, published=datetime(2024, 3, 4), date_source="text")
    assert hints.apply(dated, "https://blog.example/a/") is dated
    listing = Extracted(url="https://blog.example/a/", is_article=False, reason="listing")
    assert hints.apply(listing, "https://blog.example/a/") is listing
    other = Extracted(url="https://blog.example/b/", is_article=False, reason="no-date")
    assert hints.apply(other, "https://blog.example/b/") is other
