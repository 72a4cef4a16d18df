"""ArticlePipeline: the Scrapy adapter over ``ArticleWriter`` (the only item pipeline).

Each article goes to the crawl's batched writer thread (``pipelines.storage.batch``), which runs
``ArticleWriter.write`` inside its next transaction; the pipeline awaits the outcome without blocking the
event loop, counts it in the crawl's stats and turns a drop into ``DropItem``.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem

from .storage.batch import BatchWriter
from .writer import ArticleWriter, WriterSettings

LOGGER = logging.getLogger(__name__)


class ArticlePipeline:
    def __init__(self, crawler, writer: ArticleWriter, db: BatchWriter):
        self.crawler = crawler
        self.writer = writer
        self.db = db

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, ArticleWriter(WriterSettings.from_settings(crawler.settings)), BatchWriter.for_crawler(crawler))

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        run_id = getattr(self.crawler.spider, "run_id", None)
        written = await self.db.submit(lambda session: self.writer.write(session, item, run_id))
        stats = self.crawler.stats
        for key, count in written.stats.items():
            stats.inc_value(key, count)
        if written.dropped is not None:
            raise DropItem(written.dropped, log_level="DEBUG")
        if written.near is not None:
            LOGGER.debug("near-duplicate (%s): %s ~ %s", written.near, written.item.url, written.near_url)
        LOGGER.debug("%s: %s", written.outcome, written.item.url)
        return written.item
