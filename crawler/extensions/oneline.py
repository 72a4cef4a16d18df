"""OneLineErrors: a failed download is one log line, not a traceback.

Scrapy's retry and robots.txt middlewares log a site that cannot be reached ("Gave up retrying ...",
"Error downloading ...") with the exception's whole traceback (80 lines for a closed port): the message
already names the error, so the traceback is dropped from those records (kept under ``--log-level
DEBUG``). Other errors keep theirs."""

from __future__ import annotations

import logging

QUIET_LOGGERS = ("scrapy.downloadermiddlewares.", "scrapy.core.downloader", "scrapy.core.scraper")
DOWNLOAD_ERRORS = ("ConnectionRefused", "ConnectionLost", "Timeout", "TimedOut", "DNSLookup", "ConnectError",
                   "ResponseNeverReceived", "ResponseFailed", "DownloadFailed", "TCPTimedOut", "ConnectionDone",
                   "DownloadConnectionRefused", "CannotListen", "SSLError", "TunnelError")


class OneLineFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.name.startswith(QUIET_LOGGERS):
            kind = record.exc_info[0].__name__ if record.exc_info[0] else ""
            if any(name in kind for name in DOWNLOAD_ERRORS):
                record.exc_info = None
                record.exc_text = None
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Puts the filter on every handler of the root logger that lacks it (first, before any formatting)."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, OneLineFilter) for f in handler.filters):
            handler.filters.insert(0, OneLineFilter())


class OneLineErrors:
    """Installs the filter when built and again once the crawl starts: Scrapy replaces its root log
    handler after the extensions are built (``Crawler._update_root_log_handler``)."""

    def __init__(self, crawler):
        self.enabled = str(crawler.settings.get("LOG_LEVEL", "INFO")).upper() != "DEBUG"
        self.install()

    def install(self, *_args, **_kwargs) -> None:
        if self.enabled:
            install()

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        extension = cls(crawler)
        crawler.signals.connect(extension.install, signal=signals.engine_started)
        return extension
