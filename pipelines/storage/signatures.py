"""Near-duplicate articles: MinHash signatures of the clean text and an LSH band index in the store.

A syndicated or reposted article (the same text on another blog or under a new URL, lightly edited) is
kept as a row linked to its original (``articles.copy_of_id``) and never exported as an article.

- Signature: MinHash (datasketch, ``NUM_PERM`` permutations) over the set of word ``SHINGLE``-grams of
  the text (case-folded, diacritics dropped). The estimated Jaccard similarity of two texts is the share
  of equal hash values.
- Index: the signature cut in ``BANDS`` bands of ``ROWS`` values; each band hashed to a 64-bit integer
  and stored as a ``signature_bands`` row (band, hash) → article. Articles sharing any band are the
  candidates; a lookup reads a bounded number of rows whatever the size of the store, and the index is
  shared by every process writing to the store and survives restarts.
- Verification: a candidate is a near-duplicate when the estimated Jaccard is ≥ ``THRESHOLD`` (0.8).
  A candidate estimated between ``EXACT_FROM`` and the threshold is checked on the two texts' shingle
  sets (the estimate's standard error is ~0.04 with 128 permutations): a near-duplicate if the exact
  Jaccard is ≥ ``THRESHOLD``, or if the smaller text is almost wholly contained in the larger (a copy
  that dropped a paragraph and added an attribution line): containment ≥ ``CONTAINMENT`` with Jaccard
  ≥ ``CONTAINMENT_MIN_JACCARD``. On the blogsim web, copies measure J 0.63–0.95 / containment ≥ 0.90,
  unrelated posts J < 0.05 / containment < 0.2. The bands are tuned so that pairs at J = 0.6 share a
  band with probability 0.99 (0.87 at J = 0.5; see ``candidate_probability``).
- The original of a pair: the one the other's rel=canonical names; else the earliest published (an
  article with a date before one without); on a tie the one stored first. When a new article turns out
  to be the original, the stored one and its copies are relinked to it.

Functions take a session from their caller and never create one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

import numpy as np
from sqlalchemy import BigInteger, bindparam, delete, or_, select, text, update
from sqlalchemy.orm import Session

from .models import Article, ArticleUrl, Signature as SignatureRow, SignatureBand

NUM_PERM = 128
SHINGLE = 3  # words per shingle
BANDS, ROWS = 32, 4  # BANDS * ROWS <= NUM_PERM
THRESHOLD = 0.8
CONTAINMENT = 0.85
CONTAINMENT_MIN_JACCARD = 0.5
EXACT_FROM = 0.4  # estimated Jaccard from which a candidate below THRESHOLD is checked on the texts
MAX_CANDIDATES = 32  # the candidates sharing most bands are verified; the rest are not read
_SEED = 1
_SCHEME = "affine32"  # stored signatures depend on it: changing it needs a re-signing of the store
_WORD = re.compile(r"\w+")
_LOCK_KEY = int.from_bytes(hashlib.sha256(b"blogcrawl-neardup").digest()[:8], "big", signed=True)

COPY, ORIGINAL = "copy", "original"  # ingest outcomes besides None (no near-duplicate)


@lru_cache(maxsize=1)
def _minhash_class():
    from datasketch import MinHash  # imports scipy: only when a signature is made

    return MinHash


@lru_cache(maxsize=1)
def _permutations():
    return _minhash_class()(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def words(text: str) -> list[str]:
    """The text's words: NFKC, case-folded, without combining marks (Arabic tashkeel, accents)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _WORD.findall(unicodedata.normalize("NFKC", text))


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The set of ``size``-word shingles (the whole text as one shingle when it is shorter)."""
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


@dataclass(frozen=True)
class Signature:
    """A MinHash signature (``NUM_PERM`` uint32 values) and the number of shingles it was made of.

    ``text`` is the text it was made of (not stored): its shingle set, needed only for the exact check of
    a borderline candidate, is rebuilt from it then. A signature made in an extraction worker crosses to
    the writer as the values and the text, never as the (large) shingle set."""

    hashvalues: np.ndarray
    shingles: int
    grams: frozenset[bytes] | None = field(default=None, compare=False, repr=False)  # not stored
    text: str | None = field(default=None, compare=False, repr=False)  # not stored

    @classmethod
    def of(cls, text: str) -> "Signature":
        grams = shingles(text)
        minhash = _minhash_class()(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, permutations=_permutations())
        if grams:
            minhash.update_batch(list(grams))
        return cls(minhash.hashvalues.astype("<u4"), len(grams), None, text)

    def shingle_set(self) -> frozenset[bytes] | None:
        if self.grams is None and self.text is not None:
            object.__setattr__(self, "grams", frozenset(shingles(self.text)))  # a cache, not a change
        return self.grams

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> "Signature":
        return cls(np.frombuffer(data, dtype="<u4"), shingles)

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype("<u4").tobytes()

    def bands(self) -> list[tuple[int, int]]:
        """(band, hash) pairs: each band's values hashed to a signed 64-bit integer."""
        raw = self.to_bytes()
        width = ROWS * 4
        return [
            (band, int.from_bytes(hashlib.blake2b(raw[band * width : (band + 1) * width], digest_size=8,
                                                  salt=band.to_bytes(2, "big")).digest(), "big", signed=True))
            for band in range(BANDS)
        ]

    def jaccard(self, other: "Signature") -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        if not self.shingles or not other.shingles:
            return 0.0
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / len(self.hashvalues)

    def near(self, other: "Signature", other_text: str | None = None) -> float | None:
        """The similarity when ``other`` (whose text is ``other_text``) is a near-duplicate, else None:
        the estimated Jaccard, or the exact one when the estimate alone cannot tell."""
        j = self.jaccard(other)
        if j >= THRESHOLD:
            return j
        if j < EXACT_FROM or other_text is None:
            return None
        mine = self.shingle_set()
        if mine is None:
            return None
        theirs = frozenset(shingles(other_text))
        common = len(mine & theirs)
        exact = common / len(mine | theirs) if common else 0.0
        contained = common / min(len(mine), len(theirs)) if common else 0.0
        if exact >= THRESHOLD or (exact >= CONTAINMENT_MIN_JACCARD and contained >= CONTAINMENT):
            return exact
        return None


