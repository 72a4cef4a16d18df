"""Dates, in one home: vocabulary (month/weekday names of every supported language), parsing (strings to
datetimes), locating (finding a page's dates), plausibility (one rule for every source), feed dates.

    from crawler.dates import parse_date, parse_structured_date, plausible
    from crawler.dates.locate import extract_dates
"""

from .parse import parse_date, parse_structured_date
from .plausible import EARLIEST, plausible

__all__ = ["EARLIEST", "parse_date", "parse_structured_date", "plausible"]
