"""Security: only http(s), no internal addresses that are not crawled sites, no credentials in output."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket

import pytest
from scrapy import Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from crawl_helpers import blogcrawl, export_records
from crawler.extensions.redaction import RedactingFilter, redact_secrets
from crawler.middlewares.address_guard import AddressGuardMiddleware
from pg_helpers import pg_database  # noqa: F401  (fixture)

CRAWLED = "127.0.0.1:8000"


def _guard(resolve: bool = True) -> AddressGuardMiddleware:
    crawler = get_crawler(Spider)
    crawler.spider = crawler._create_spider("s")
    crawler.spider.sites = {CRAWLED}
    return AddressGuardMiddleware(crawler, resolve=resolve)


def _allowed(guard: AddressGuardMiddleware, url: str) -> bool:
    try:
        asyncio.run(guard.process_request(Request(url)))
    except IgnoreRequest:
        return False
    return True


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/2024/03/post/",  # a crawled site, even on loopback
    "https://93.184.216.34/",  # a public literal address (nothing to resolve)
])
def test_guard_allows(url):
    assert _allowed(_guard(), url)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:5432/",  # same host as a crawled site, another port
    "http://127.0.0.254:8000/",
    "http://localhost:8000/",
    "http://10.1.2.3/",
    "http://192.168.0.1/admin",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[::1]:8000/",
    "http://0.0.0.0/",
    "file:///etc/passwd",
    "ftp://example.com/pub/",
    "gopher://example.com/",
])
def test_guard_refuses(url):
    guard = _guard()
    assert not _allowed(guard, url)
    assert sum(guard.crawler.stats.get_stats().values()) == 1


def test_guard_refuses_names_that_resolve_to_internal_addresses():
    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, 80)}
    except OSError:
        pytest.skip(f"this machine's name {name!r} does not resolve")
    from crawler.urls import is_private_host

    if not any(is_private_host(a) for a in addresses):
        pytest.skip(f"{name!r} resolves to public addresses only: {addresses}")
    guard = _guard()
    assert not _allowed(guard, f"http://{name}:9/")
    assert guard.crawler.stats.get_value("guard/refused/resolved_private") == 1
    assert _allowed(_guard(resolve=False), f"http://{name}:9/")


@pytest.mark.parametrize("text, expected", [
    ("postgresql+psycopg://postgres:s3cret@127.0.0.1/test", "postgresql+psycopg://postgres:***@127.0.0.1/test"),
    ("{'BLOGCRAWL_DB': 'postgresql://u:p%40ss@db:5432/x'}", "{'BLOGCRAWL_DB': 'postgresql://u:***@db:5432/x'}"),
    ("REDIS_URL=redis://:hunter2@cache:6379/0", "REDIS_URL=redis://:***@cache:6379/0"),
    ("sqlite:///blogcrawl.sqlite3", "sqlite:///blogcrawl.sqlite3"),
    ("http://example.com/a:b@c and mailto:x@y", "http://example.com/a:b@c and mailto:x@y"),
])
def test_redact_secrets(text, expected):
    assert redact_secrets(text) == expected


def test_log_filter_redacts_arguments_and_tracebacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("test_security.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Overridden settings:\n%(settings)s", {"settings": {"BLOGCRAWL_DB": "postgresql://u:s3cret@h/d"}})
        try:
            raise RuntimeError("cannot connect to redis://:s3cret@cache:6379/0")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "s3cret" not in output
    assert "postgresql://u:***@h/d" in output and "redis://:***@cache" in output


@pytest.mark.slow
def test_password_never_in_output_stats_or_runs(site_en, pg_database):  # noqa: F811
    db_url = f"postgresql+psycopg://postgres:s3cret@127.0.0.1:5432/{pg_database}"
    result = blogcrawl("crawl", site_en.base_url, "--db", db_url, "--log-level", "DEBUG")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Overridden settings" in result.stderr  # DEBUG: every log line of the crawl is here
    assert "s3cret" not in result.stdout + result.stderr
    records = export_records(db_url)
    assert len(records) == 3
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = [json.dumps(stats) for (stats,) in conn.execute(text("SELECT stats FROM runs"))]
    engine.dispose()
    assert rows and not any("s3cret" in row for row in rows)
