"""WordPress REST discovery (issue 17): the posts list parsed, paged and asked incrementally, and crawls of
small WordPress sites written here and served on 127.0.0.1:

- a REST site (posts reachable only through ``/wp-json/wp/v2/posts``, three pages): every post stored, the
  undated one with the API's date (``date_source`` ``api``); a second run after one post was edited asks
  ``modified_after`` and makes 5 requests plus the edited post's;
- a site whose REST answers 401: crawled through its sitemap, exit 0.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from crawl_helpers import blogcrawl, export_records
from crawler.discovery import wpapi
from localsite import LocalSite
from test_post_detection import body, wordpress

API = "https://wp.example/wp-json/"


# -- the list ---------------------------------------------------------------------------------------

def test_posts_url_pretty_and_plain_permalinks():
    url = wpapi.posts_url(API)
    assert url == ("https://wp.example/wp-json/wp/v2/posts?per_page=100"
                   "&_fields=id%2Clink%2Cdate%2Cdate_gmt%2Cmodified%2Cmodified_gmt")
    assert wpapi.is_posts_url(url)
    plain = wpapi.posts_url("https://wp.example/?rest_route=/")
    assert dict(parse_qsl(urlsplit(plain).query))["rest_route"] == "/wp/v2/posts" and wpapi.is_posts_url(plain)
    assert not wpapi.is_posts_url("https://wp.example/wp-json/wp/v2/pages")


def test_pages_and_modified_after():
    url = wpapi.posts_url(API)
    assert wpapi.more_pages(url, "3") == [wpapi.with_page(url, 2), wpapi.with_page(url, 3)]
    assert dict(parse_qsl(urlsplit(wpapi.with_page(url, 2)).query))["page"] == "2"
    assert wpapi.more_pages(wpapi.with_page(url, 2), "3") == []  # only the first page names the others
    assert len(wpapi.more_pages(url, "100000")) == wpapi.MAX_PAGES - 1
    assert wpapi.more_pages(url, "x") == [] and wpapi.more_pages(url, None) == []
    since = wpapi.with_modified_after(url, datetime(2024, 5, 1, 10, 30))
    assert dict(parse_qsl(urlsplit(since).query))["modified_after"] == "2024-05-01T10:30:00"


def test_parse_posts_and_what_is_not_a_list():
    body_ = json.dumps([{"id": 7, "link": "https://wp.example/2024/05/x/", "date": "2024-05-01T12:00:00",
                         "date_gmt": "2024-05-01T10:00:00", "modified": "2024-05-02T12:00:00",
                         "modified_gmt": "2024-05-02T10:00:00"}, {"id": 8}, "junk"]).encode()
    assert wpapi.parse_posts(body_, API) == [wpapi.ApiPost("https://wp.example/2024/05/x/", "2024-05-02T10:00:00Z")]
    assert wpapi.parse_posts(b'{"code":"rest_not_logged_in","data":{"status":401}}', API) is None
    assert wpapi.parse_posts(b"<html>disabled</html>", API) is None
    assert wpapi.parse_posts(b"[{", API) is None


# -- crawls -------------------------------------------------------------------------------------------

POSTS = [f"/2024/05/post-{n}/" for n in range(5)]
UNDATED = POSTS[4]  # the page states no date: the API's is used
SERVED = "2024-06-01T00:00:00+00:00"  # the Last-Modified of the API's answers (after every post's date)
PER_PAGE = 2  # the server pages by 2 whatever per_page says: 3 pages
ANNOUNCED = "<link rel='https://api.w.org/' href='{{BASE}}/wp-json/'>"
THEMED = "<link rel='stylesheet' href='/wp-content/themes/twentytwenty/style.css'>"  # WordPress, unannounced


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


class WordPress:
    """A WordPress site: home page announcing its REST API (``head``: or only showing WordPress, or
    neither) and linking one post; the other posts are reachable only through ``/wp-json/wp/v2/posts``
    (answered from ``self.modified``), or ``api_status``, or the sitemap when there is one."""

    def __init__(self, root: Path, api_status: int | str = 200, sitemap: bool = False, head: str = ANNOUNCED):
        self.root, self.api_status = root, api_status
        self.modified = {p: f"2024-05-0{n + 1}T10:00:00" for n, p in enumerate(POSTS)}
        _write(root, "/index.html", f"<html><head><title>WP</title>{head}</head>"
                                    f"<body class='home blog'><a href='{POSTS[0]}'>first</a></body></html>")
        for n, path in enumerate(POSTS):
            self.write_post(path, n, "")
        robots = "User-agent: *\nAllow: /\n"
        if sitemap:
            urls = "".join(f"<url><loc>{{{{BASE}}}}{p}</loc></url>" for p in POSTS)
            _write(root, "/sitemap.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
        _write(root, "/robots.txt", robots)
        self.site = LocalSite(root)
        self.site.on_request = self.answer_api

    def write_post(self, path: str, n: int, extra: str) -> None:
        head = "" if path == UNDATED else f"<meta property='article:published_time' content='2024-05-0{n + 1}T12:00:00+02:00'>"
        _write(self.root, path, wordpress(f"Post {n}", "single single-post", extra + body(90 + n), head))

    def answer_api(self, method: str, path: str) -> None:
        if not path.startswith("/wp-json/"):
            return
        if self.api_status == "html":  # a server that answers any path with a page (a static export's fallback)
            self.site.add_rule(path, body="<html><body><p>Not an API</p></body></html>", content_type="text/html")
            return
        if self.api_status != 200:
            self.site.add_rule(path, status=self.api_status,
                               body='{"code":"rest_forbidden","message":"no","data":{"status":%d}}' % self.api_status,
                               content_type="application/json")
            return
        query = dict(parse_qsl(urlsplit(path).query))
        since = query.get("modified_after")
        posts = [p for p in POSTS if since is None or self.modified[p] > since]
        page = int(query.get("page", "1"))
        chunk = posts[(page - 1) * PER_PAGE: page * PER_PAGE]
        base = self.site.base_url.rstrip("/")
        items = [{"id": n, "link": base + p, "date": f"2024-05-0{n + 1}T12:00:00", "date_gmt": f"2024-05-0{n + 1}T10:00:00",
                  "modified": self.modified[p], "modified_gmt": self.modified[p]}
                 for n, p in enumerate(POSTS) if p in chunk]
        pages = max(1, -(-len(posts) // PER_PAGE))
        self.site.add_rule(path, body=json.dumps(items), content_type="application/json", last_modified=SERVED,
                           headers={"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(pages)})


def date_source(db: Path, path: str) -> str | None:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, date_source FROM articles").fetchall()
    return next(source for url, source in rows if urlsplit(url).path == path)


def gets(site: LocalSite) -> list[str]:
    return [unquote(path) for method, path, _ in site.requests if method == "GET"]


def crawl(db_url: str, site: LocalSite):
    result = blogcrawl("crawl", site.base_url, "--db", db_url, "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def errors(stats: dict) -> dict:
    """The run's errors as its summary line counts them (a 404 is a page gone, not an error)."""
    from crawler.extensions.counters import GONE_KEYS

    return {k: v for k, v in stats.items() if k.startswith("errors/") and k not in GONE_KEYS}


