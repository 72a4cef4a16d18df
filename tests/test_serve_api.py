"""``blogcrawl serve`` without a browser: the JSON API and the HTML pages through Starlette's TestClient,
over a store written through the data layer; read-only opening and the command's exit codes."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient

from crawler.commands import CommandError
from crawler.commands.serve import make_app
from crawler.items import ArticleItem
from crawler.serve.diff import word_diff
from crawler.serve.store import read_only_engine
from pipelines.normalize import content_hash
from pipelines.storage import articles, runs
from pipelines.storage.models import Article
from pipelines.storage.store import Store
from crawl_helpers import blogcrawl_process
from pg_helpers import pg_database  # noqa: F401  (fixture)

T0 = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
AR, EN = "ar.example:8001", "en.example"
HOSTILE = "<script>alert(1)</script>"
PROSE = ("The river had risen overnight, and by morning the lower road was under a foot of brown water that "
         "carried branches, a plastic chair and somebody's garden gate past the bakery.")
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flood Day</title></head><body>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li></ul></nav>
<article><h1>Flood Day</h1><p>{PROSE}</p><p>Read also: <a href="/other/">The sandbag wall</a></p><p>{PROSE} Again.</p>
<p>{PROSE} Once more.</p></article></body></html>"""


def _item(url: str, title: str, body: str, *, published: datetime | None, language: str, fetched_at=T0, aliases=()):
    site = url.split("/")[2]
    return ArticleItem(url=url, fetched_url=url, site=site, title=title, text=body, fetched_at=fetched_at,
                       author="Reem", published=published, date_source="jsonld" if published else None,
                       language=language, content_hash=content_hash(body), alias_urls=list(aliases))


def _stats(site: str, pages: int, empty: int) -> dict:
    return {f"site/{site}/pages": pages, f"site/{site}/empty_body": empty, f"site/{site}/articles": pages - empty,
            "response_received_count": pages, "storage/new": pages - empty}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-api")
    url = f"sqlite:///{folder / 'store.sqlite3'}"
    store = Store(url)
    with store.begin() as session:
        articles.upsert(session, _item(f"http://{AR}/2019/09/idlib/", "نتائج اجتماع بخصوص إدلب", "اجتمع دبلوماسيون أمريكيون في إدلب.\nفقرة ثانية.",
                                       published=datetime(2019, 9, 21, 10, tzinfo=timezone.utc), language="ar"))
        articles.upsert(session, _item(f"http://{EN}/2024/03/flood/", "Flood Day", f"{PROSE}\n{PROSE} Again.",
                                       published=datetime(2024, 3, 3, tzinfo=timezone.utc), language="en",
                                       aliases=[f"http://{EN}/?p=12", f"http://{EN}/2024/03/flood/amp/"]))
        articles.upsert(session, _item(f"http://{EN}/2024/03/hostile/", HOSTILE, "A post with a hostile title.",
                                       published=datetime(2024, 3, 1, tzinfo=timezone.utc), language="en"))
        articles.upsert(session, _item(f"http://{EN}/2024/03/flood-copy/", "Flood Day (copy)", f"{PROSE}\n{PROSE} Again!",
                                       published=datetime(2024, 3, 4, tzinfo=timezone.utc), language="en"))
        articles.upsert(session, _item(f"http://{EN}/2024/01/undated/", "Undated", "No date on this one.",
                                       published=None, language="en"))
    with store.begin() as session:  # a second version of the flood post, and the copy linked to it
        articles.upsert(session, _item(f"http://{EN}/2024/03/flood/", "Flood Day", f"{PROSE}\n{PROSE} Again, and the bakery stayed open.",
                                       published=datetime(2024, 3, 3, tzinfo=timezone.utc), language="en",
                                       fetched_at=T0 + timedelta(days=1)))
        flood = articles.by_url(session, f"http://{EN}/2024/03/flood/")
        articles.by_url(session, f"http://{EN}/2024/03/flood-copy/").copy_of_id = flood.id
    with store.begin() as session:  # runs: the English site's health drops at the second one
        for day, (ar_empty, en_empty) in enumerate([(0, 0), (0, 6)]):
            run = runs.begin(session, [f"http://{AR}/", f"http://{EN}/"], T0 + timedelta(days=day))
            runs.end(session, run.id, runs.FINISHED, T0 + timedelta(days=day, hours=1),
                     {**_stats(AR, 10, ar_empty), **_stats(EN, 10, en_empty), "errors/timeout": 2})
    store.close()
    return url


