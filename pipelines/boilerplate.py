"""BoilerplatePipeline: per-site boilerplate learning.

Text lines that recur across most articles of one site (a signature, "follow us on …", a donation
appeal the extractor could not tell from the body) are that site's boilerplate. Each new article's
lines are counted per site in the store; a line carried by at least ``BLOGCRAWL_BOILERPLATE_MIN_ARTICLES``
articles and ``BLOGCRAWL_BOILERPLATE_SHARE`` of the site's articles is learned. Learned lines are
dropped from every later article, and the articles stored before the line was learned are re-cleaned.
Short lines (subheadings such as "Ingredients") are never learned: they are structure, not noise.
"""

from __future__ import annotations

import logging

from crawler.items import ArticleItem
from scrapy.exceptions import NotConfigured

from .normalize import content_hash
from .storage import articles, boilerplate
from .storage.store import Store

LOGGER = logging.getLogger(__name__)


def learnable(line: str) -> bool:
    return len(line.split()) >= 4 and len(line) >= 20


def without(text: str, hashes: set[str]) -> str:
    return "\n".join(line for line in text.splitlines() if boilerplate.line_hash(line) not in hashes)


class BoilerplatePipeline:
    def __init__(self, crawler, store: Store, min_articles: int, share: float):
        self.crawler = crawler
        self.store = store
        self.min_articles = min_articles
        self.share = share

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("BLOGCRAWL_BOILERPLATE", True):
            raise NotConfigured
        return cls(
            crawler, Store.for_crawler(crawler),
            settings.getint("BLOGCRAWL_BOILERPLATE_MIN_ARTICLES", 8),
            settings.getfloat("BLOGCRAWL_BOILERPLATE_SHARE", 0.6),
        )

    def process_item(self, item: ArticleItem) -> ArticleItem:
        removed, learned, recleaned = self.store.run(lambda session: self._clean(session, item))
        stats = self.crawler.stats
        if removed:
            stats.inc_value("boilerplate/lines_removed", removed)
        if learned:
            stats.inc_value("boilerplate/learned", learned)
            stats.inc_value("boilerplate/recleaned", recleaned)
        return item

    def _clean(self, session, item: ArticleItem) -> tuple[int, int, int]:
        lines = {boilerplate.line_hash(line): line for line in item.text.splitlines() if learnable(line)}
        rows = boilerplate.known(session, item.site, lines)
        drop = {h for h, row in rows.items() if row.boilerplate}
        learned: list = []
        if articles.by_url(session, item.url) is None:  # count each article once, when first stored
            boilerplate.count(session, item.site, {h: line for h, line in lines.items() if h not in drop})
            stored = boilerplate.site_articles(session, item.site) + 1  # with this one
            learned = boilerplate.learn(session, item.site, self.min_articles, self.share, stored)
            drop |= {row.line_hash for row in learned} & set(lines)
        recleaned = sum(self._reclean(session, item.site, row.line, row.line_hash) for row in learned)
        if drop:
            before = len(item.text.splitlines())
            item.text = without(item.text, drop)
            item.content_hash = content_hash(item.text)
            return before - len(item.text.splitlines()), len(learned), recleaned
        return 0, len(learned), recleaned

    @staticmethod
    def _reclean(session, site: str, line: str, digest: str) -> int:
        """Drops a newly learned line from the site's stored articles; returns how many changed."""
        changed = 0
        for article in boilerplate.stored_with_line(session, site, line):
            text = without(article.text, {digest})
            if text != article.text:
                article.text, article.content_hash = text, content_hash(text)
                changed += 1
        if changed:
            LOGGER.info("boilerplate learned on %s: %r (removed from %d stored articles)", site, line, changed)
        return changed