@pytest.mark.slow
def test_rest_site_listed_through_the_api_then_asked_incrementally(tmp_path):
    wp = WordPress(tmp_path / "wp")
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with wp.site as site:
        crawl(db_url, site)
        api_calls = [p for p in gets(site) if p.startswith("/wp-json/")]
        assert len(api_calls) == 3, api_calls  # pages 1, 2, 3
        records = {urlsplit(r["url"]).path: r for r in export_records(db_url)}
        assert set(records) == set(POSTS)
        assert records[UNDATED]["published"][:10] == "2024-05-05"
        assert date_source(tmp_path / "store.sqlite3", UNDATED) == "api"

        edited = POSTS[2]
        wp.write_post(edited, 2, "<p>This paragraph was added after the first crawl.</p>")
        wp.modified[edited] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        site.reset_log()
        crawl(db_url, site)
        second = gets(site)
    others = [p for p in second if p != edited]
    assert edited in second and len(others) <= 5, second
    assert any("modified_after=" in p for p in others), others
    after = {urlsplit(r["url"]).path: r for r in export_records(db_url)}
    assert "added after the first crawl" in after[edited]["text"]


@pytest.mark.slow
def test_rest_disabled_falls_back_to_the_sitemap(tmp_path):
    wp = WordPress(tmp_path / "wp", api_status=401, sitemap=True)
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with wp.site as site:
        crawl(db_url, site)
        fetched = gets(site)
    assert any(p.startswith("/wp-json/wp/v2/posts") for p in fetched)
    assert {urlsplit(r["url"]).path for r in export_records(db_url)} == set(POSTS)