@pytest.fixture(scope="module")
def raw_pages(tmp_path_factory):
    """A fixtures folder holding the flood post's raw page."""
    folder = tmp_path_factory.mktemp("serve-fixtures")
    case = folder / "en-example" / "flood"
    case.mkdir(parents=True)
    (case / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (case / "meta.json").write_text(json.dumps({"url": f"http://{EN}/2024/03/flood/", "fetched_at": T0.isoformat()}))
    return folder


@pytest.fixture(scope="module")
def client(store_url, raw_pages):
    return TestClient(make_app(store_url, str(raw_pages)))


def _id(client, title: str) -> int:
    found = [a for a in client.get("/api/articles").json()["articles"] if a["title"] == title]
    assert len(found) == 1
    return found[0]["id"]


def test_api_sites_carry_site_counts_last_run_and_the_health_drop(client):
    sites = {s["site"]: s for s in client.get("/api/sites").json()}
    assert set(sites) == {AR, EN}
    assert sites[EN]["articles"] == 3  # the copy is not an article of its own
    assert sites[AR]["last_run"]["id"] == 2
    assert [p["unhealthy_share"] for p in sites[EN]["health"]] == [0.0, 0.6]
    assert sites[EN]["health_dropped"] and not sites[AR]["health_dropped"]


def test_sites_page_draws_the_chart_and_marks_the_drop(client):
    page = client.get("/").text
    row = page[page.index(f'data-site="{EN}"'):]
    row = row[:row.index("</tr>")]
    assert "<svg" in row and 'class="mark"' in row and "health dropped" in row
    other = page[page.index(f'data-site="{AR}"'):]
    assert 'class="mark"' not in other[:other.index("</tr>")]


def test_api_articles_newest_first_with_id_and_site(client):
    listing = client.get("/api/articles").json()
    titles = [a["title"] for a in listing["articles"]]
    assert titles == ["Flood Day", HOSTILE, "نتائج اجتماع بخصوص إدلب", "Undated"]
    assert listing["total"] == 4 and listing["page"] == 1
    assert all(isinstance(a["id"], int) and a["site"] in (AR, EN) for a in listing["articles"])


@pytest.mark.parametrize(("query", "titles"), [
    ("site=ar.example:8001", ["نتائج اجتماع بخصوص إدلب"]),
    ("since=2024-03-02", ["Flood Day"]),
    ("until=2024-03-01", [HOSTILE, "نتائج اجتماع بخصوص إدلب"]),
    ("language=ar", ["نتائج اجتماع بخصوص إدلب"]),
    ("q=إدلب", ["نتائج اجتماع بخصوص إدلب"]),
    ("q=BAKERY", ["Flood Day"]),
    ("q=100%25", []),
    ("page=2", []),
])
def test_api_article_filters(client, query, titles):
    assert [a["title"] for a in client.get(f"/api/articles?{query}").json()["articles"]] == titles


@pytest.mark.parametrize("query", ["page=0", "page=x", "since=yesterday"])
def test_bad_parameters_are_a_400_with_a_message(client, query):
    answer = client.get(f"/api/articles?{query}")
    assert answer.status_code == 400 and answer.json()["error"]


def test_api_article_has_urls_copies_revisions_and_removed_blocks(client):
    detail = client.get(f"/api/articles/{_id(client, 'Flood Day')}").json()
    assert detail["site"] == EN and detail["date_source"] == "jsonld"
    assert set(detail["urls"]) == {f"http://{EN}/?p=12", f"http://{EN}/2024/03/flood/amp/"}
    assert [c["url"] for c in detail["copies"]] == [f"http://{EN}/2024/03/flood-copy/"]
    assert len(detail["revisions"]) == 2 and detail["revisions"][1]["words_added"] == 6
    assert detail["revisions"][1]["words_removed"] == 1
    removed = {b["text"]: b["reason"] for b in detail["removed"] if not b["kept"]}
    assert removed["Read also: The sandbag wall"] == "read-also line"
    assert removed["Home"] == "menu"


def test_an_article_without_its_raw_page_has_no_removed_view(client):
    detail = client.get(f"/api/articles/{_id(client, 'Undated')}").json()
    assert detail["removed"] is None
    assert "--archive" in client.get(f"/articles/{detail['id']}").text


def test_article_page_shows_the_diff_copies_and_dates(client):
    page = client.get(f"/articles/{_id(client, 'Flood Day')}").text
    assert "<del>Again.</del><ins>Again, and the bakery stayed open.</ins>" in page
    assert "flood-copy" in page and "(from jsonld)" in page
    assert '<p dir="auto">' in page


def test_hostile_title_is_escaped_everywhere(client):
    article_id = _id(client, HOSTILE)
    for path in ("/articles", f"/articles/{article_id}"):
        page = client.get(path).text
        assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert client.get(f"/api/articles/{article_id}").json()["title"] == HOSTILE
    assert "default-src 'none'" in client.get("/").headers["content-security-policy"]  # no script could run anyway


def test_runs_page_and_api(client):
    records = client.get("/api/runs").json()
    assert [r["id"] for r in records] == [2, 1] and records[0]["errors"] == {"timeout": 2}
    assert records[0]["sites"][EN]["unhealthy_share"] == 0.6
    assert "timeout 2" in client.get("/runs").text


def test_unknown_article_is_404(client):
    assert client.get("/api/articles/9999").status_code == 404
    assert client.get("/articles/9999").status_code == 404


def test_nothing_writes(client, store_url):
    path = store_url.removeprefix("sqlite:///")
    before = hashlib.sha256(open(path, "rb").read()).hexdigest()
    for route in ("/", "/articles", "/runs", "/api/sites", "/api/articles", "/api/runs"):
        assert client.get(route).status_code == 200
        assert client.post(route).status_code == 405
    assert hashlib.sha256(open(path, "rb").read()).hexdigest() == before


def test_the_store_is_opened_read_only(store_url):
    engine = read_only_engine(store_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM articles")).scalar() == 5
            with pytest.raises(OperationalError):
                connection.execute(text("DELETE FROM articles"))
    finally:
        engine.dispose()


@pytest.mark.slow  # the real executable
def test_a_missing_store_is_exit_69_in_one_line(tmp_path):
    missing = tmp_path / "none.sqlite3"
    with pytest.raises(CommandError) as raised:
        make_app(f"sqlite:///{missing}")
    assert raised.value.code == 69
    result = blogcrawl_process("serve", "--db", f"sqlite:///{missing}", "--port", "0", timeout=60)
    assert result.returncode == 69
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not missing.exists()


@pytest.mark.slow  # the real executable
def test_a_bad_archive_folder_is_exit_64(store_url, tmp_path):
    result = blogcrawl_process("serve", "--db", store_url, "--archive", str(tmp_path / "nowhere"), timeout=60)
    assert result.returncode == 64 and "not a directory" in result.stderr


def test_word_diff_marks_added_and_removed_words():
    runs_ = word_diff("the cat sat\non the mat", "the dog sat\non the mat today")
    assert ("removed", "cat") in runs_ and ("added", "dog") in runs_ and ("added", " today") in runs_
    assert "".join(t for op, t in runs_ if op != "removed") == "the dog sat\non the mat today"
    assert "".join(t for op, t in runs_ if op != "added") == "the cat sat\non the mat"


def test_models_stay_as_the_view_reads_them(store_url):
    engine = read_only_engine(store_url)
    try:
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            assert session.get(Article, 1).site == AR
    finally:
        engine.dispose()


def test_a_drop_stays_marked_until_health_comes_back():
    from crawler.serve.health import Point, dropped, series
    from types import SimpleNamespace

    def run(number, empty):
        return SimpleNamespace(id=number, started_at=T0 + timedelta(days=number), stats=_stats(EN, 10, empty))

    points = series([run(1, 0), run(2, 1), run(3, 6), run(4, 7)], EN)
    assert [p.dropped for p in points] == [False, False, True, False]
    assert dropped(points)
    assert not dropped(series([run(1, 0), run(2, 6), run(3, 1)], EN))
    assert not dropped(series([run(1, 4)], EN))  # one run: nothing to compare with
    assert not dropped(series([run(1, 0), run(2, 6)], AR))  # no pages of that site
    assert isinstance(points[0], Point)


def test_postgresql_store_is_read_only_too(pg_database):  # noqa: F811
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database}"
    store = Store(url)
    with store.begin() as session:
        articles.upsert(session, _item(f"http://{AR}/2019/09/idlib/", "نتائج", "نص المقال.", published=None, language="ar"))
    store.close()
    assert [a["title"] for a in TestClient(make_app(url)).get("/api/articles").json()["articles"]] == ["نتائج"]
    engine = read_only_engine(url)
    try:
        with engine.connect() as connection:
            with pytest.raises(Exception, match="read-only"):
                connection.execute(text("DELETE FROM articles"))
    finally:
        engine.dispose()


def test_raw_pages_from_a_warc_archive_latest_html_answer_wins(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from crawler.serve.rawpages import RawPages

    url = "http://en.example/post/"
    with open(tmp_path / "blogcrawl-20240501120000-00001.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for status, kind, body in [("200 OK", "text/html; charset=utf-8", b"<p>first</p>"),
                                   ("200 OK", "text/html; charset=utf-8", b"<p>second</p>"),
                                   ("503 Service Unavailable", "text/html", b"busy"),
                                   ("200 OK", "application/json", b"{}")]:
            headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers))
    pages = RawPages(tmp_path)
    snapshot = pages.snapshot(["http://en.example/other/", url])
    assert snapshot.body == b"<p>second</p>" and snapshot.url == url and snapshot.http_charset == "utf-8"
    assert pages.snapshot(["http://en.example/other/"]) is None
