"""NormalizePipeline: canonical URL, tidy whitespace, content hash; drops items without a body."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.urls import canonicalize

_SPACES = re.compile(r"[ \t\u00a0\u200b\u200c\u200e\u200f\u202a-\u202e]+")


def tidy_text(text: str) -> str:
    """NFC, one space between words, no blank or padded lines."""
    text = unicodedata.normalize("NFC", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def content_hash(text: str) -> str:
    """A stable fingerprint of an article body, insensitive to whitespace."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class NormalizePipeline:
    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.text = tidy_text(item.text or "")
        if not item.text:
            self.crawler.stats.inc_value("extract/empty")
            raise DropItem(f"no body text: {item.fetched_url}", log_level="DEBUG")
        item.url = canonicalize(item.url)
        item.title = " ".join(item.title.split()) if item.title else None
        item.author = " ".join(item.author.split()) if item.author else None
        item.content_hash = content_hash(item.text)
        return item
