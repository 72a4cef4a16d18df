"""NearDupPipeline: the MinHash signature of each article's clean text, for near-duplicate detection.

Syndicated and reposted articles (the same text elsewhere, lightly edited) are recognised when they are
stored: ``StoragePipeline`` looks the signature up in the store's LSH index and links a copy to its
original in the transaction that stores it (``pipelines/storage/signatures.py``), so the index is
shared by every crawl process on the store. This stage only does the CPU work, outside any transaction.
Switch it off with ``BLOGCRAWL_NEARDUP = False``.
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured

from crawler.items import ArticleItem

from .storage.signatures import Signature


class NearDupPipeline:
    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("BLOGCRAWL_NEARDUP", True):
            raise NotConfigured("near-duplicate detection is off (BLOGCRAWL_NEARDUP)")
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.signature = Signature.of(item.text)
        return item
