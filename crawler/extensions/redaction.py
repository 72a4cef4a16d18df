"""RedactSecretsExtension: passwords in URLs never reach the logs.

Scrapy logs every overridden setting when a crawl starts ("Overridden settings: {'BLOGCRAWL_DB':
'postgresql+psycopg://user:secret@host/db', ...}"), and drivers put URLs in error messages. This
extension is built before that log line and adds a filter to every handler of the root logger that
replaces the password of any ``scheme://user:password@host`` URL (database, Redis, proxy) with
``***`` in the message, its arguments and the formatted traceback. ``redact_secrets`` is the same
rule for strings (stats, error messages, files).
"""

from __future__ import annotations

import logging
import re
import traceback

_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s'\"]*:)(?P<password>[^@/\s'\"]+)@")


# user:password@host without its scheme, as URL parsers quote it in errors ("invalid hostname: bob:secret@host")
_BARE_USERINFO = re.compile(r"(?P<head>(?<![\w:/.@-])[A-Za-z0-9._~%+-]+:)(?P<password>[^@/\s'\":*]+)@(?=[A-Za-z0-9\[])")


_NOT_USERS = frozenset({"mailto", "tel", "sms", "sip", "xmpp", "news", "urn", "data"})
_HOST = re.compile(r"\[|localhost\b|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _bare(match: re.Match) -> str:
    user = match.group("head")[:-1].lower()
    if user in _NOT_USERS or not _HOST.match(match.string, match.end()):  # mailto:x@y, not a password
        return match.group(0)
    return match.group("head") + "***@"


def redact_secrets(text: str) -> str:
    """``text`` with the password of every URL (or bare ``user:password@host``) replaced by ``***``."""
    return _BARE_USERINFO.sub(_bare, _URL_PASSWORD.sub(r"\g<head>***@", text))


class RedactingFilter(logging.Filter):
    """Rewrites a record whose message or traceback carries a URL password."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business
            return True
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact_secrets(record.exc_text)
        return True


def install(logger: logging.Logger | None = None) -> RedactingFilter:
    """Adds the filter to every handler of ``logger`` (the root logger) that lacks it."""
    logger = logger or logging.getLogger()
    found = None
    for handler in logger.handlers:
        for existing in handler.filters:
            if isinstance(existing, RedactingFilter):
                found = existing
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            found = found or RedactingFilter()
            handler.addFilter(found)
    return found or RedactingFilter()


class RedactSecretsExtension:
    def __init__(self, crawler):
        self.crawler = crawler
        install()

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        extension = cls(crawler)
        # Scrapy replaces its root log handler after building the extensions: filter the new one too
        crawler.signals.connect(lambda *a, **k: install(), signal=signals.engine_started, weak=False)
        return extension
