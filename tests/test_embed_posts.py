"""Embed-only posts (a video or image post whose body is only an embed) are stored: title, date, and the
embed URLs as the text, marked ``kind`` ``embed``. Pages written here."""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.extraction import extract
from crawler.items import PageSnapshot

FETCHED = datetime(2025, 1, 10, 12, 0, tzinfo=timezone.utc)
HEAD = ("<head><title>{title} - مدونة الرحلات</title><meta property='og:type' content='article'>"
        "<meta property='article:published_time' content='2024-05-02T18:00:00+03:00'></head>")


def _page(title: str, body: str, body_class: str = "post-template-default single single-post postid-7") -> bytes:
    sidebar = "<aside class='widget'><h3>روابط</h3><ul><li><a href='/a/'>أ</a></li></ul></aside>"
    return (f"<html lang='ar' dir='rtl'>{HEAD.format(title=title)}<body class='{body_class}'><article>"
            f"<h1 class='entry-title'>{title}</h1><div class='entry-content'>{body}</div></article>{sidebar}"
            "</body></html>").encode()


def _extract(body: bytes, url: str = "https://rihla.example/2024/05/video-post/"):
    return extract(PageSnapshot(url=url, body=body, fetched_at=FETCHED))


def test_a_youtube_iframe_post_is_stored_with_its_embed_url():
    page = _page("رحلة إلى البتراء", "<p><iframe width='560' height='315' src='https://www.youtube.com/embed/abc123XYZ'"
                                     " allowfullscreen></iframe></p>")
    extracted = _extract(page)
    assert extracted.is_article and extracted.kind == "embed"
    assert extracted.title == "رحلة إلى البتراء"
    assert extracted.text == "https://www.youtube.com/embed/abc123XYZ"
    assert extracted.published is not None and extracted.published.date().isoformat() == "2024-05-02"
    assert extracted.as_json()["kind"] == "embed"


def test_a_wordpress_video_block_and_an_unrendered_embed_block():
    page = _page("فيديو السوق", "<figure class='wp-block-video'><video controls src='/wp-content/uploads/2024/05/souk.mp4'>"
                               "</video><figcaption>السوق</figcaption></figure>"
                               "<figure class='wp-block-embed is-type-video wp-block-embed-vimeo'>"
                               "<div class='wp-block-embed__wrapper'>https://vimeo.com/76979871</div></figure>")
    extracted = _extract(page)
    assert extracted.kind == "embed"
    lines = extracted.text.splitlines()
    assert lines[-2:] == ["https://rihla.example/wp-content/uploads/2024/05/souk.mp4", "https://vimeo.com/76979871"]


def test_an_image_only_post_keeps_its_images_not_its_icons():
    page = _page("صور الواحة", "<p><img src='/wp-content/uploads/oasis-1.jpg' width='1024' height='768'>"
                              "<img src='/wp-content/uploads/oasis-2.jpg'>"
                              "<img src='/wp-includes/images/smilies/smile.png' width='16' height='16'></p>")
    extracted = _extract(page)
    assert extracted.is_article and extracted.kind == "embed"
    assert extracted.text.splitlines() == ["https://rihla.example/wp-content/uploads/oasis-1.jpg",
                                           "https://rihla.example/wp-content/uploads/oasis-2.jpg"]


def test_a_text_post_is_no_embed_post_and_a_sidebar_video_makes_no_post():
    text = "<p>" + "كانت الرحلة طويلة لكنها جميلة، ومررنا بقرى كثيرة على الطريق. " * 10 + "</p>"
    post = _extract(_page("رحلة طويلة", text + "<iframe src='https://www.youtube.com/embed/q'></iframe>"))
    assert post.is_article and post.kind is None
    assert "youtube" not in post.text
    assert "kind" not in post.as_json()
    short = (f"<html lang='ar'><head><title>تواصل</title></head><body><div class='content'><p>قريبا</p></div>"
             "<aside><iframe src='https://www.youtube.com/embed/side'></iframe></aside></body></html>").encode()
    assert not _extract(short, "https://rihla.example/soon/").is_article


def test_a_static_page_with_a_video_stays_a_static_page():
    page = _page("من نحن", "<iframe src='https://www.youtube.com/embed/about'></iframe>", body_class="page page-template-default")
    extracted = _extract(page, "https://rihla.example/about/")
    assert not extracted.is_article


def test_an_embed_post_is_stored_with_its_kind(tmp_path):
    from crawler.items import ArticleItem
    from pipelines.storage import articles
    from pipelines.storage.models import Article
    from pipelines.storage.store import Store

    store = Store(f"sqlite:///{tmp_path}/s.sqlite3")
    try:
        item = ArticleItem(url="https://rihla.example/v/", fetched_url="https://rihla.example/v/", site="rihla.example",
                           title="فيديو", text="https://www.youtube.com/embed/abc", fetched_at=FETCHED, kind="embed",
                           content_hash="0" * 64)
        with store.begin() as session:
            assert articles.upsert(session, item) == articles.NEW
        with store.begin() as session:
            assert session.query(Article).one().kind == "embed"
    finally:
        store.close()


def test_export_and_serve_say_which_posts_are_embeds(tmp_path, capsys):
    """``kind`` in ``blogcrawl export`` (JSON lines and CSV) and in the serve API: ``embed`` or ``article``."""
    import csv
    import io
    import json

    from starlette.testclient import TestClient

    from crawl_helpers import run_cli
    from crawler.commands.serve import make_app
    from crawler.items import ArticleItem
    from pipelines.storage import articles
    from pipelines.storage.store import Store

    db = f"sqlite:///{tmp_path}/s.sqlite3"
    store = Store(db)
    try:
        with store.begin() as session:
            for path, text, kind in (("v", "https://www.youtube.com/embed/abc", "embed"), ("t", "نص المقال الطويل.", None)):
                articles.upsert(session, ArticleItem(
                    url=f"https://rihla.example/{path}/", fetched_url=f"https://rihla.example/{path}/", site="rihla.example",
                    title=path, text=text, fetched_at=FETCHED, kind=kind, content_hash=path * 64))
    finally:
        store.close()
    code, out, err = run_cli(capsys, "export", "--db", db)
    assert code == 0, err
    kinds = {json.loads(line)["url"]: json.loads(line)["kind"] for line in out.splitlines()}
    assert kinds == {"https://rihla.example/v/": "embed", "https://rihla.example/t/": "article"}
    code, out, err = run_cli(capsys, "export", "--db", db, "--format", "csv")
    assert {row["url"]: row["kind"] for row in csv.DictReader(io.StringIO(out))} == kinds
    with TestClient(make_app(db)) as client:
        listed = client.get("/api/articles").json()
        rows = listed["articles"] if isinstance(listed, dict) else listed
        assert {row["url"]: row["kind"] for row in rows} == kinds
        embed = next(row for row in rows if row["kind"] == "embed")
        assert client.get(f"/api/articles/{embed['id']}").json()["kind"] == "embed"
        assert "a video or image post" in client.get(f"/articles/{embed['id']}").text
