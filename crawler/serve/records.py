"""Store rows as the view's JSON records: an article as in ``blogcrawl export`` plus its ``id``, a site
with its ``site`` (host[:port]), a run as in ``blogcrawl runs --json``."""

from __future__ import annotations

from dataclasses import asdict

from crawler.commands.export import article_record, export_kind
from crawler.commands.runs import run_record
from crawler.extraction.explain import Block
from pipelines.storage.models import Article, Revision

from .diff import changed_words, word_diff
from .health import Point

__all__ = ["article_summary", "article_detail", "revision_records", "site_record", "run_record", "block_records"]


def _iso(value):
    return value.isoformat() if value is not None else None


def article_summary(article: Article) -> dict:
    """A row of the article list."""
    return {
        "id": article.id, "site": article.site, "url": article.url, "title": article.title,
        "author": article.author, "published": _iso(article.published), "language": article.language,
        "words": len(article.text.split()), "kind": export_kind(article.kind),
    }


def article_detail(article: Article, *, urls: list[str], copies: list[Article], original: Article | None,
                   revisions: list[Revision]) -> dict:
    """Everything stored about an article: the export fields, where it came from, its copies and versions."""
    return {
        "id": article.id,
        **article_record(article),
        "date_source": article.date_source,
        "sitename": article.sitename,
        "first_seen": _iso(article.first_seen),
        "gone_at": _iso(article.gone_at),
        "urls": urls,
        "copies": [article_summary(copy) for copy in copies],
        "copy_of": article_summary(original) if original is not None else None,
        "revisions": revision_records(revisions),
    }


def revision_records(revisions: list[Revision]) -> list[dict]:
    """Each version, oldest first, with the words added and removed since the one before."""
    records = []
    for index, revision in enumerate(revisions):
        added = removed = 0
        if index:
            added, removed = changed_words(word_diff(revisions[index - 1].text, revision.text))
        records.append({
            "id": revision.id, "fetched_at": _iso(revision.fetched_at), "title": revision.title,
            "content_hash": revision.content_hash, "words": len(revision.text.split()),
            "words_added": added, "words_removed": removed, "text": revision.text,
        })
    return records


def site_record(summary, points: list[Point], dropped: bool) -> dict:
    last = points[-1] if points else None
    return {
        "site": summary.site,
        "articles": summary.articles,
        "last_fetched": _iso(summary.last_fetched),
        "last_run": {"id": last.run_id, "started_at": last.started_at} if last else None,
        "health": [asdict(point) for point in points],
        "health_dropped": dropped,
    }


def block_records(blocks: list[Block] | None) -> list[dict] | None:
    return None if blocks is None else [asdict(block) for block in blocks]
