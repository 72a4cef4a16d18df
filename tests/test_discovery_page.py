"""Page links read in the worker (crawler.discovery.page) and the follow policy on them (policy.Discovery)."""

from __future__ import annotations

from types import SimpleNamespace

from lxml import html

from crawler.discovery import page_links
from crawler.discovery.policy import PRIORITY, Discovery

PAGE = b"""<html><head><base href="http://blog.example/2024/"><link rel="canonical" href="/2024/post/">
<link rel="shortlink" href="http://blog.example/?p=7"><link rel="alternate" type="application/rss+xml" href="/feed/">
</head><body>
<a href="next/">relative to the base</a> <a href="#top">fragment only</a> <a href="mailto:a@b.c">mail</a>
<a href="http://other.example/x/">off site</a> <a href="/files/report.pdf">a file</a>
<a href="/category/news/">a listing</a> <a href="/calendar/?m=2">same path, a query</a>
<a href="/calendar/?m=2#x">the same again</a></body></html>"""


def test_links_are_absolute_unique_and_described_for_the_policy():
    links = page_links(html.document_fromstring(PAGE), "http://blog.example/calendar/")
    urls = [link.url for link in links.links]
    assert urls[0] == "http://blog.example/2024/next/" and urls.count("http://blog.example/calendar/?m=2") == 1
    assert links.canonical == "http://blog.example/2024/post/" and links.shortlink == "http://blog.example/?p=7"
    assert links.feeds == ("http://blog.example/feed/",)
    by_url = {link.url: link for link in links.links}
    assert by_url["http://blog.example/calendar/?m=2"].query_hop
    assert by_url["http://blog.example/category/news/"].listing
    assert not by_url["http://blog.example/files/report.pdf"].fetchable


def test_policy_follows_site_links_within_the_depths():
    links = page_links(html.document_fromstring(PAGE), "http://blog.example/calendar/")
    discovery = Discovery(["http://blog.example/"], max_depth=3, max_query_depth=2)
    parent = SimpleNamespace(url="http://blog.example/calendar/", meta={"depth": 1, "query_depth": 2, "frontier_key": "k"})
    new, aliases = discovery.page(parent, links)
    got = {n.url: n for n in new}
    assert "http://other.example/x/" not in got and "http://blog.example/files/report.pdf" not in got
    assert "http://blog.example/calendar/?m=2" not in got  # a third query hop on one path
    assert got["http://blog.example/category/news/"].priority == PRIORITY["listing"]
    assert got["http://blog.example/2024/next/"].depth == 2 and got["http://blog.example/2024/post/"].priority == PRIORITY["post"]
    assert [a.url for a in aliases] == ["http://blog.example/?p=7"]
    assert discovery.page(SimpleNamespace(url=parent.url, meta={**parent.meta, "depth": 3}), links)[0] == []
