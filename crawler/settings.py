"""Scrapy settings for blogcrawl. Override with ``-s NAME=VALUE`` or the ``blogcrawl crawl`` options."""

import os

BOT_NAME = "blogcrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "blogcrawl/0.1 (+https://pypi.org/project/blogcrawl/)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "crawler.robots.RobotsParser"  # Protego, with the Sitemap lines joined (crawler/robots.py)
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19's localhost HTTP server that runs code sent to it: never
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
# Responses waiting for extraction (Scrapy's default: 5 MB). Two extraction workers need only a few pages
# ahead; what is fetched and not yet stored is lost to a kill -9 and fetched again on resume. At 400 kB a
# blogsim scale-10 crawl took 76.5 s against 80.7 s with the default (same requests, quiet machine).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 400_000

# The frontier in the store deduplicates requests; Scrapy's in-memory fingerprint set would grow
# with the crawl and forget everything on a crash.
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.address_guard.AddressGuardMiddleware": 60,  # before robots.txt is fetched
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robotstxt.RobotsTxtMiddleware": 100,  # Scrapy's, every waiting request checked
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    "crawler.middlewares.extract_size.ExtractSizeMiddleware": 560,  # sees bodies after decompression (590)
    "crawler.middlewares.frontier_redirect.FrontierRedirectMiddleware": 650,
    "crawler.middlewares.journal.ResponseJournalMiddleware": 870,  # fetched, not yet stored: kept for a resume
    "crawler.archive.WarcArchiveMiddleware": 880,  # next to the downloader: responses as sent (BLOGCRAWL_ARCHIVE_DIR)
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.store_faults.StoreFaultMiddleware": 30,
}
EXTENSIONS = {
    "crawler.extensions.redaction.RedactSecretsExtension": 0,
    "crawler.extensions.oneline.OneLineErrors": 0,  # an unreachable site: one line per error, no traceback
    "crawler.extensions.progress.ProgressLine": 500,  # a live line on a terminal only (crawler/extensions/progress.py)
    "crawler.extensions.summary.RunSummary": 500,  # one line at the end (crawler/extensions/summary.py)
    "crawler.extensions.sitehealth.SiteAnswers": 0,  # which sites answered: a crawl where none did fails
}

# Scrapy's feed export (-O items.jsonl / .csv) gives exactly the fields of `blogcrawl export` (crawler/feeds.py).
FEED_EXPORT_FIELDS = ["url", "site", "title", "author", "published", "modified", "language", "text", "fetched_at", "content_hash", "kind"]
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {
    "jsonlines": "crawler.feeds.JsonLinesExporter", "jsonl": "crawler.feeds.JsonLinesExporter",
    "jl": "crawler.feeds.JsonLinesExporter", "json": "crawler.feeds.JsonExporter",
    "csv": "crawler.feeds.CsvExporter", "xml": "crawler.feeds.XmlExporter",
}
ITEM_PIPELINES = {
    # normalise -> dedup -> boilerplate -> near-duplicate -> store, in the batched writer thread (pipelines/writer.py)
    "pipelines.article.ArticlePipeline": 300,
}

# blogcrawl's own settings.
BLOGCRAWL_DB = os.environ.get("BLOGCRAWL_DB")  # None: sqlite:///blogcrawl.sqlite3
BLOGCRAWL_MAX_PAGES = 0  # 0: no limit
BLOGCRAWL_MAX_DEPTH = 12  # link hops from a root, sitemap or feed
BLOGCRAWL_MAX_QUERY_DEPTH = 2  # hops between query-string variants of one path (calendar traps)
BLOGCRAWL_CLAIM_BATCH = 64
BLOGCRAWL_RECHECK_MAX = 200  # posts of a site without sitemaps re-checked per run (crawler/frontier/recheck.py)
BLOGCRAWL_NOW = ""  # the run's clock for that schedule, ISO 8601 (tests, replays); empty: the wall clock
BLOGCRAWL_EXTRACT_WORKERS = None  # worker processes for extraction; None: one per core, 0: inline
BLOGCRAWL_MAX_EXTRACT_BYTES = 4 * 1024 * 1024  # larger HTML pages are not parsed (0: no limit)
BLOGCRAWL_RETRY_BASE_DELAY = 0.5  # seconds; doubled per retry, with jitter
BLOGCRAWL_RETRY_MAX_DELAY = 30.0  # cap on backoff and on a server's Retry-After
BLOGCRAWL_GUARD_RESOLVE = True  # refuse host names resolving to internal addresses (not crawled sites)
BLOGCRAWL_DB_RETRY_BUDGET = 30.0  # seconds spent retrying a lost database connection
BLOGCRAWL_DB_BATCH = 200  # database writes grouped into one transaction: at most this many...
BLOGCRAWL_DB_BATCH_WAIT = 0.1  # ...or what arrives within this many seconds
BLOGCRAWL_DB_CALLBACK_RETRIES = 5  # fetches of a page whose processing lost the database connection
BLOGCRAWL_BOILERPLATE = True  # learn per-site boilerplate lines and drop them (also from stored articles)
BLOGCRAWL_BOILERPLATE_MIN_ARTICLES = 8  # a line is boilerplate once this many articles of a site carry it...
BLOGCRAWL_BOILERPLATE_SHARE = 0.6  # ...and this share of the site's articles
BLOGCRAWL_NEARDUP = True  # near-duplicate (syndicated, reposted) articles linked to their original
BLOGCRAWL_ARCHIVE_DIR = None  # write every response as WARC here (blogcrawl crawl --archive DIR)
BLOGCRAWL_ARCHIVE_MAX_BYTES = 100 * 1024 * 1024  # a new WARC file past this size
BLOGCRAWL_JOURNAL = True  # pages fetched and not yet stored kept in the store: a kill -9 loses none (crawler/middlewares/journal.py)
BLOGCRAWL_JOURNAL_MAX_BYTES = 4 * 1024 * 1024  # larger bodies (as sent) are not journaled
BLOGCRAWL_JOURNAL_ROBOTS_MAX_AGE = 3600  # seconds: a resumed run reuses a robots.txt fetched this recently

# Fleet crawls (blogcrawl crawl --frontier / blogcrawl worker; crawler/fleet/, crawler/spiders/fleet.py).
BLOGCRAWL_FLEET_NAME = None  # Redis keys blogcrawl:<name>:*; None: derived from BLOGCRAWL_DB
BLOGCRAWL_FLEET_IDLE_TIMEOUT = 10.0  # seconds with the shared frontier empty and nothing in flight before exiting
BLOGCRAWL_FLEET_LEASE_TTL = 60.0  # seconds; a dead worker's in-flight requests go back to the queue after this

# JavaScript rendering (crawler/rendering.py decides, crawler/browser.py runs Chromium through scrapy-playwright).
BLOGCRAWL_JS = "auto"  # auto: only pages whose article JavaScript writes | always | never (blogcrawl crawl --js)
BLOGCRAWL_JS_SITES = {}  # per site: {"host[:port]": "always" | "never" | "auto"} (JSON with -s)
BLOGCRAWL_BROWSER = os.environ.get("BLOGCRAWL_BROWSER")  # Chromium executable; None: Playwright's, else /usr/bin/chromium
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.BrowserDownloadHandler",  # plain HTTP unless a request asks for the browser
    "https": "crawler.browser.BrowserDownloadHandler",
}
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000  # ms