def candidate_probability(jaccard: float, bands: int = BANDS, rows: int = ROWS) -> float:
    """The chance that two signatures with this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - jaccard**rows) ** bands


@dataclass(frozen=True)
class Match:
    article: Article
    jaccard: float
    signature: SignatureRow


def candidates(session: Session, signature: Signature, *, exclude_id: int | None = None) -> list[int]:
    """Ids of the articles sharing a band with ``signature``, those sharing most first (at most
    ``MAX_CANDIDATES``): one indexed probe of (band, hash) per band."""
    params = {f"h{band}": value for band, value in signature.bands()}
    params.update(exclude=-1 if exclude_id is None else exclude_id, limit=MAX_CANDIDATES)
    return [row.article_id for row in session.execute(_CANDIDATES, params)]


# Built once: composing the 32-way OR with the expression language costs more than running it.
_CANDIDATES = text(
    "SELECT article_id, count(*) AS shared FROM signature_bands WHERE ("
    + " OR ".join(f"(band = {band} AND hash = :h{band})" for band in range(BANDS))
    + ") AND article_id != :exclude GROUP BY article_id ORDER BY shared DESC, article_id LIMIT :limit"
).bindparams(*(bindparam(f"h{band}", type_=BigInteger) for band in range(BANDS)))


def matches(session: Session, signature: Signature, *, exclude_id: int | None = None) -> list[Match]:
    """The live stored articles that are near-duplicates of ``signature``, most similar first."""
    ids = candidates(session, signature, exclude_id=exclude_id)
    if not ids:
        return []
    rows = session.execute(
        select(Article, SignatureRow)
        .join(SignatureRow, SignatureRow.article_id == Article.id)
        .where(Article.id.in_(ids), Article.gone_at.is_(None))
    )
    found = []
    for article, row in rows:
        j = signature.near(Signature.from_bytes(row.minhash, row.shingles), article.text)
        if j is not None:
            found.append(Match(article, j, row))
    return sorted(found, key=lambda m: (-m.jaccard, m.article.id))


def copies(session: Session, article_id: int) -> list[str]:
    """URLs of the stored copies of an article, oldest first."""
    return list(session.scalars(select(Article.url).where(Article.copy_of_id == article_id).order_by(Article.id)))


@dataclass
class Row:
    """What near-duplicate linking reads of an article inserted in this transaction, from the values the
    writer just inserted: no need to read it back (and it has no bands to delete)."""

    id: int
    url: str
    text: str
    published: datetime | None
    copy_of_id: int | None = None


def ingest(session: Session, url: str, signature: Signature, canonical_key: str | None = None, *,
           article: Article | Row | None = None) -> tuple[str | None, str | None]:
    """Indexes the article just stored at ``url`` and links it if it is a near-duplicate.

    Returns ``(COPY, original URL)`` when it is a copy of a stored article, ``(ORIGINAL, URL of the
    former original)`` when a stored article turned out to be a copy of it (relinked), else
    ``(None, None)``. ``canonical_key`` is the canonical form of the page's rel=canonical when it names
    another page. A stored copy is judged again only when it is stored again. ``article``: the row at
    ``url`` when the caller has it (the ORM row, or a ``Row``); else it is read."""
    _serialize(session)
    if article is None:
        article = session.scalar(select(Article).where(Article.url == url))
    if article is None:
        raise LookupError(f"no article stored at {url}")
    if signature.grams is None and signature.text is None:  # the exact check needs the text
        signature = Signature(signature.hashvalues, signature.shingles, None, article.text)
    _index(session, article.id, signature, canonical_key, fresh=isinstance(article, Row))
    found = matches(session, signature, exclude_id=article.id)
    root = _root_of(session, _choose(session, found, canonical_key))
    if root is None or root.id == article.id:  # unique, or it is already the original of the match
        if root is None and article.copy_of_id is not None:
            _link(session, article, None)  # changed so much it is no longer a copy
        return None, None
    if _earlier_original(session, article, canonical_key, root):
        former = root.url
        session.execute(update(Article).where(or_(Article.id == root.id, Article.copy_of_id == root.id)).values(copy_of_id=article.id))
        _link(session, article, None)
        session.expire(root)
        return ORIGINAL, former
    session.execute(update(Article).where(Article.copy_of_id == article.id).values(copy_of_id=root.id))
    _link(session, article, root.id)
    return COPY, root.url


def _link(session: Session, article: Article | Row, original_id: int | None) -> None:
    """Sets the article's ``copy_of_id`` (an ORM row is flushed with the rest of the write)."""
    if isinstance(article, Row):
        if article.copy_of_id != original_id:
            session.execute(_SET_COPY_OF, {"row_id": article.id, "copy_of_id": original_id})
    article.copy_of_id = original_id


