"""Tests of tests/localsite.py (the fixture HTTP server) and of the fixture sites' consistency."""
from __future__ import annotations

import base64
import gzip
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import REPO, load_site_truth, own_site, site_root
from localsite import LocalSite, canonical_path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url, method="GET", headers=None, timeout=10):
    """(status, headers, body bytes) without following redirects or raising on errors."""
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with _OPENER.open(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        body = e.read() if e.fp else b""
        return e.code, e.headers, body


def text_of(url, **kw):
    status, headers, body = fetch(url, **kw)
    return status, headers, body.decode("utf-8")


def a_hrefs(html):
    return [unescape(h) for h in re.findall(r'<a\s[^>]*href="([^"]+)"', html)]


# ------------------------------------------------------------ basics
def test_base_url_and_port(site_ar, site_en):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", site_ar.base_url)
    assert site_ar.port != site_en.port
    assert site_ar.url("/robots.txt") == site_ar.base_url + "robots.txt"


def test_robots_txt_base_substituted(site_ar):
    status, headers, text = text_of(site_ar.url("/robots.txt"))
    assert status == 200
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /private/" in text
    assert "Sitemap: %ssitemap.xml" % site_ar.base_url in text
    assert "{{BASE}}" not in text


def test_home_page(site_ar):
    status, headers, html = text_of(site_ar.base_url)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "{{BASE}}" not in html
    assert 'lang="ar" dir="rtl"' in html
    assert site_ar.url("/page/2/") in html


@pytest.mark.parametrize("name", ["ar", "en"])
def test_every_post_served_with_canonical(name, request):
    site = request.getfixturevalue("site_" + name)
    truth = load_site_truth(name)
    for post in truth["posts"]:
        status, _, html = text_of(site.url(post["url_path"]))
        assert status == 200, post["url_path"]
        assert '<link rel="canonical" href="%s">' % site.url(post["url_path"]) in html
        assert '<meta property="og:type" content="article">' in html
        h1 = re.search(r'<h1 class="entry-title">(.*?)</h1>', html).group(1)
        assert unescape(h1) == post["title"]
        assert ("article:published_time" in html) == post["has_meta_date"]
        assert post["date_text"] in html


def test_percent_encoding_variants(site_ar):
    post = load_site_truth("ar")["posts"][0]
    path = post["url_path"]
    assert path == path.lower() and re.search(r"%d[89]", path)
    _, _, expected = fetch(site_ar.url(path))
    upper = re.sub(r"%[0-9a-f]{2}", lambda m: m.group(0).upper(), path)
    assert fetch(site_ar.url(upper))[2] == expected
    assert canonical_path(upper) == path
    assert canonical_path(path) == path  # idempotent
    assert canonical_path("/2019/09/إدلب/") == "/2019/09/%d8%a5%d8%af%d9%84%d8%a8/"


# ------------------------------------------------------- duplicates
def test_slashless_twin_and_query_strings(site_en):
    post = load_site_truth("en")["posts"][0]
    path = post["url_path"]
    status, _, main = fetch(site_en.url(path))
    assert status == 200
    for variant in (path.rstrip("/"), path + "?utm_source=rss&utm_medium=rss",
                    path + "?replytocom=%d" % post["comment_ids"][0], path + "?anything=else"):
        status, _, body = fetch(site_en.url(variant))
        assert status == 200, variant
        assert body == main, variant


def test_print_view(site_ar):
    post = load_site_truth("ar")["posts"][1]
    status, _, html = text_of(site_ar.url(post["url_path"] + "?print=1"))
    assert status == 200
    assert '<meta name="robots" content="noindex">' in html
    assert '<link rel="canonical" href="%s">' % site_ar.url(post["url_path"]) in html
    assert post["title"] in html
    assert "sidebar" not in html and "widget" not in html
    # the slash-less twin honours ?print=1 too
    assert text_of(site_ar.url(post["url_path"].rstrip("/") + "?print=1"))[2] == html


def test_amp_versions(site_ar, site_en):
    for site, name in ((site_ar, "ar"), (site_en, "en")):
        amp_posts = [p for p in load_site_truth(name)["posts"] if p["amp_path"]]
        assert amp_posts
        for post in amp_posts:
            status, _, html = text_of(site.url(post["amp_path"]))
            assert status == 200
            assert "<html amp" in html
            assert '<link rel="canonical" href="%s">' % site.url(post["url_path"]) in html
            main = text_of(site.url(post["url_path"]))[2]
            assert '<link rel="amphtml" href="%s">' % site.url(post["amp_path"]) in main
    assert sum(bool(p["amp_path"]) for p in load_site_truth("ar")["posts"]) == 2


def test_shortlink_redirects(site_ar):
    for post in load_site_truth("ar")["posts"]:
        status, headers, _ = fetch(site_ar.url("/?p=%d" % post["post_id"]))
        assert status == 301
        assert headers["Location"] == site_ar.url(post["url_path"])
    # an unknown ?p= falls back to the home page, as a query on "/" does
    assert fetch(site_ar.url("/?p=1"))[0] == 200


def test_duplicate_paths_all_resolve(site_ar, site_en):
    for site, name in ((site_ar, "ar"), (site_en, "en")):
        for post in load_site_truth(name)["posts"]:
            assert post["duplicate_paths"]
            for dup in post["duplicate_paths"]:
                status, headers, _ = fetch(site.url(dup))
                assert status in (200, 301), dup
                if status == 301:
                    assert headers["Location"] == site.url(post["url_path"])


# ---------------------------------------------------- feed/sitemaps
def test_feed(site_ar):
    status, headers, xml = text_of(site_ar.url("/feed/"))
    assert status == 200
    assert headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"')
    links = re.findall(r"<link>(.*?)</link>", xml)[1:]
    truth = load_site_truth("ar")
    in_feed = [p for p in truth["posts"] if p["in_feed"]]
    assert len(links) == len(in_feed)
    for link, post in zip(links, in_feed):
        assert unescape(link) == site_ar.url(post["url_path"]) + "?utm_source=rss&utm_medium=rss"
    # slash-less /feed works too
    assert fetch(site_ar.url("/feed"))[2].decode() == xml


@pytest.mark.parametrize("name", ["ar", "en"])
def test_sitemap_index_misses_one_post(name, request):
    site = request.getfixturevalue("site_" + name)
    truth = load_site_truth(name)
    status, headers, index = text_of(site.url("/sitemap.xml"))
    assert status == 200 and headers["Content-Type"] == "application/xml; charset=utf-8"
    assert "<sitemapindex" in index
    children = re.findall(r"<loc>(.*?)</loc>", index)
    assert children == [site.url("/post-sitemap.xml"), site.url("/page-sitemap.xml")]
    posts_xml = text_of(children[0])[2]
    locs = re.findall(r"<loc>(.*?)</loc>", posts_xml)
    assert posts_xml.count("<lastmod>") == len(locs)
    expected = [site.url(p["url_path"]) for p in truth["posts"] if p["in_sitemap"]]
    assert sorted(locs) == sorted(expected)
    hidden = [p for p in truth["posts"] if not p["in_sitemap"]]
    assert len(hidden) == 1 and truth["not_in_sitemap"] == [hidden[0]["url_path"]]
    # ... but it is linked from a listing page, and from no post page and not from the feed
    page2 = text_of(site.url("/page/2/"))[2]
    assert site.url(hidden[0]["url_path"]) in page2
    assert hidden[0]["url_path"] not in text_of(site.url("/feed/"))[2]
    for p in truth["posts"]:
        if p is not hidden[0]:
            assert hidden[0]["url_path"] not in text_of(site.url(p["url_path"]))[2]


# ----------------------------------------------------- 404 & private
def test_404_and_hidden_files(site_ar):
    for path in ("/no/such/page/", "/_truth.json", "/_routes.json", "/2019/09/_x/", "/robots.txt/",
                 "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"):
        status, headers, body = fetch(site_ar.url(path))
        assert status == 404, path
    status, headers, html = text_of(site_ar.url("/no/such/page/"))
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "عذراً، الصفحة غير موجودة" in html and "{{BASE}}" not in html


def test_private_page_exists_and_is_linked(site_ar):
    truth = load_site_truth("ar")
    assert truth["forbidden_paths"] == ["/private/secret/"]
    assert fetch(site_ar.url("/private/secret/"))[0] == 200
    assert site_ar.url("/private/secret/") in text_of(site_ar.base_url)[2]


def test_non_article_pages(site_ar, site_en):
    for site, name in ((site_ar, "ar"), (site_en, "en")):
        truth = load_site_truth(name)
        for path in truth["non_article_paths"]:
            status, _, body = text_of(site.url(path))
            assert status == 200, path
            if body.startswith("<!DOCTYPE html>"):
                assert 'content="article"' not in body, path
                assert "article:published_time" not in body, path


# ------------------------------------------------------- conditional
def test_etag_last_modified_and_304(site_en):
    url = site_en.url("/about/")
    status, headers, body = fetch(url)
    assert status == 200
    etag, lm = headers["ETag"], headers["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert lm == "Sun, 10 Mar 2024 12:00:00 GMT"  # fixed in _routes.json: deterministic
    assert fetch(url)[1]["ETag"] == etag
    assert fetch(url, headers={"If-None-Match": etag})[0] == 304
    assert fetch(url, headers={"If-None-Match": "W/" + etag})[0] == 304
    assert fetch(url, headers={"If-None-Match": '"other"'})[0] == 200
    assert fetch(url, headers={"If-Modified-Since": lm})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": "Mon, 04 Mar 2024 00:00:00 GMT"})[0] == 200
    # If-None-Match wins over If-Modified-Since
    assert fetch(url, headers={"If-None-Match": '"other"', "If-Modified-Since": lm})[0] == 200


def test_head_and_method_not_allowed(site_en):
    status, headers, body = fetch(site_en.base_url, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert fetch(site_en.base_url, method="POST")[0] == 405


# ----------------------------------------------------------- the log
@pytest.fixture
def log_site():
    """A server of the English blog for one test: the tests below read its request log."""
    with own_site("en") as site:
        yield site


def test_request_log(log_site):
    site_en = log_site
    fetch(site_en.url("/robots.txt"))
    fetch(site_en.url("/nope/"))
    fetch(site_en.url("/about/?x=1"), method="HEAD")
    post = load_site_truth("en")["posts"][0]
    fetch(site_en.url("/?p=%d" % post["post_id"]))
    assert site_en.requests == [("GET", "/robots.txt", 200), ("GET", "/nope/", 404),
                                ("HEAD", "/about/?x=1", 200), ("GET", "/?p=%d" % post["post_id"], 301)]
    site_en.reset_log()
    assert site_en.requests == []


def test_request_log_thread_safe(log_site):
    import concurrent.futures
    site_en = log_site
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: fetch(site_en.url("/about/?n=%d" % i)), range(40)))
    assert len(site_en.requests) == 40
    assert {r[1] for r in site_en.requests} == {"/about/?n=%d" % i for i in range(40)}


# ------------------------------------------------------ routes/faults
@pytest.fixture
def fault_site(tmp_path):
    root = tmp_path / "site"
    (root / "page").mkdir(parents=True)
    (root / "page" / "index.html").write_text("<p>page {{BASE}}/x</p>", encoding="utf-8")
    (root / "ar").mkdir()
    (root / "ar" / "index.html").write_text("<p>مرحبا بالعالم</p>", encoding="utf-8")
    (root / "index.html").write_text("home", encoding="utf-8")
    (root / "404.html").write_text("custom 404", encoding="utf-8")
    raw = b"\xff\xfe not utf-8 \x00"
    routes = {
        "redirects": {"/old/": "/page/", "/temp/": {"to": "/page/", "status": 302},
                      "/a/": "/b/", "/b/": "/c/", "/c/": "/page/",
                      "/loop1/": "/loop2/", "/loop2/": "/loop1/",
                      "/abs/": "{{BASE}}/page/", "/away/": "http://elsewhere.example/"},
        "status": {"/gone/": 410, "/busy/": {"status": 503, "retry_after": 120}, "/page/?deleted=1": 404},
        "headers": {"*": {"X-Powered-By": "PHP/7.4"}, "/page/": {"Cache-Control": "no-cache"}},
        "rules": {
            "/flaky/": {"fail_first": 2, "fail_status": 503, "retry_after": 1, "file": "page/index.html"},
            "/slow/*": {"delay": 0.3, "body": "slow"},
            "/ar/": {"encoding": "windows-1256"},
            "/nocs/": {"content_type": "text/html", "body": "<p>no charset</p>"},
            "/raw/": {"body_b64": base64.b64encode(raw).decode(), "content_type": "text/html; charset=utf-8"},
            "/gz/": {"gzip": True, "file": "page/index.html"},
        },
    }
    (root / "_routes.json").write_text(json.dumps(routes), encoding="utf-8")
    with LocalSite(root) as site:
        yield site


def test_route_redirects(fault_site):
    s = fault_site
    assert fetch(s.url("/old/"))[0:2][0] == 301
    assert fetch(s.url("/old/"))[1]["Location"] == s.url("/page/")
    assert fetch(s.url("/temp/"))[0] == 302
    assert fetch(s.url("/abs/"))[1]["Location"] == s.url("/page/")
    assert fetch(s.url("/away/"))[1]["Location"] == "http://elsewhere.example/"
    # chains are followed by urllib's default opener; loops make it give up
    with urllib.request.urlopen(s.url("/a/"), timeout=10) as r:
        assert r.url == s.url("/page/") and r.read() == ("<p>page %s/x</p>" % s.base_url.rstrip("/")).encode()
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(s.url("/loop1/"), timeout=10)
    assert "redirect" in str(err.value).lower()


def test_route_status_and_headers(fault_site):
    s = fault_site
    status, headers, body = fetch(s.url("/gone/"))
    assert status == 410 and headers["X-Powered-By"] == "PHP/7.4"
    status, headers, _ = fetch(s.url("/busy/"))
    assert status == 503 and headers["Retry-After"] == "120"
    status, headers, _ = fetch(s.url("/page/"))
    assert status == 200 and headers["Cache-Control"] == "no-cache" and headers["X-Powered-By"] == "PHP/7.4"
    assert fetch(s.url("/page/?deleted=1"))[0] == 404
    status, _, body = fetch(s.url("/missing/"))
    assert status == 404 and body == b"custom 404"


def test_route_transient_fault(fault_site):
    s = fault_site
    s.reset_log()
    first, second, third = (fetch(s.url("/flaky/")) for _ in range(3))
    assert first[0] == 503 and first[1]["Retry-After"] == "1"
    assert second[0] == 503
    assert third[0] == 200 and third[2].startswith(b"<p>page")
    assert [r[2] for r in s.requests] == [503, 503, 200]
    s.reset_faults()
    assert fetch(s.url("/flaky/"))[0] == 503


def test_route_delay_is_per_request(fault_site):
    s = fault_site
    t0 = time.monotonic()
    status, _, body = fetch(s.url("/slow/deep/path"))
    assert status == 200 and body == b"slow"
    assert time.monotonic() - t0 >= 0.3
    assert "delay" not in s._find_rule(canonical_path("/page/"), "")[1]  # the prefix rule stops at its prefix


def test_hang_first_never_answers_then_serves(fault_site):
    """The first N requests get no answer at all: a client timeout fires whatever the machine's load."""
    s = fault_site
    s.add_rule("/hang/", hang_first=1, body="answered")
    s.reset_log()
    with pytest.raises(OSError):  # socket timeout (URLError wraps it on connect, TimeoutError on read)
        fetch(s.url("/hang/"), timeout=0.5)
    assert s.requests == [("GET", "/hang/", 0)]  # logged on arrival, no status sent
    assert fetch(s.url("/hang/")) [0:3:2] == (200, b"answered")
    s.remove_rule("/hang/")


def test_route_encodings_and_raw_bodies(fault_site):
    s = fault_site
    status, headers, body = fetch(s.url("/ar/"))
    assert headers["Content-Type"] == "text/html; charset=windows-1256"
    assert body.decode("windows-1256") == "<p>مرحبا بالعالم</p>"
    assert fetch(s.url("/nocs/"))[1]["Content-Type"] == "text/html"
    status, headers, body = fetch(s.url("/raw/"))
    assert body == b"\xff\xfe not utf-8 \x00"
    status, headers, body = fetch(s.url("/gz/"), headers={"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body).startswith(b"<p>page")
    assert fetch(s.url("/gz/"), headers={"If-None-Match": headers["ETag"]})[0] == 304
    assert "Content-Encoding" not in fetch(s.url("/gz/"))[1]


def test_add_rule_at_run_time(fault_site):
    s = fault_site
    s.add_rule("/page/", status=500)
    assert fetch(s.url("/page/"))[0] == 500
    s.remove_rule("/page/")
    assert fetch(s.url("/page/"))[0] == 200
    s.add_rule("/new-redirect/", redirect="/page/", redirect_status=308)
    status, headers, _ = fetch(s.url("/new-redirect/"))
    assert status == 308 and headers["Location"] == s.url("/page/")


def test_start_stop_idempotent(tmp_path):
    (tmp_path / "index.html").write_text("x")
    site = LocalSite(tmp_path)
    site.start()
    site.start()
    url = site.base_url
    assert fetch(url)[0] == 200
    site.stop()
    site.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)
    with pytest.raises(FileNotFoundError):
        LocalSite(tmp_path / "nope")


# ------------------------------------------------------------- CLI
def test_cli_serves_until_stopped():
    proc = subprocess.Popen([sys.executable, str(REPO / "tests" / "localsite.py"), str(site_root("en")), str(site_root("ar"))],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline().split() for _ in range(2)]
        assert [line[1].endswith(n) for line, n in zip(lines, ("en", "ar"))] == [True, True]
        status, _, html = text_of(lines[0][0])
        assert status == 200 and "Field Notes" in html
        assert "مدونة" in text_of(lines[1][0])[2]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -------------------------------------------------- fixture integrity
@pytest.mark.parametrize("name", ["ar", "en"])
def test_all_in_site_links_resolve(name, request):
    """Walk every <a href> inside the site (except /private/): nothing is broken."""
    site = request.getfixturevalue("site_" + name)
    base = site.base_url
    seen, queue, broken = set(), [base], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, headers, body = fetch(url)
        if status not in (200, 301):
            broken.append((url, status))
            continue
        if status == 200 and headers["Content-Type"].startswith("text/html"):
            html = body.decode("utf-8")
            assert "{{BASE}}" not in html
            for href in a_hrefs(html):
                absolute = urljoin(url, href).split("#")[0]
                if absolute.startswith(base) and "/private/" not in absolute:
                    queue.append(absolute)
    assert not broken
    truth = load_site_truth(name)
    for post in truth["posts"]:
        assert base.rstrip("/") + post["url_path"] in seen


def test_truth_shape():
    ar, en = load_site_truth("ar"), load_site_truth("en")
    assert len(ar["posts"]) == 5 and len(en["posts"]) == 3
    for truth, lang in ((ar, "ar"), (en, "en")):
        for p in truth["posts"]:
            assert p["language"] == lang
            assert re.fullmatch(r"/\d{4}/\d{2}/[a-z0-9%-]+/", p["url_path"])
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", p["published"])
            assert 3 <= len(p["text"].splitlines()) <= 14
            assert p["title"] not in p["text"]
            assert "إقرأ أيضاً" not in p["text"] and "Read also" not in p["text"]
    seed = next(p for p in ar["posts"] if p["post_id"] == 1203)
    lines = seed["text"].splitlines()
    assert "جهود دبلوماسية مستمرة" in lines
    assert lines[0].startswith("في ظل إصرار كل من نظام الأسد")
    assert lines[-1].endswith("باقتراح من الكويت وألمانيا وبلجيكا.")
    all_posts = ar["posts"] + en["posts"]
    assert 3 <= sum(p["has_meta_date"] for p in all_posts) <= 5
    assert any("أيلول" in p["date_text"] for p in ar["posts"])
    assert any(re.search("[٠-٩]", p["date_text"]) for p in ar["posts"])


def test_fixture_size_budget():
    total = sum(f.stat().st_size for f in (REPO / "fixtures" / "site").rglob("*") if f.is_file())
    assert total < 450_000
