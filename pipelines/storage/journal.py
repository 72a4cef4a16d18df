"""The response journal (the response_journal table): what a running crawl fetched and has not finished
with, so that a crawl killed with kill -9 resumes without fetching it again. Functions take a session.

- A page: a 200 HTML answer to a frontier request, put here as it comes off the downloader
  (``crawler.middlewares.journal``) and deleted by ``frontier.finish`` of its row (``FORGET``): in the
  transaction that stores its article, or records why it stored none. A kill -9 at any instant leaves
  either the entry (the resumed run answers the request from it) or the finished row, never a page lost.
- robots.txt: each site's answer, kept for the run; a resumed run reuses an answer younger than its limit.

The journal belongs to one run: a run that ends (``runs.end``) or a new run (``clear``) empties it.

    put(session, Entry(key, PAGE, url, 200, [("Content-Type", "text/html")], body, fetched_at))
    replayable(session, robots_since)  -> Replayable(pages={key, ...}, robots={url, ...})
    get(session, key)                  -> Entry | None (body as sent: its Content-Encoding still applies)
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from .dialect import insert_for
from .models import JournalEntry

PAGE, ROBOTS = "page", "robots"
ZLIB = "zlib"
_TABLE = JournalEntry.__table__
FORGET = delete(_TABLE).where(_TABLE.c.url_key == bindparam("journal_key"))  # built once: run per finished row


@dataclass(frozen=True, slots=True)
class Entry:
    url_key: str
    kind: str  # PAGE, ROBOTS
    url: str
    status: int
    headers: list[tuple[str, str]]  # as sent, latin-1
    body: bytes  # as sent (still Content-Encoded when it was)
    fetched_at: datetime


@dataclass
class Replayable:
    """The entries a resumed run answers from the journal, each once: page keys and robots.txt URLs."""

    pages: set[str] = field(default_factory=set)
    robots: set[str] = field(default_factory=set)

    def take(self, key: str, kind: str) -> bool:
        """True (once) when the journal holds ``key``'s response for this run to reuse."""
        keys = self.robots if kind == ROBOTS else self.pages
        if key not in keys:
            return False
        keys.discard(key)
        return True


def put(session: Session, entry: Entry) -> None:
    """Journals a response (a later one of the same key replaces it). A body sent without a
    Content-Encoding is compressed here (zlib, fast level)."""
    encoded = any(name.lower() == "content-encoding" for name, _ in entry.headers)
    body, codec = (entry.body, None) if encoded else (zlib.compress(entry.body, 1), ZLIB)
    values = dict(kind=entry.kind, url=entry.url, status=entry.status, headers=[list(h) for h in entry.headers],
                  body=body, codec=codec, fetched_at=entry.fetched_at)
    stmt = insert_for(session, _TABLE).values(url_key=entry.url_key, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["url_key"], set_=values))


def get(session: Session, url_key: str) -> Entry | None:
    row = session.execute(select(_TABLE).where(_TABLE.c.url_key == url_key)).first()
    if row is None:
        return None
    body = zlib.decompress(row.body) if row.codec == ZLIB else row.body
    return Entry(row.url_key, row.kind, row.url, row.status, [tuple(h) for h in row.headers], body, row.fetched_at)


def replayable(session: Session, robots_since: datetime) -> Replayable:
    """What a resumed run may answer from the journal: every page entry, the robots.txt answers fetched
    since ``robots_since``."""
    found = Replayable()
    for key, kind, fetched_at in session.execute(select(_TABLE.c.url_key, _TABLE.c.kind, _TABLE.c.fetched_at)):
        if kind == PAGE:
            found.pages.add(key)
        elif kind == ROBOTS and fetched_at >= robots_since:
            found.robots.add(key)
    return found


def clear(session: Session) -> int:
    """Empties the journal (a run ended, or a new one starts); returns how many entries there were."""
    return session.execute(delete(_TABLE)).rowcount or 0


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(_TABLE)) or 0
