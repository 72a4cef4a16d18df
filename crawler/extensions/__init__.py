"""Scrapy extensions: cross-cutting concerns hooked to the crawler's signals and logging."""
