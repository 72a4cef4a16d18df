"""ArticleWriter: the one way an extracted article reaches the store. Scrapy-free.

normalise → dedup → boilerplate → near-duplicate signature → store, then the frontier rows of the fetch
that produced it are finished, all inside the caller's transaction (``write(session, item, run_id)``):
an article and its frontier rows commit together, so a crawl killed at any moment has both (and will
not fetch the page again) or neither. The crawl (``pipelines.article.ArticlePipeline``, through the
batched writer thread), ``blogcrawl recrawl`` and ``blogcrawl reextract`` all call it, with the same
settings (``WriterSettings.from_settings``).

A dropped article (no body, a duplicate) still finishes its frontier rows: it was fetched.
``write`` never changes the item it is given (a batch that failed is run again from the same items).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace

from crawler.items import ArticleItem
from crawler.urls import canonicalize

from .boilerplate import BoilerplateLearner
from .normalize import content_hash, tidy_text
from .storage import articles, frontier, signatures

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriterSettings:
    boilerplate: bool = True  # BLOGCRAWL_BOILERPLATE
    min_articles: int = 8  # BLOGCRAWL_BOILERPLATE_MIN_ARTICLES
    share: float = 0.6  # BLOGCRAWL_BOILERPLATE_SHARE
    neardup: bool = True  # BLOGCRAWL_NEARDUP

    @classmethod
    def from_settings(cls, settings) -> "WriterSettings":
        """From Scrapy settings (or anything with ``getbool``/``getint``/``getfloat``); defaults when None."""
        if settings is None:
            return cls()
        return cls(
            boilerplate=settings.getbool("BLOGCRAWL_BOILERPLATE", True),
            min_articles=settings.getint("BLOGCRAWL_BOILERPLATE_MIN_ARTICLES", 8),
            share=settings.getfloat("BLOGCRAWL_BOILERPLATE_SHARE", 0.6),
            neardup=settings.getbool("BLOGCRAWL_NEARDUP", True),
        )


@dataclass
class Written:
    """What became of one article: stored (``outcome`` new / changed / unchanged) or ``dropped``."""

    item: ArticleItem  # as stored (clean text, canonical URL)
    outcome: str | None = None
    dropped: str | None = None  # why it was not stored (a log message)
    change: str = ""  # what changed, for a ``changed`` outcome when asked (``explain``)
    near: str | None = None  # signatures.COPY / ORIGINAL
    near_url: str | None = None
    stats: Counter = field(default_factory=Counter)


class ArticleWriter:
    def __init__(self, settings: WriterSettings | None = None):
        self.settings = settings or WriterSettings()
        self.boilerplate = BoilerplateLearner(self.settings.min_articles, self.settings.share)

    def write(self, session, item: ArticleItem, run_id: int | None = None, *, explain: bool = False) -> Written:
        item = replace(item, alias_urls=list(item.alias_urls), frontier_keys=list(item.frontier_keys))
        written = Written(item)
        if not self._normalise(item):
            written.stats["extract/empty"] += 1
            written.dropped = f"no body text: {item.fetched_url}"
        else:
            if item.published is None and item.frontier_keys:
                _feed_date(session, item)
            stored = articles.by_url(session, item.url)
            verdict = _duplicate(session, item, stored, run_id)
            if verdict is not None:
                key, written.dropped = verdict
                written.stats[key] += 1
            else:
                self._store(session, item, stored, run_id, written, explain)
        _finish_frontier(session, item)
        return written

    @staticmethod
    def _normalise(item: ArticleItem) -> bool:
        item.text = tidy_text(item.text or "")
        if not item.text:
            return False
        item.url = canonicalize(item.url)
        item.title = " ".join(item.title.split()) if item.title else None
        item.author = " ".join(item.author.split()) if item.author else None
        item.content_hash = content_hash(item.text)
        return True

    def _store(self, session, item: ArticleItem, stored, run_id, written: Written, explain: bool) -> None:
        if self.settings.boilerplate:
            self.boilerplate.clean(session, item, first_time=stored is None, stats=written.stats)
        if self.settings.neardup:
            item.signature = _signature(item)
        else:
            item.signature = None
        if explain and stored is not None:
            written.change = articles.describe_change(stored, item)
        existing = stored if stored is None or stored.url == item.url else articles.LOOK_UP  # not via an alias
        row = articles.store(session, item, run_id, existing)
        written.outcome = row.outcome
        written.stats[f"storage/{written.outcome}"] += 1
        view = row.article or signatures.Row(row.article_id, item.url, item.text, item.published)
        written.near, written.near_url = signatures.ingest_item(session, item, view)  # a copy is linked to its original
        if written.near is not None:
            written.stats[f"dedup/near_{written.near}"] += 1


def _duplicate(session, item: ArticleItem, stored, run_id: int | None) -> tuple[str, str] | None:
    """Why the item is a duplicate (stats key, message), recording its URLs as aliases; None if it is not."""
    if stored is not None and run_id is not None and stored.run_id == run_id:
        articles.add_aliases(session, stored.url, [item.fetched_url], article_id=stored.id)
        return "dedup/dropped/url", f"already stored this run: {item.url} (via {item.fetched_url})"
    if stored is None:
        original = articles.by_content_hash(session, item.content_hash, exclude_url=item.url)
        if original is not None:
            articles.add_aliases(session, original.url, [item.url, item.fetched_url], article_id=original.id)
            return "dedup/dropped/content", f"same body as {original.url}: {item.url}"
    return None


def _signature(item: ArticleItem) -> signatures.Signature:
    """The signature made in the extraction worker when it was made of the text stored (boilerplate
    cleaning removed nothing), else one made now."""
    made = item.signature
    if isinstance(made, signatures.Signature) and made.text == item.text:
        return made
    return signatures.Signature.of(item.text)


def _feed_date(session, item: ArticleItem) -> None:
    """An undated article gets the date a feed read after its fetch gave its URL (frontier hints)."""
    from crawler.dates.hints import hinted_date

    for hints in frontier.hints_of(session, item.frontier_keys):
        found = hinted_date(hints)
        if found is not None:
            item.published, item.date_source = found, hints.get("source") or "feed"
            return


def _finish_frontier(session, item: ArticleItem) -> None:
    """Stored (or dropped) and fetched are one fact: a crash loses neither."""
    for key in item.frontier_keys:
        frontier.finish(
            session, key, frontier.DONE, status=item.status, fetched_at=item.fetched_at,
            etag=item.etag, last_modified=item.last_modified, body_hash=item.body_hash,
        )
