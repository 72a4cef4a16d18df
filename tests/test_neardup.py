"""Near-duplicates: signatures, the LSH index in the store, the choice of the original, and crawls of a
small web where posts are republished (another blog, with and without rel=canonical; a new URL)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from crawl_helpers import blogcrawl, export_records
from crawler.items import ArticleItem
from crawler.urls import canonicalize
from pipelines.normalize import content_hash
from pipelines.storage import articles, signatures
from pipelines.storage.models import Article, SignatureBand
from pipelines.storage.signatures import Signature, candidate_probability
from pipelines.storage.store import Store
from syndication_web import BICYCLE, MIRROR_CANONICAL, MIRROR_PLAIN, REPOST, SOURDOUGH, syndication_web

WORDS = ("river bread garden window market bridge letter morning winter engine music paper station "
         "harbour lantern orchard meadow canyon pillow violin thunder marble feather candle ladder").split()


def _text(seed: int, n: int = 300) -> str:
    import random

    rng = random.Random(seed)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + "." for _ in range(n // 12)]
    return "\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def _edit(text: str, changes: int = 3) -> str:
    words = text.split(" ")
    for i in range(changes):
        words[(i + 1) * len(words) // (changes + 2)] = "EDITED"
    return " ".join(words)


# -- signatures ------------------------------------------------------------------------------------


def test_light_edit_is_near_and_unrelated_text_is_not():
    a = _text(1)
    assert Signature.of(a).jaccard(Signature.of(_edit(a))) >= 0.8
    assert Signature.of(a).near(Signature.of(_edit(a))) is not None
    assert Signature.of(a).jaccard(Signature.of(_text(2))) < 0.3
    assert Signature.of(a).near(Signature.of(_text(2)), _text(2)) is None


def test_copy_missing_a_paragraph_is_near_on_the_exact_check():
    a = _text(3, 400)
    paragraphs = a.splitlines()
    shorter = "\n".join(paragraphs[: len(paragraphs) * 3 // 4])  # the last quarter dropped
    sa, sb = Signature.of(a), Signature.of(shorter)
    assert 0.5 < sa.jaccard(sb) < 0.8
    assert sb.near(sa, a) is not None


def test_signature_round_trips_and_text_normalisation():
    sig = Signature.of("Hello, World! The  quick brown fox")
    again = Signature.from_bytes(sig.to_bytes(), sig.shingles)
    assert again.jaccard(sig) == 1.0 and len(sig.to_bytes()) == 4 * signatures.NUM_PERM
    assert signatures.words("مَرْحَباً بالعالم Hello") == ["مرحبا", "بالعالم", "hello"]
    assert Signature.of("hello world") .jaccard(Signature.of("HELLO   world")) == 1.0


def test_bands_catch_pairs_at_the_containment_bound():
    assert candidate_probability(0.8) > 0.999
    assert candidate_probability(0.6) > 0.98
    assert candidate_probability(0.2) < 0.06


# -- the index in the store --------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/near.sqlite3")
    yield store
    store.close()


def _item(url: str, text: str, published: datetime | None, canonical: str | None = None) -> ArticleItem:
    item = ArticleItem(
        url=url, fetched_url=url, site=url.split("/")[2], title=url.rsplit("/", 2)[-2], text=text,
        fetched_at=datetime(2024, 3, 10, tzinfo=timezone.utc), published=published, canonical_href=canonical,
    )
    item.content_hash = content_hash(text)
    item.signature = Signature.of(text)
    return item


def _store(store: Store, item: ArticleItem):
    with store.begin() as session:
        articles.upsert(session, item)
        return signatures.ingest_item(session, item)


def _exported(store: Store) -> dict[str, list[str]]:
    with store.sessions() as session:
        return {a.url: signatures.copies(session, a.id) for a in articles.live(session)}


DAY = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_later_copy_is_linked_to_the_earlier_original(store):
    text = _text(10)
    assert _store(store, _item("http://a.example/p/1/", text, DAY)) == (None, None)
    assert _store(store, _item("http://b.example/q/1/", _edit(text), DAY + timedelta(days=2))) == (
        signatures.COPY, "http://a.example/p/1/")
    assert _store(store, _item("http://c.example/other/", _text(11), DAY)) == (None, None)
    assert _exported(store) == {"http://a.example/p/1/": ["http://b.example/q/1/"], "http://c.example/other/": []}


def test_earlier_original_stored_later_takes_over_with_the_copies(store):
    text = _text(20)
    _store(store, _item("http://b.example/copy/", _edit(text), DAY + timedelta(days=3)))
    _store(store, _item("http://c.example/copy2/", _edit(text, 2), DAY + timedelta(days=5)))
    assert list(_exported(store)) == ["http://b.example/copy/"]
    assert _store(store, _item("http://a.example/original/", text, DAY)) == (signatures.ORIGINAL, "http://b.example/copy/")
    assert _exported(store) == {"http://a.example/original/": ["http://b.example/copy/", "http://c.example/copy2/"]}


def test_rel_canonical_names_the_original_whatever_the_dates(store):
    text = _text(30)
    _store(store, _item("http://a.example/late-original/", text, DAY + timedelta(days=9)))
    outcome = _store(store, _item("http://b.example/early-copy/", _edit(text), DAY, canonical="http://a.example/late-original/"))
    assert outcome == (signatures.COPY, "http://a.example/late-original/")
    assert list(_exported(store)) == ["http://a.example/late-original/"]


def test_stored_copy_naming_the_new_article_as_canonical_is_relinked(store):
    text = _text(31)
    _store(store, _item("http://b.example/copy/", _edit(text), DAY, canonical="http://a.example/original/"))
    assert _store(store, _item("http://a.example/original/", text, DAY + timedelta(days=1))) == (
        signatures.ORIGINAL, "http://b.example/copy/")
    assert list(_exported(store)) == ["http://a.example/original/"]


def test_undated_copy_loses_to_the_dated_one_and_ties_keep_the_first(store):
    text = _text(40)
    _store(store, _item("http://a.example/first/", text, None))
    assert _store(store, _item("http://b.example/dated/", _edit(text), DAY))[0] == signatures.ORIGINAL
    assert _store(store, _item("http://c.example/same-day/", _edit(text, 2), DAY))[0] == signatures.COPY
    assert list(_exported(store)) == ["http://b.example/dated/"]


def test_a_copy_rewritten_into_another_text_is_unlinked(store):
    text = _text(50)
    _store(store, _item("http://a.example/o/", text, DAY))
    _store(store, _item("http://b.example/c/", _edit(text), DAY + timedelta(days=1)))
    assert list(_exported(store)) == ["http://a.example/o/"]
    _store(store, _item("http://b.example/c/", _text(51), DAY + timedelta(days=1)))
    assert set(_exported(store)) == {"http://a.example/o/", "http://b.example/c/"}
    with store.sessions() as session:
        bands = session.query(SignatureBand).filter(SignatureBand.article_id == articles.by_url(session, "http://b.example/c/").id).count()
        assert bands == signatures.BANDS  # the old bands were replaced, not added to


def test_lookup_reads_a_bounded_number_of_candidates(store):
    text = _text(60)
    for i in range(signatures.MAX_CANDIDATES + 10):
        _store(store, _item(f"http://s{i}.example/p/", _edit(text, 1 + i % 4) + f" variant {i}", DAY + timedelta(days=i)))
    with store.sessions() as session:
        assert len(signatures.candidates(session, Signature.of(text))) == signatures.MAX_CANDIDATES
        assert session.query(Article).filter(Article.copy_of_id.is_(None)).count() == 1


# -- crawls ----------------------------------------------------------------------------------------


def _copies(db_url: str) -> dict[str, set[str]]:
    result = blogcrawl("export", "--db", db_url, "--with-copies")
    assert result.returncode == 0, result.stderr
    return {canonicalize(r["url"]): {canonicalize(u) for u in r["copies"]} for r in map(json.loads, result.stdout.splitlines())}


def _crawl(db_url: str, *roots: str) -> None:
    result = blogcrawl("crawl", *roots, "--db", db_url, "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with syndication_web(tmp_path_factory.mktemp("web")) as sites:
        yield sites


def _keys(site, *paths) -> set[str]:
    return {canonicalize(site.url(p)) for p in paths}


@pytest.mark.slow
def test_crawl_stores_each_syndicated_post_once(tmp_path, web, site_truth):
    origin, mirror = web
    db_url = f"sqlite:///{tmp_path}/web.sqlite3"
    _crawl(db_url, origin.base_url, mirror.base_url)
    copies = _copies(db_url)
    assert set(copies) == _keys(origin, *(p["url_path"] for p in site_truth("en")["posts"]))
    assert copies[canonicalize(origin.url(SOURDOUGH))] == _keys(origin, REPOST)  # the mirror's canonical copy is not stored
    assert copies[canonicalize(origin.url(BICYCLE))] == _keys(mirror, MIRROR_PLAIN)
    csv_out = blogcrawl("export", "--db", db_url, "--format", "csv", "--with-copies").stdout
    assert csv_out.splitlines()[0].endswith(",copies")


@pytest.mark.slow
def test_copies_crawled_before_their_originals_are_relinked(tmp_path, web):
    origin, mirror = web
    db_url = f"sqlite:///{tmp_path}/web.sqlite3"
    _crawl(db_url, mirror.base_url)  # the mirror alone: its posts are the only versions known
    assert set(_copies(db_url)) == _keys(mirror, MIRROR_CANONICAL, MIRROR_PLAIN)
    _crawl(db_url, origin.base_url)
    copies = _copies(db_url)
    assert copies[canonicalize(origin.url(SOURDOUGH))] == _keys(origin, REPOST) | _keys(mirror, MIRROR_CANONICAL)
    assert copies[canonicalize(origin.url(BICYCLE))] == _keys(mirror, MIRROR_PLAIN)
    assert not _keys(mirror, MIRROR_CANONICAL, MIRROR_PLAIN) & set(copies)


@pytest.mark.slow
def test_copy_with_rel_canonical_to_a_stored_original_is_linked(tmp_path, web):
    origin, mirror = web
    db_url = f"sqlite:///{tmp_path}/web.sqlite3"
    _crawl(db_url, origin.base_url)
    _crawl(db_url, mirror.base_url)  # its canonical names a page of a site this crawl does not cover
    copies = _copies(db_url)
    assert copies[canonicalize(origin.url(SOURDOUGH))] == _keys(origin, REPOST) | _keys(mirror, MIRROR_CANONICAL)
    assert copies[canonicalize(origin.url(BICYCLE))] == _keys(mirror, MIRROR_PLAIN)
    assert len(export_records(db_url)) == 3


@pytest.mark.slow
def test_recrawl_of_a_copy_links_it(tmp_path, web):
    origin, mirror = web
    db_url = f"sqlite:///{tmp_path}/web.sqlite3"
    _crawl(db_url, origin.base_url)
    result = blogcrawl("recrawl", mirror.url(MIRROR_PLAIN), "--db", db_url)
    assert result.returncode == 0 and result.stdout.startswith("new"), result.stderr
    assert _copies(db_url)[canonicalize(origin.url(BICYCLE))] == _keys(mirror, MIRROR_PLAIN)


def test_copies_written_in_one_batch_are_found_against_each_other(store):
    """The batched writer thread stores many articles in one transaction: a copy and its original in the
    same batch (in either order) are still linked, and the copy's signature made in the worker is used."""
    from pipelines.writer import ArticleWriter

    text = _text(70)
    batch = [_item("http://b.example/copy/", _edit(text), DAY + timedelta(days=2)),
             _item("http://a.example/original/", text, DAY),
             _item("http://c.example/copy2/", _edit(text, 2), DAY + timedelta(days=3))]
    writer = ArticleWriter()
    with store.begin() as session:
        outcomes = [writer.write(session, item, run_id=1) for item in batch]
    assert [(w.outcome, w.near) for w in outcomes] == [("new", None), ("new", signatures.ORIGINAL), ("new", signatures.COPY)]
    assert _exported(store) == {"http://a.example/original/": ["http://b.example/copy/", "http://c.example/copy2/"]}