def test_a_list_longer_than_the_cap_is_cut_and_says_so():
    url = wpapi.posts_url(API)
    assert wpapi.cut_at(url, str(wpapi.MAX_PAGES)) is None
    assert wpapi.cut_at(url, str(wpapi.MAX_PAGES + 1)) == wpapi.MAX_PAGES + 1
    assert wpapi.cut_at(wpapi.with_page(url, 2), "100000") is None  # said once, on the first page
    assert wpapi.cut_at(url, "x") is None


@pytest.mark.slow
def test_rest_list_cut_at_the_cap_is_counted_and_the_sitemap_gives_the_rest(tmp_path, monkeypatch):
    from crawler.extensions.summary import summary_line

    monkeypatch.setattr(wpapi, "MAX_PAGES", 2)  # the server has 3 pages of 2 posts: page 3 is never asked
    wp = WordPress(tmp_path / "wp", sitemap=True)
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with wp.site as site:
        result = crawl(db_url, site)
        api_calls = [p for p in gets(site) if p.startswith("/wp-json/")]
        name = site.base_url.split("//")[1].rstrip("/")
    assert len(api_calls) == 2 and not any("page=3" in p for p in api_calls), api_calls
    assert {urlsplit(r["url"]).path for r in export_records(db_url)} == set(POSTS)  # page 3's post: from the sitemap
    assert result.stats[f"discovery/api_cut/{name}"] == 3
    note = "REST list cut at 2 of 3 pages; the rest from sitemaps and feeds"
    assert f"{name}: {note}" in summary_line(None, result.stats, "finished")
    (run,) = [json.loads(line) for line in blogcrawl("runs", "--db", db_url, "--json").stdout.splitlines()]
    assert run["api_cut_sites"] == {name: note}
    assert f"{name}: {note}" in blogcrawl("runs", "--db", db_url).stdout


# -- WordPress that does not announce its API -----------------------------------------------------------

def _tree(head: str, url: str = "https://wp.example/"):
    from lxml import html

    return html.fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>"), url


def test_looks_like_wordpress_by_generator_or_its_own_folders():
    assert wpapi.looks_like_wordpress(*_tree("<meta name='generator' content='WordPress 6.5.2'>"))
    assert wpapi.looks_like_wordpress(*_tree(THEMED))
    assert wpapi.looks_like_wordpress(*_tree("<script src='https://wp.example/wp-includes/js/jquery/jquery.min.js'></script>"))
    assert not wpapi.looks_like_wordpress(*_tree("<link rel='stylesheet' href='https://cdn.other.example/wp-content/x.css'>"))
    assert not wpapi.looks_like_wordpress(*_tree("<meta name='generator' content='Hugo 0.120'><link rel='stylesheet' href='/css/site.css'>"))
    assert wpapi.probe_root("https://wp.example/blog/") == "https://wp.example/blog/wp-json/"
    assert wpapi.handled_statuses(wpapi.posts_url(API)) == [304, 400, 401, 403, 404, 410]
    assert wpapi.handled_statuses("https://wp.example/feed/") == [304]


@pytest.mark.slow
def test_unannounced_wordpress_is_probed_once_and_listed(tmp_path):
    wp = WordPress(tmp_path / "wp", head=THEMED)
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with wp.site as site:
        result = crawl(db_url, site)
        api_calls = [p for p in gets(site) if p.startswith("/wp-json/")]
    assert len(api_calls) == 3 and api_calls[0].startswith("/wp-json/wp/v2/posts?per_page=100&_fields="), api_calls
    assert {urlsplit(r["url"]).path for r in export_records(db_url)} == set(POSTS)  # 4 of them only in the API
    assert not errors(result.stats)


@pytest.mark.slow
@pytest.mark.parametrize("status", [404, 403, "html"])
def test_wordpress_without_rest_costs_one_probe_and_no_error(tmp_path, status):
    wp = WordPress(tmp_path / "wp", api_status=status, sitemap=True, head=THEMED)
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with wp.site as site:
        result = crawl(db_url, site)
        api_calls = [p for p in gets(site) if p.startswith("/wp-json/")]
    assert len(api_calls) == 1, api_calls
    assert {urlsplit(r["url"]).path for r in export_records(db_url)} == set(POSTS)
    assert not errors(result.stats), errors(result.stats)


