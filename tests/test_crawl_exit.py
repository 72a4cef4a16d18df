"""One exit mapping for every crawl command (crawler/commands/outcome.py): ``crawl``, ``crawl --frontier``
and ``worker`` end the same way for the same close reason and stats."""

from __future__ import annotations

import pytest

from crawler.commands import FAILED, INTERRUPTED, LOCKED, OK
from crawler.commands.outcome import crawl_exit
from crawler.extensions.sitehealth import FAILED_STAT


class _Stats:
    def __init__(self, values: dict | None):
        self.values = values

    def get_value(self, key, default=None):
        if self.values is None:
            raise RuntimeError("the crawl never started")
        return self.values.get(key, default)

    def get_stats(self):
        return dict(self.values or {})


class _Crawler:
    def __init__(self, values: dict | None):
        self.stats = _Stats(values)


@pytest.mark.parametrize("values, sites, code, line", [
    ({"finish_reason": "finished"}, 2, OK, None),
    ({"finish_reason": "finished", FAILED_STAT + "a.example": "HTTP 503"}, 2, OK, "blogcrawl: a.example failed: HTTP 503"),
    ({"finish_reason": "finished", FAILED_STAT + "a.example": "HTTP 503"}, 1, FAILED, "every site failed"),
    ({"finish_reason": "store_locked", "blogcrawl/locked": "another crawl holds x"}, 1, LOCKED, "another crawl holds x; not starting"),
    ({"finish_reason": "shutdown"}, 1, INTERRUPTED, "blogcrawl: interrupted"),
    ({"finish_reason": "browser_missing"}, 1, FAILED, "did not finish: browser_missing"),
    (None, 1, FAILED, "did not finish: failed to start"),
])
def test_one_mapping_from_close_reason_to_exit_code(capsys, values, sites, code, line):
    assert crawl_exit(_Crawler(values), sites, "fleet crawl of sqlite:///s.db") == code
    err = capsys.readouterr().err
    assert (line in err) if line else err == ""


def test_both_commands_use_it():
    import inspect

    from crawler.commands import crawl
    from crawler.fleet import command

    for module in (crawl, command):
        source = inspect.getsource(module)
        assert "crawl_exit(" in source and "finish_reason" not in source
