"""StoragePipeline: upserts each article into the store and counts new / changed / unchanged.

The article and the frontier rows of the fetch that produced it are written in one transaction, so a
crawl killed at any moment either has both (and will not fetch the page again) or neither."""

from __future__ import annotations

import logging

from crawler.items import ArticleItem

from . import articles, frontier, signatures
from .store import Store

LOGGER = logging.getLogger(__name__)


class StoragePipeline:
    def __init__(self, crawler, store: Store):
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Store.for_crawler(crawler))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        run_id = getattr(self.crawler.spider, "run_id", None)
        outcome, near, original = self.store.run(lambda session: self._store(session, item, run_id))
        self.crawler.stats.inc_value(f"storage/{outcome}")
        if near is not None:
            self.crawler.stats.inc_value(f"dedup/near_{near}")  # near_copy, near_original (an earlier stored one is its copy)
            LOGGER.debug("near-duplicate (%s): %s ~ %s", near, item.url, original)
        LOGGER.debug("%s: %s", outcome, item.url)
        return item

    @staticmethod
    def _store(session, item: ArticleItem, run_id: int | None):
        """One transaction, run again whole after a lost connection."""
        outcome = articles.upsert(session, item, run_id)
        near, original = signatures.ingest_item(session, item)  # a copy is linked to its original
        for key in item.frontier_keys:  # stored and fetched are one fact: a crash loses neither
            frontier.finish(
                session, key, frontier.DONE, status=item.status, fetched_at=item.fetched_at,
                etag=item.etag, last_modified=item.last_modified, body_hash=item.body_hash,
            )
        return outcome, near, original
