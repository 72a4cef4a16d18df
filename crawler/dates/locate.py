"""Finding a page's publication and modification dates, most reliable evidence first.

Sources (``Dates.source``): JSON-LD ``datePublished`` (``jsonld``; article types first, then pages and
other things that carry one, then a regex over JSON-LD that does not parse), meta tags and microdata
(``meta``), ``time[datetime]`` near the headline (``time``), the visible date next to the headline or
byline in any supported language (``text``), a /YYYY/MM/DD/ URL (``url``), and last htmldate's search
of the markup (``htmldate``) for what our own rules do not find.

Two reconciliations, by evidence: of two machine dates for the same instant, the one stated with the
page's own offset is kept (a UTC copy moves an evening post to the next day); a UTC or zone-less
machine date one day off the URL's date, by an amount a time zone explains, is the URL's day.

Elements in sidebars, widgets, comments, navigation and footers are not read, unless the element
holds the headline too (a wrapper such as ``<body class="has-sidebar">`` or ``div.widget.Blog``).
Every value passes one plausibility rule (crawler.dates.plausible).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import islice
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from html import unescape

from lxml import html

from .parse import OWN_LANGUAGES, parse_date, parse_structured_date
from .plausible import EARLIEST, plausible

if TYPE_CHECKING:  # pragma: no cover
    from crawler.extraction.document import Document

LOGGER = logging.getLogger(__name__)

__all__ = ["Dates", "extract_dates", "article_scope", "headline_window", "url_date"]

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "publishdate", "publish-date", "publish_date", "pubdate", "dc.date.issued", "dcterms.issued",
    "dc.date.created", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "article.published", "citation_publication_date", "citation_date", "article_date_original",
    "cxenseparse:recs:publishtime", "publication_date", "og:regdate", "dc:date", "pub_date", "release_date",
    "originalpublicationdate", "datecreated",
)
# A bare "date" says nothing of publication (CMSs put the last change there): used when nothing else is found.
_GENERIC_META = ("date", "dc.date", "dcterms.date", "dc:date")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "article.updated",
                  "last-modified", "dc.date.modified")
_ARTICLE_TYPES = frozenset(
    {"article", "blogposting", "newsarticle", "reportage", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle",
     "satiricalarticle", "techarticle", "scholarlyarticle", "report", "liveblogposting", "socialmediaposting",
     "discussionforumposting", "posting", "medicalscholarlyarticle", "advertisercontentarticle"}
)
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "qapage", "faqpage", "medicalwebpage", "creativework"})
_NOT_THE_PAGE = frozenset({"person", "organization", "newsmediaorganization", "imageobject", "videoobject",
                           "audioobject", "mediaobject", "comment", "event", "product", "offer", "review",
                           "breadcrumblist", "listitem", "website", "place", "rating", "aggregaterating"})
_MICRODATA = ("datePublished", "dateModified")
_JSONLD_DATE = re.compile(r'"(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]{6,40})"')

_DATE_CLASS = re.compile(
    r"date|time|posted|publi|byline|entry-meta|post-meta|meta|datum|fecha|data|tarih|zeit|dateline|stamp|"
    r"created|info|تاريخ")
_UPDATED_CLASS = re.compile(r"updated|modified|aktualisiert|edit")
_EXCLUDED = re.compile(r"comment|sidebar|widget|related|footer|topbar|top-bar|site-header|masthead|nav|menu|"
                       r"teaser|recommend|popular|trending|breadcrumb|share|social|newsletter")
_HEADLINE_EXCLUDED = re.compile(r"comment|sidebar|footer|site-header|masthead|nav|menu|related|teaser|recommend|"
                                r"popular|trending|breadcrumb")
_LISTING_BOX = re.compile(r"comment|sidebar|widget|related|nav|menu|teaser|recommend|popular|trending")
_POST_META = re.compile(r"meta|byline|dateline|date|author-info|post-info|entry-info")
_LAYOUT_PREFIX = re.compile(r"^(?:has|no|with|without|is|show|hide)[-_]")
_EXCLUDED_TAGS = frozenset({"aside", "nav", "footer"})
_HEADLINE_CLASS = ("entry-title", "post-title", "article-title", "article-headline", "headline", "story-title",
                   "news-title", "title-post", "single-title", "page-title")
_HEADLINE_CLASS_RE = re.compile(r"(?<![\w-])(?:" + "|".join(_HEADLINE_CLASS) + r")(?![\w-])", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·»]+\s+")
_UPDATED_TEXT = re.compile(r"^\W*(?:last\s+)?(?:updated|modified|update|aktualisiert|geändert|mis à jour|"
                           r"mise à jour|actualizado|aggiornato|تم التحديث|آخر تحديث|اخر تحديث|تحديث)", re.I)
_PUBLISHED_LABEL = re.compile(
    r"(?<!\w)(?:published|posted|first published|veröffentlicht|erschienen|publiziert|publié|mis en ligne|"
    r"publicado|pubblicato|gepubliceerd|نشر|تاريخ النشر)(?:\s+(?:am|on|le|el|il|op|في|بتاريخ))?\s*[:：]?\s*", re.I)
_FULL_DATE_HINT = re.compile(r"\d{4}|\d{1,2}\.\d{1,2}\.\d{2}(?!\d)")
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})([/_-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?!\d)|"
    r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$|[-_])")
_MAX_VISIBLE = 120
_MAX_LOOSE = 80  # a bare date element near the headline
_AFTER, _BEFORE = 60, 25  # elements scanned after / before the headline
_LOOSE_AFTER = 30
_DATELINE = 40  # characters at the start of a paragraph that may hold its dateline
_UTC_OFFSETS = (timedelta(hours=-12), timedelta(hours=14))


Reader = Callable[[str], "datetime | None"]  # parse_date bound to the page's fetch time and languages


@dataclass(slots=True)
class Dates:
    published: datetime | None = None
    modified: datetime | None = None
    source: str | None = None


# ---------------------------------------------------------------- machine dates

def _machine(value: object, fetched_at: datetime) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return plausible(parse_structured_date(value.strip()), fetched_at)


def _kinds(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower().rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _jsonld_rank(obj: dict[str, Any]) -> int | None:
    kinds = _kinds(obj)
    if kinds & _ARTICLE_TYPES:
        return 0
    if kinds & _PAGE_TYPES:
        return 1
    if kinds & _NOT_THE_PAGE or not kinds:
        return None
    return 2


def _nested(objects: Iterable[Any], depth: int = 0) -> Iterable[dict[str, Any]]:
    """JSON-LD objects and the objects they hold (mainEntity, hasPart, about...), depth-limited."""
    for obj in objects:
        if isinstance(obj, dict):
            yield obj
            if depth < 3:
                yield from _nested((v for k, v in obj.items() if isinstance(v, (dict, list)) and k not in
                                    ("author", "publisher", "image", "video", "comment", "review")), depth + 1)
        elif isinstance(obj, list) and depth < 3:
            yield from _nested(obj, depth + 1)


def _from_jsonld(doc: Document, fetched_at: datetime) -> Dates:
    ranked = []
    for obj in _nested(doc.jsonld):
        rank = _jsonld_rank(obj)
        if rank is None:
            continue
        published = _machine(obj.get("datePublished") or obj.get("dateCreated"), fetched_at)
        if published:
            ranked.append((rank, len(ranked), published, _machine(obj.get("dateModified"), fetched_at)))
    if ranked:
        _rank, _i, published, modified = min(ranked, key=lambda r: r[:2])
        return Dates(published, modified, "jsonld")
    return _from_broken_jsonld(doc, fetched_at)


def _from_broken_jsonld(doc: Document, fetched_at: datetime) -> Dates:
    """A JSON-LD block that does not parse (a stray brace, a trailing comma): its date keys by regex."""
    for script in doc.tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or "datePublished" not in (script.text or ""):
            continue
        try:
            json.loads((script.text or "").strip().rstrip(";"))
            continue  # parsed fine: read (or rejected) above
        except (ValueError, RecursionError):
            pass
        found = {key: _machine(value, fetched_at) for key, value in reversed(_JSONLD_DATE.findall(script.text))}
        published = found.get("datePublished") or found.get("dateCreated")
        if published:
            return Dates(published, found.get("dateModified"), "jsonld")
    return Dates()


def _microdata(doc: Document) -> dict[str, str]:
    """The first value of each itemprop date outside <meta> (microdata on abbr, span, time): content,
    datetime or title; both properties in one walk of the tree."""
    found: dict[str, str] = {}
    for node in doc.tree.iter():
        prop = node.get("itemprop")
        if prop in _MICRODATA and prop not in found and node.tag != "meta":
            value = node.get("content") or node.get("datetime") or node.get("title")
            if value:
                found[prop] = value
    return found


def _from_meta(doc: Document, fetched_at: datetime, microdata: Callable[[], dict[str, str]],
               keys: tuple[str, ...] = _PUBLISHED_META) -> Dates:
    published = None
    for key in keys:
        published = _machine(doc.meta.get(key), fetched_at)
        if published:
            break
    if keys is _PUBLISHED_META:
        published = published or _machine(microdata().get("datePublished"), fetched_at)
    modified = _machine(doc.meta_first(*_MODIFIED_META) or microdata().get("dateModified"), fetched_at)
    return Dates(published, modified, "meta" if published else None)


def _same_instant_local(value: datetime, others: Iterable[datetime | None]) -> datetime:
    """Of equal instants, the one stated with a non-UTC offset (the page's own)."""
    if value.tzinfo is None or value.utcoffset():
        return value
    for other in others:
        if other is not None and other.tzinfo is not None and other.utcoffset() and other == value:
            return other
    return value


def _url_day_wins(value: datetime, day: date | None) -> bool:
    """A UTC or zone-less ``value`` one day off the URL's day, by an amount some time zone explains."""
    if day is None or value.date() == day or (value.tzinfo is not None and value.utcoffset()):
        return False
    instant = value.replace(tzinfo=None)
    start = datetime.combine(day, time())
    return start - _UTC_OFFSETS[1] <= instant < start + timedelta(days=1) - _UTC_OFFSETS[0]


# ---------------------------------------------------------------- the page around the headline

def _text(node: html.HtmlElement) -> str:
    """Text content, pieces joined by spaces ('News24<br>13 Jan 2020' is not '…2413 Jan 2020')."""
    return " ".join(" ".join(node.itertext()).split())


def _class_id(node: html.HtmlElement) -> str:
    return f"{node.get('class') or ''} {node.get('id') or ''}".lower()


def dayfirst(doc: Document) -> bool | None:
    """Numeric dates day first? English pages of any region but the US write 02/10/2020 for 2 October."""
    locale = (doc.tree.get("lang") or doc.tree.get("xml:lang") or doc.meta.get("og:locale") or "")
    locale = locale.strip().lower().replace("_", "-")
    if not locale.startswith("en-"):
        return None
    return locale[3:5] not in ("us", "ph", "ca")


def _title_text(doc: Document) -> str:
    title = doc.meta.get("og:title") or doc.tree.findtext(".//title") or ""
    return " ".join(unescape(title).split()).lower()


def find_headline(doc: Document) -> html.HtmlElement | None:
    """The post's headline: an h1 or headline-classed element the page title repeats, else the first h1."""
    h1s, classed, minor = [], [], []
    for node in doc.tree.iter("h1", "h2", "h3", "div", "span", "p", "a", "header"):
        if node.tag == "h1":
            h1s.append(node)
        cls = node.get("class")
        # every headline class holds 'tle' or 'adl' in any case: a cheap test before the regex
        if cls and ("tle" in (low := cls.lower()) or "adl" in low) and _HEADLINE_CLASS_RE.search(cls):
            classed.append(node)
        elif node.tag in ("h2", "h3"):
            minor.append(node)
    title = _title_text(doc)
    main = max(_TITLE_SEPARATORS.split(title), key=len) if title else ""
    best, best_len = None, 0
    for node in [*h1s, *classed, *minor]:
        text = _text(node).lower()
        if len(text) < 8 or len(text) <= best_len or _excluded_self(node):
            continue
        if node in minor and len(text) < 0.6 * len(main):
            continue  # a short h2/h3 the title happens to contain (a column name, a section)
        if text in title or (len(main) >= 15 and main in text):
            best, best_len = node, len(text)  # the longest match: the post's title, not the site name in it
    if best is not None:
        return best
    for node in [*h1s, *classed]:
        if not _excluded_self(node) and _text(node):
            return node
    return h1s[0] if h1s else None


def article_scope(doc: Document, headline: html.HtmlElement | None = None) -> html.HtmlElement | None:
    """The element that holds the headline and its byline (article, else the headline's grandparent)."""
    headline = headline if headline is not None else find_headline(doc)
    if headline is None:
        articles = doc.tree.xpath("//article")
        return articles[0] if len(articles) == 1 else None
    for ancestor in headline.iterancestors():
        if ancestor.tag == "article":
            return ancestor
    parent = headline.getparent()
    grand = parent.getparent() if parent is not None else None
    return grand if grand is not None and grand.tag not in ("html", "body") else parent


def _excluded_token(node: html.HtmlElement) -> bool:
    return _excluded_names(node.tag, _class_id(node))


@lru_cache(maxsize=4096)
def _excluded_names(tag: str, names: str) -> bool:
    """``_excluded_token`` of an element by its tag and class/id names (a page repeats them: computed once)."""
    if tag in _EXCLUDED_TAGS:
        return not (tag == "aside" and _POST_META.search(names))  # <aside class="post-meta">
    return any(_EXCLUDED.search(tok) and not _LAYOUT_PREFIX.match(tok) for tok in names.split())


def _excluded_self(node: html.HtmlElement) -> bool:
    """A headline candidate inside a sidebar, comment, navigation or footer (a widget may hold the post)."""
    return any(_headline_excluded_names(a.tag, _class_id(a)) for a in node.iterancestors() if a.tag not in ("html", "body"))


@lru_cache(maxsize=4096)
def _headline_excluded_names(tag: str, names: str) -> bool:
    return tag in _EXCLUDED_TAGS or any(_HEADLINE_EXCLUDED.search(tok) and not _LAYOUT_PREFIX.match(tok)
                                        for tok in names.split())


def _is_listing_box(node: html.HtmlElement) -> bool:
    """A sidebar, widget, comment, related or navigation box (a footer may state the page's own date)."""
    return node.tag in ("aside", "nav") or bool(_LISTING_BOX.search(_class_id(node)))


def _outside_listing_boxes(body: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """``body.iter()`` (document order) without the elements that lie inside a listing box; a box itself is
    yielded, its inside is not visited."""
    if any(_is_listing_box(a) for a in body.iterancestors()):
        return
    stack = [body]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node.tag, str) and not _is_listing_box(node):
            stack.extend(reversed(node))


class _Exclusion:
    """Which elements lie in sidebars/comments/navigation: ancestors that also hold the headline do not count."""

    def __init__(self, headline: html.HtmlElement | None):
        self.keep = set(headline.iterancestors()) if headline is not None else set()
        self.cache: dict[html.HtmlElement, bool] = {}

    def __call__(self, node: html.HtmlElement) -> bool:
        chain = []
        current = node
        verdict = False
        while current is not None and current.tag not in ("html", "body"):
            if current in self.cache:
                verdict = self.cache[current]
                break
            chain.append(current)
            if current not in self.keep and _excluded_token(current):
                verdict = True
                break
            current = current.getparent()
        for item in chain:
            self.cache[item] = verdict
        return verdict


def _elements(nodes: Iterable[Any]) -> Iterator[html.HtmlElement]:
    return (node for node in nodes if isinstance(node.tag, str))


def _after(node: html.HtmlElement, body: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """The elements after ``node`` in document order, up to the end of ``body`` (``node`` inside ``body``):
    its descendants, then each following sibling's subtree of it and of each ancestor below ``body``."""
    yield from _elements(node.iterdescendants())
    while node is not body:
        for sibling in node.itersiblings():
            yield from _elements(sibling.iter())
        node = node.getparent()


def _before(node: html.HtmlElement, body: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """The elements before ``node`` in reverse document order, back to ``body``: each preceding sibling's
    subtree backwards (its last descendant first, the sibling last), then the parent, up to ``body``."""
    while node is not body:
        for sibling in node.itersiblings(preceding=True):
            yield from _backwards(sibling)
        node = node.getparent()
        yield node


def _backwards(root: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """``root``'s subtree in reverse document order, read only as far as the caller takes it."""
    stack: list[tuple[html.HtmlElement, bool]] = [(root, False)]
    while stack:
        node, opened = stack.pop()
        if opened or not len(node):
            if isinstance(node.tag, str):
                yield node
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in node)


def headline_window(doc: Document, headline: html.HtmlElement | None = None) -> list[html.HtmlElement]:
    """Elements around the headline in document order (after it first, then before it), then the
    rest of the article scope. Document order survives malformed markup that breaks nesting."""
    headline = headline if headline is not None else find_headline(doc)
    body = doc.tree.find(".//body")
    scope = article_scope(doc, headline)
    window: list[html.HtmlElement] = []
    if body is not None and headline is not None:
        ancestors = set(headline.iterancestors())
        if headline is body or body in ancestors:
            window = list(islice(_after(headline, body), _AFTER - 1))
            window += [e for e in islice(_before(headline, body), _BEFORE) if e not in ancestors]
        else:  # a headline outside the body: the body's first elements
            window = list(islice(_after(body, body), _AFTER - 1))
    if scope is not None:
        seen = set(window)
        window += [e for e in scope.iter() if isinstance(e.tag, str) and e not in seen]
    excluded = _Exclusion(headline)
    return [e for e in window if not excluded(e)]


def _from_time(window: list[html.HtmlElement], fetched_at: datetime, read: Reader) -> Dates:
    published = modified = None
    for node in window:
        if node.tag != "time":
            continue
        value = _machine(node.get("datetime"), fetched_at)
        if value is None:
            continue
        value = _visible_over_attribute(node, value, read)
        if _UPDATED_CLASS.search(_class_id(node)) or (node.get("itemprop") or "").lower() == "datemodified":
            modified = modified or value
        elif published is None:
            published = value
    return Dates(published, modified, "time" if published else None)


def _visible_over_attribute(node: html.HtmlElement, value: datetime, read: Reader) -> datetime:
    """A ``<time datetime>`` whose own visible full date names another day: the visible day wins."""
    text = _text(node)
    if not text or len(text) > _MAX_VISIBLE or not _FULL_DATE_HINT.search(text):
        return value
    shown = read(text)
    if shown is None or shown.date() == value.date() or abs(shown.replace(tzinfo=None) - value.replace(tzinfo=None)) < timedelta(hours=15):
        return value
    return shown


def _visible_candidates(window: list[html.HtmlElement]) -> Iterable[str]:
    seen: set[str] = set()
    for node in window:
        if node.tag == "time" or _DATE_CLASS.search(_class_id(node)) or "date" in (node.get("itemprop") or "").lower():
            text = _text(node)
            if text and len(text) <= _MAX_VISIBLE and text not in seen:
                seen.add(text)
                yield text


def _loose_candidates(window: list[html.HtmlElement]) -> Iterable[str]:
    """Short elements right after the headline whose text holds a full date ('<li>Datum: 26. Januar 2022</li>'),
    and paragraphs opening with a dateline ('Karlsruhe, (12.11.2021). Traditionell...')."""
    for node in window[:_LOOSE_AFTER]:
        text = _text(node)
        if not text:
            continue
        if len(text) <= _MAX_LOOSE and _FULL_DATE_HINT.search(text):
            yield text
        elif node.tag == "p" and _opens_with_date(text[:_DATELINE]):
            yield text[:_DATELINE]


def _opens_with_date(text: str) -> bool:
    """A dateline: a full date after at most a place name ('BERLIN, 5. Januar 2015', 'Karlsruhe, (12.11.2021)')."""
    match = _FULL_DATE_HINT.search(text)
    return bool(match) and len(text[:match.start()].split()) <= 3


def _from_text(texts: Iterable[str], read: Reader) -> Dates:
    modified = None
    for text in texts:
        value = read(text)
        if value is None:
            continue
        if _UPDATED_TEXT.search(text):
            modified = modified or value
            continue
        return Dates(value, modified, "text")
    return Dates(None, modified, None)


# ---------------------------------------------------------------- URL and htmldate

def url_date(url: str) -> date | None:
    """The full date a URL's path carries (/2020/04/13/, 2020-04-13, /20200413/)."""
    for match in _URL_DATE.finditer(url or ""):
        y, m, d = (match[1], match[3], match[4]) if match[1] else (match[5], match[6], match[7])
        try:
            day = date(int(y), int(m), int(d))
        except ValueError:
            continue
        if day >= EARLIEST.date():
            return day
    return None


@lru_cache(maxsize=1)
def _htmldate():
    """htmldate's find_date, its fallback dateparser restricted to our languages (it would try 200+ locales)."""
    import htmldate.extractors
    from dateparser import DateDataParser
    from htmldate import find_date

    def restricted_parser() -> DateDataParser:
        return _RESTRICTED_PARSER

    original = htmldate.extractors.get_external_parser
    _RESTRICTED_PARSER = DateDataParser(languages=sorted(OWN_LANGUAGES), settings={
        "NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"], "PREFER_DATES_FROM": "past",
        "PREFER_LOCALE_DATE_ORDER": True, "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True})
    if getattr(original, "__name__", "") == "get_external_parser":
        htmldate.extractors.get_external_parser = restricted_parser
    return find_date


def _from_htmldate(doc: Document, fetched_at: datetime, read: Reader) -> Dates:
    """htmldate's search of the markup (its URL rule is ours, so it is not given the URL)."""
    latest = fetched_at.astimezone(timezone.utc).replace(tzinfo=None)
    try:
        found = _htmldate()(doc.tree, url="", original_date=True, extensive_search=True, min_date=EARLIEST,
                            max_date=datetime.combine(latest.date(), time(23, 59, 59)))
    except Exception as err:  # noqa: BLE001 - a library failure is no date, never a failed page
        LOGGER.debug("htmldate failed on %s: %r", doc.url, err)
        return Dates()
    value = plausible(datetime.fromisoformat(found), fetched_at) if found else None
    if value is not None and value.day == 1 and not _shown(doc, value.date(), read):
        value = None  # htmldate fills a missing day with the 1st ('/2024/03/', '© 2019'): a guess, not a date
    return Dates(value, None, "htmldate" if value else None)


def _shown(doc: Document, day: date, read: Reader) -> bool:
    """Does the page's visible text, outside sidebars and widgets, state ``day`` as a full date ('01.11.2023')?"""
    body = doc.tree.find(".//body")
    for node in _outside_listing_boxes(body) if body is not None else ():
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        for piece in (node.text, node.tail):
            if piece and len(piece) <= _MAX_LOOSE and _FULL_DATE_HINT.search(piece):
                value = read(piece)
                if value is not None and value.date() == day:
                    return True
    return False


# ---------------------------------------------------------------- decision

def _vote(candidates: list[Dates]) -> Dates:
    """The day most sources state; a tie goes to the most reliable source (the list's order)."""
    votes: dict[date, int] = {}
    for found in candidates:
        votes[found.published.date()] = votes.get(found.published.date(), 0) + 1
    best = max(votes.values())
    return next(found for found in candidates if votes[found.published.date()] == best)


def _labelled(doc: Document, read: Reader) -> Dates:
    """A date the page labels as the publication date anywhere ('Erschienen am: 01.11.2023', 'نشر في ...')."""
    body = doc.tree.find(".//body")
    if body is None:
        return Dates()
    for node in _outside_listing_boxes(body):
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        for piece in (node.text, node.tail):
            if piece and _PUBLISHED_LABEL.search(piece):
                match = _PUBLISHED_LABEL.search(piece)
                tail = piece[match.end():match.end() + _MAX_LOOSE]
                if len(tail.strip()) < 6 and node.getnext() is not None:
                    tail += " " + _text(node.getnext())[:_MAX_LOOSE]
                value = read(tail) if _FULL_DATE_HINT.search(tail) else None
                if value:
                    return Dates(value, None, "text")
    return Dates()


def extract_dates(doc: Document, fetched_at: datetime, languages: list[str] | None = None) -> Dates:
    """The best-evidenced publication date; modified from any source that states one."""
    day_in_url = url_date(doc.url)
    microdata = lru_cache(maxsize=1)(lambda: _microdata(doc))  # read at most once, only when meta says nothing
    jsonld, meta = _from_jsonld(doc, fetched_at), _from_meta(doc, fetched_at, microdata)
    if jsonld.published:
        jsonld.published = _same_instant_local(jsonld.published, (meta.published,))
    if meta.published:
        meta.published = _same_instant_local(meta.published, (jsonld.published,))
    headline = find_headline(doc)
    window = headline_window(doc, headline)
    read = partial(parse_date, fetched_at=fetched_at, languages=languages, dayfirst=dayfirst(doc), full_only=True)
    timed = _from_time(window, fetched_at, read)
    visible = _from_text(_visible_candidates(window), read)
    if not visible.published:
        visible = _from_text(_loose_candidates(window), read)
    url = Dates(datetime.combine(day_in_url, time()), None, "url") if day_in_url else Dates()
    modified = jsonld.modified or meta.modified or timed.modified or visible.modified
    candidates = [found for found in (meta, jsonld, timed, visible, url) if found.published]
    if not candidates:
        fallbacks = (lambda: _from_meta(doc, fetched_at, microdata, _GENERIC_META), lambda: _labelled(doc, read),
                     lambda: _from_htmldate(doc, fetched_at, read))
        candidates = next(([found] for found in (f() for f in fallbacks) if found.published), [])
    if not candidates:
        return Dates(None, modified, None)
    chosen = _vote(candidates)
    if chosen.source != "url" and _url_day_wins(chosen.published, day_in_url):
        chosen = url
    return Dates(chosen.published, modified, chosen.source)