_ARTICLES = Article.__table__
_BANDS = SignatureBand.__table__
_DELETE_BANDS = delete(_BANDS).where(_BANDS.c.article_id == bindparam("article_id"))
_SET_COPY_OF = update(_ARTICLES).where(_ARTICLES.c.id == bindparam("row_id"))  # built once


def _serialize(session: Session) -> None:
    """On PostgreSQL, near-duplicate decisions of concurrent crawl processes are taken one at a time (a
    lock held until the transaction ends); SQLite writers are serialised already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})


def _index(session: Session, article_id: int, signature: Signature, canonical_key: str | None, *, fresh: bool = False) -> None:
    """``fresh``: the row was inserted in this transaction, so it has no bands yet (they reference
    articles.id, ON DELETE CASCADE) and there is nothing to delete."""
    if not fresh:
        session.execute(_DELETE_BANDS, {"article_id": article_id})
    values = {"article_id": article_id, "minhash": signature.to_bytes(), "shingles": signature.shingles,
              "canonical_key": canonical_key}
    upsert_row, insert_bands = _index_statements(session.get_bind().dialect.name)
    session.execute(upsert_row, values)
    if signature.shingles:
        rows = [{"band": band, "hash": value, "article_id": article_id} for band, value in signature.bands()]
        session.execute(insert_bands, rows)


@lru_cache(maxsize=None)
def _index_statements(dialect: str):
    """The signature upsert and the band insert, built once per backend."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    stmt = insert(SignatureRow.__table__)
    upsert_row = stmt.on_conflict_do_update(index_elements=["article_id"], set_={
        name: stmt.excluded[name] for name in ("minhash", "shingles", "canonical_key")})
    return upsert_row, insert(SignatureBand.__table__).on_conflict_do_nothing()


def _choose(session: Session, found: list[Match], canonical_key: str | None) -> Article | None:
    """The match the page's rel=canonical names, else the most similar one."""
    if not found:
        return None
    if canonical_key:
        target = _article_id_at(session, canonical_key)
        for match in found:
            if match.article.id == target or match.article.copy_of_id == target:
                return match.article
    return found[0].article


def _root_of(session: Session, article: Article | None) -> Article | None:
    seen = set()
    while article is not None and article.copy_of_id is not None and article.id not in seen:
        seen.add(article.id)
        article = session.get(Article, article.copy_of_id)
    return article


def _article_id_at(session: Session, key: str) -> int | None:
    found = session.scalar(select(Article.id).where(Article.url == key))
    if found is None:
        found = session.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == key))
    return found


def _earlier_original(session: Session, new: Article, canonical_key: str | None, stored: Article) -> bool:
    """True when ``new`` is the original of the pair (``stored`` is its copy)."""
    if canonical_key and _article_id_at(session, canonical_key) == stored.id:
        return False
    stored_key = session.scalar(select(SignatureRow.canonical_key).where(SignatureRow.article_id == stored.id))
    if stored_key and _article_id_at(session, stored_key) == new.id:
        return True
    a, b = _sortable(new.published), _sortable(stored.published)
    if a is None:
        return False
    return b is None or a < b


def _sortable(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def ingest_item(session: Session, item, article: Article | Row | None = None) -> tuple[str | None, str | None]:
    """``ingest`` for an ``ArticleItem`` just upserted: nothing when it carries no signature (the
    near-duplicate pipeline is off). ``article``: its row, when the caller has it."""
    if item.signature is None:
        return None, None
    from crawler.urls import canonicalize

    key = canonicalize(item.canonical_href) if item.canonical_href else None
    return ingest(session, item.url, item.signature, key if key != item.url else None, article=article)