@pytest.mark.slow
def test_a_site_that_is_not_wordpress_is_never_probed(tmp_path):
    wp = WordPress(tmp_path / "plain", sitemap=True, head="<meta name='generator' content='Hugo 0.120'>")
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with wp.site as site:
        crawl(db_url, site)
        fetched = gets(site)
    assert not [p for p in fetched if "wp-json" in p or "rest_route" in p], fetched
    assert {urlsplit(r["url"]).path for r in export_records(db_url)} == set(POSTS)


@pytest.mark.slow
@pytest.mark.parametrize("status", [404, "html"])
def test_a_failed_probe_is_held_and_the_hold_doubles(tmp_path, status):
    """Run 1 probes and gets no posts list (held a day); run 2 (12 hours later) does not probe; run 3 (a day and a
    half after run 1) probes, is refused again (held two days); run 4 (a day after run 3) does not probe; run 5
    (two days after run 3) does. The run's clock is ``BLOGCRAWL_NOW``."""
    wp = WordPress(tmp_path / "wp", api_status=status, sitemap=True, head=THEMED)
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    probes = []
    with wp.site as site:
        for now in ("2026-01-01T00:00:00+00:00", "2026-01-01T12:00:00+00:00", "2026-01-02T12:00:00+00:00",
                    "2026-01-03T12:00:00+00:00", "2026-01-04T12:00:00+00:00"):
            site.reset_log()
            result = blogcrawl("crawl", site.base_url, "--db", db_url, "--log-level", "WARNING", "-s", f"BLOGCRAWL_NOW={now}")
            assert result.returncode == 0, result.stderr[-3000:]
            probes.append(len([p for p in gets(site) if p.startswith("/wp-json/")]))
            assert not errors(result.stats), errors(result.stats)
    assert probes == [1, 0, 1, 0, 1], probes
    assert {urlsplit(r["url"]).path for r in export_records(db_url)} == set(POSTS)


def test_a_first_refusal_holds_a_day_and_refusals_in_a_row_double_it_up_to_30_days():
    from datetime import timedelta

    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    value = wpapi.failed(when)
    assert wpapi.held(value, when + timedelta(hours=23))
    assert not wpapi.held(value, when + timedelta(days=1))
    holds = []
    for _ in range(7):
        holds.append(value["hold_days"])
        value = wpapi.failed(when, value)
    assert holds == [1, 2, 4, 8, 16, 30, 30], holds
    assert wpapi.held(value, when + timedelta(days=29)) and not wpapi.held(value, when + timedelta(days=30))
    assert not wpapi.held(None, when) and not wpapi.held({"failed_at": "soon"}, when)


def test_a_hold_written_before_holds_grew_still_lasts_30_days():
    from datetime import timedelta

    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    legacy = {"failed_at": when.isoformat()}
    assert wpapi.held(legacy, when + timedelta(days=29)) and not wpapi.held(legacy, when + timedelta(days=30))
    assert wpapi.failed(when, legacy)["hold_days"] == 30


class _Db:
    """A BatchWriter stand-in running each piece of work at once in one session."""

    def __init__(self, session):
        self.session = session

    def send(self, work, then=None):
        work(self.session)
        self.session.commit()


def test_a_posts_list_clears_the_hold_so_the_next_refusal_starts_from_a_day(tmp_path):
    from datetime import timedelta

    from sqlalchemy.orm import Session

    from crawler.frontier import reststate
    from pipelines.storage.engine import make_engine

    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with Session(make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")) as session:
        db = _Db(session)
        reststate.remember_failure(db, "wp.example", when)
        reststate.remember_failure(db, "wp.example", when + timedelta(days=1))
        assert reststate.held_sites(session, ["wp.example"], when + timedelta(days=2, hours=23)) == {"wp.example"}
        reststate.remember_answer(db, "wp.example")
        assert reststate.held_sites(session, ["wp.example"], when + timedelta(days=2)) == set()
        reststate.remember_failure(db, "wp.example", when + timedelta(days=3))
        assert reststate.held_sites(session, ["wp.example"], when + timedelta(days=3, hours=23)) == {"wp.example"}
        assert reststate.held_sites(session, ["wp.example"], when + timedelta(days=4)) == set()
