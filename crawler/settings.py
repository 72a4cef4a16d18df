"""Scrapy settings for blogcrawl. Override with ``-s NAME=VALUE`` or the ``blogcrawl crawl`` options."""

import os

BOT_NAME = "blogcrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "blogcrawl/0.1 (+https://pypi.org/project/blogcrawl/)"
ROBOTSTXT_OBEY = True
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# Politeness and limits.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # also bounds decompressed bodies (gzip bombs)
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 3
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False

# The frontier in the store deduplicates requests; Scrapy's in-memory fingerprint set would grow
# with the crawl and forget everything on a crash.
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.frontier_redirect.FrontierRedirectMiddleware": 650,
}
ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.storage.pipeline.StoragePipeline": 800,
}

# blogcrawl's own settings.
BLOGCRAWL_DB = os.environ.get("BLOGCRAWL_DB")  # None: sqlite:///blogcrawl.sqlite3
BLOGCRAWL_MAX_PAGES = 0  # 0: no limit
BLOGCRAWL_MAX_DEPTH = 12  # link hops from a root, sitemap or feed
BLOGCRAWL_MAX_QUERY_DEPTH = 2  # hops between query-string variants of one path (calendar traps)
BLOGCRAWL_CLAIM_BATCH = 64
