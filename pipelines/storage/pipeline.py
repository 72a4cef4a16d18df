"""StoragePipeline: upserts each article into the store and counts new / changed / unchanged."""

from __future__ import annotations

import logging

from crawler.items import ArticleItem

from . import articles
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
        with self.store.begin() as session:
            outcome = articles.upsert(session, item, run_id)
        self.crawler.stats.inc_value(f"storage/{outcome}")
        LOGGER.debug("%s: %s", outcome, item.url)
        return item
