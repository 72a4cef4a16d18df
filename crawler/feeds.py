"""Scrapy's own feed export (``scrapy crawl blog -a url=... -O items.jsonl`` / ``.csv`` / ``.json`` /
``.xml``) gives what ``blogcrawl export`` gives: the fields of ``FEED_EXPORT_FIELDS`` (set in
``crawler.settings`` to the export's fields), dates as ISO 8601 strings, UTF-8 text. The item's internal
fields (validators, frontier keys, the near-duplicate signature, a numpy array) are never exported."""

from __future__ import annotations

from datetime import date, datetime, timezone

from scrapy import exporters


UTC_FIELDS = frozenset({"fetched_at"})  # kept in UTC by the store; publication dates keep the page's offset


class IsoDates:
    """Dates and times as ``isoformat()`` strings, as ``blogcrawl export`` writes them: the fetch time in
    UTC, publication dates as the page gave them (with its offset, or naive wall time)."""

    def serialize_field(self, field, name, value):
        if name == "kind":
            from crawler.commands.export import export_kind

            value = export_kind(value)
        if name in UTC_FIELDS and isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        if isinstance(value, (datetime, date)):
            value = value.isoformat()
        return super().serialize_field(field, name, value)


class JsonLinesExporter(IsoDates, exporters.JsonLinesItemExporter):
    pass


class JsonExporter(IsoDates, exporters.JsonItemExporter):
    pass


class CsvExporter(IsoDates, exporters.CsvItemExporter):
    pass


class XmlExporter(IsoDates, exporters.XmlItemExporter):
    pass
