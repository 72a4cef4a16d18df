"""DedupPipeline: one record per post, however many URLs lead to it.

The canonical URL is the unique key (enforced by the schema); this pipeline drops the second copy of
an article within one run (reached again through another URL) and exact copies of a body already
stored under another URL, recording the extra URLs as aliases of the stored article. State lives in
the store, not in memory, so it holds across processes and restarts.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem

from .storage import articles
from .storage.store import Store


class DedupPipeline:
    def __init__(self, crawler, store: Store):
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Store.for_crawler(crawler))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        run_id = getattr(self.crawler.spider, "run_id", None)
        stats = self.crawler.stats
        verdict = self.store.run(lambda session: self._verdict(session, item, run_id))
        if verdict is not None:
            key, message = verdict
            stats.inc_value(key)
            raise DropItem(message, log_level="DEBUG")
        return item

    @staticmethod
    def _verdict(session, item: ArticleItem, run_id: int | None) -> tuple[str, str] | None:
        """Why the item is a duplicate (stats key, message), recording its URLs as aliases; None if it is not.
        Decided inside the transaction, raised after it, so the aliases are committed."""
        stored = articles.by_url(session, item.url)
        if stored is not None and run_id is not None and stored.run_id == run_id:
            articles.add_aliases(session, stored.url, [item.fetched_url])
            return "dedup/dropped/url", f"already stored this run: {item.url} (via {item.fetched_url})"
        original = articles.by_content_hash(session, item.content_hash, exclude_url=item.url)
        if original is not None and stored is None:
            articles.add_aliases(session, original.url, [item.url, item.fetched_url])
            return "dedup/dropped/content", f"same body as {original.url}: {item.url}"
        return None
