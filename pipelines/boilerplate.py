"""Per-site boilerplate learning (a stage of ``pipelines.writer.ArticleWriter``).

Text lines that recur across most articles of one site (a signature, "follow us on …", a donation
appeal the extractor could not tell from the body) are that site's boilerplate. Each new article's
lines are counted per site in the store; a line carried by at least ``BLOGCRAWL_BOILERPLATE_MIN_ARTICLES``
articles and ``BLOGCRAWL_BOILERPLATE_SHARE`` of the site's articles is learned. Learned lines are
dropped from every later article, and the articles stored before the line was learned are re-cleaned.
Short lines (subheadings such as "Ingredients") are not learned where they stand inside the body: they
are structure, not noise. At the body's edges they are: a short line that opens or closes most articles
of a site ("Thanks for reading!", a sign-off, a kicker) is that site's template, learned and dropped
only as the first or the last line (counted apart from the same words inside a body).
A block of short lines in a row (a newsletter box "Newsletter / Best of the week / Sign up free", an author
box "About the author / Jane Doe / Contact") is learned as one unit when its lines together make a long
line: the run is counted, and once learned that exact run is dropped wherever it stands, inside a longer
run of short lines too. The lines of a learned block, one by one, still stay where they stand alone.

Side blocks (``crawler/extraction/sides.py``): a part of a body that stands outside the story's own text
container (an author box, a "first published by" box beside the story) comes from extraction with its
DOM path. The same block, word for word at the same place, on ``SIDE_MIN_ARTICLES`` articles and
``SIDE_SHARE`` of the site's is the site's template: one author's box on a site of a few authors is on
a third of its posts, under the line share, and never the same as another author's. It is learned once
the site has ``min_articles`` articles, dropped as a whole (its lines in a row) from later articles and
from the stored ones that carry it. A story's paragraphs are not learned so: they stand inside the
story's container, and a background paragraph that a news site repeats stands there among new ones.
"""

from __future__ import annotations

import logging
from collections import Counter

from crawler.items import ArticleItem

from .normalize import content_hash, tidy_text
from .storage import boilerplate

LOGGER = logging.getLogger(__name__)


SIDE_MIN_ARTICLES = 3  # a side block is template once this many articles of a site carry it...
SIDE_SHARE = 0.1  # ...and this share of the site's articles


def learnable(line: str) -> bool:
    return len(line.split()) >= 4 and len(line) >= 20


_BLOCK_LINES = 8  # the most lines of a block looked up inside a longer run of short lines


def _short(line: str) -> bool:
    return not learnable(line) and any(ch.isalpha() for ch in line)


def short_runs(lines: list[str]) -> list[tuple[int, int]]:
    """The maximal runs (start, end) of two or more short lines in a row."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, line in enumerate([*lines, ""]):
        if _short(line) and index < len(lines):
            start = index if start is None else start
        elif start is not None:
            if index - start >= 2:
                runs.append((start, index))
            start = None
    return runs


def block_hash(lines: list[str]) -> str:
    """The key of a run of short lines (kept apart from a line of the same words)."""
    return boilerplate.line_hash("\x00block\x00" + "\x01".join(lines))


def _is_block(lines: list[str]) -> bool:
    return learnable(" ".join(lines))


def blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Every run of short lines that could be a learned block (hash -> (start, end)): each maximal run and
    its sub-runs of up to ``_BLOCK_LINES`` lines, when together they make a long line."""
    found: dict[str, tuple[int, int]] = {}
    for start, end in short_runs(lines):
        for i in range(start, end - 1):
            for j in range(i + 2, min(end, i + _BLOCK_LINES) + 1):
                if _is_block(lines[i:j]):
                    found.setdefault(block_hash(lines[i:j]), (i, j))
    return found


def edge_hash(edge: str, line: str) -> str:
    """The key of a short line standing first (``edge`` "first") or last ("last") in a body."""
    return boilerplate.line_hash(f"\x00{edge}\x00{line}")


def keys(text: str) -> dict[str, str]:
    """The lines of ``text`` that are counted (hash -> line): the long ones, the short first and last, and
    each maximal run of short lines that makes a block (its lines joined by newlines)."""
    lines = text.splitlines()
    found = {boilerplate.line_hash(line): line for line in lines if learnable(line)}
    for start, end in short_runs(lines):
        if _is_block(lines[start:end]):
            found[block_hash(lines[start:end])] = "\n".join(lines[start:end])
    for edge, line in (("first", lines[0]), ("last", lines[-1])) if len(lines) > 1 else ():
        if _short(line):
            found[edge_hash(edge, line)] = line
    return found


def looked_up(text: str, counted: dict[str, str]) -> dict[str, str]:
    """The keys a new article is looked up by: its ``counted`` keys (``keys``) and every possible block
    (hash -> text)."""
    lines = text.splitlines()
    found = {h: "\n".join(lines[i:j]) for h, (i, j) in blocks(lines).items()}
    return {**found, **counted}


def side_hash(path: str, text: str) -> str:
    """The key of a side block: its DOM path and its lines (kept apart from a line or run of the same words)."""
    return boilerplate.line_hash(f"\x00side\x00{path}\x00" + "\x01".join(text.splitlines()))


def side_keys(item: ArticleItem) -> dict[str, str]:
    """The item's side blocks (hash -> their lines, tidied as the item's text is)."""
    found = {}
    for path, text in item.side_blocks:
        text = tidy_text(text)
        if text:
            found[side_hash(path, text)] = text
    return found


def without_run(text: str, run: str) -> str:
    """``text`` without each place where the lines of ``run`` stand in a row (never all of it)."""
    lines, target = text.splitlines(), run.splitlines()
    size, kept, i = len(target), [], 0
    while i < len(lines):
        if size and lines[i:i + size] == target:
            i += size
        else:
            kept.append(lines[i])
            i += 1
    return "\n".join(kept) if kept else text


def _line_key(line: str, digest: str) -> bool:
    """Whether ``digest`` is one of the keys a line or a run of short lines is counted by (not a side block's)."""
    lines = line.splitlines()
    return digest in (boilerplate.line_hash(line), block_hash(lines), edge_hash("first", line), edge_hash("last", line))


def without(text: str, hashes: set[str]) -> str:
    lines = text.splitlines()
    gone = {k for h, (i, j) in blocks(lines).items() if h in hashes for k in range(i, j)}
    lines = [line for k, line in enumerate(lines) if k not in gone and boilerplate.line_hash(line) not in hashes]
    while len(lines) > 1 and edge_hash("first", lines[0]) in hashes:
        lines.pop(0)
    while len(lines) > 1 and edge_hash("last", lines[-1]) in hashes:
        lines.pop()
    return "\n".join(lines)


class BoilerplateLearner:
    def __init__(self, min_articles: int = 8, share: float = 0.6):
        self.min_articles = min_articles
        self.share = share

    def clean(self, session, item: ArticleItem, *, first_time: bool, stats: Counter) -> None:
        """Drops the site's boilerplate lines from ``item`` (in place); counts its lines when the article is
        stored for the first time, learning (and re-cleaning stored articles of) lines that became boilerplate."""
        lines = keys(item.text)
        sides = side_keys(item)
        looked = {**looked_up(item.text, lines), **sides}
        rows = boilerplate.known(session, item.site, looked)
        drop = {h for h, row in rows.items() if row.boilerplate}
        learned: list = []
        if first_time:  # count each article once, when first stored
            counted = {h: line for h, line in {**lines, **sides}.items() if h not in drop}
            boilerplate.count(session, item.site, counted)
            stored = boilerplate.site_articles(session, item.site) + 1  # with this one
            learned = boilerplate.learn(session, item.site, self.min_articles, self.share, stored, candidates=counted)
            if stored >= self.min_articles:
                learned += boilerplate.learn_among(session, item.site, max(SIDE_MIN_ARTICLES, SIDE_SHARE * stored),
                                                   [h for h in sides if h in counted])
            drop |= {row.line_hash for row in learned} & set(looked)
        if learned:
            stats["boilerplate/learned"] += len(learned)
            stats["boilerplate/recleaned"] += sum(self._reclean(session, item.site, row.line, row.line_hash) for row in learned)
        if drop:
            before = len(item.text.splitlines())
            for digest in drop & set(sides):
                item.text = without_run(item.text, sides[digest])
            item.text = without(item.text, drop)
            item.content_hash = content_hash(item.text)
            removed = before - len(item.text.splitlines())
            if removed:
                stats["boilerplate/lines_removed"] += removed

    @staticmethod
    def _reclean(session, site: str, line: str, digest: str) -> int:
        """Drops a newly learned line from the site's stored articles; returns how many changed."""
        changed = 0
        side = not _line_key(line, digest)
        for article in boilerplate.stored_with_line(session, site, line):
            text = without_run(article.text, line) if side else without(article.text, {digest})
            if text != article.text:
                article.text, article.content_hash = text, content_hash(text)
                changed += 1
        if changed:
            LOGGER.info("boilerplate learned on %s: %r (removed from %d stored articles)", site, line, changed)
        return changed
