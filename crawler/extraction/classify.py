"""Is this page a single blog post / news article?  Signals from metadata, markup and URL.

Listings (home, pagination, category/tag/author/date archives, search; ``archives.py``), feeds, static
pages and error pages are not articles. Print views are articles (``noindex`` tells them apart). An
error page says so in its body class (``error404``) or in a title ("404", "not found", خطأ) over little
text; a short story with article metadata whose headline says "error" (خطأ) or "not found" is no error.

The verdict does not hinge on the date: a page whose structure says "one post" (single-post body
classes, article JSON-LD or og:type, a dated post URL, Blogger/WordPress post markup, one headline over
a long body, a URL in an editorial section: "/magazin/tipps/magic-cleaning/", "/actualites/la-fete") is an
article even when no date is found (it is stored with ``published`` null). A static
page (WordPress body class ``page``/``page-template-*`` without article JSON-LD, an about / contact /
services path) is never an article, however long and whatever its og:type (SEO plugins set "article"
on every page); but a WordPress page whose one post container (``<article>``, ``#post-N``) has the
post type's class (``post`` / ``type-post``, not ``page`` / ``type-page``) was written as a post: a
magazine that publishes stories as pages keeps the post template.

Article metadata is og:type "article", article JSON-LD, or exactly one schema.org article item in the
markup (microdata). A page with teaser lists (related stories, most read) is a listing only when its
teasers link to several different posts of the site and its extracted body does not stand apart from
them (``teasers.py``): sections of one story set in ``<article>``, listicle items that link out and
boxes of many post links are no teasers. News CMS that set og:type "website" on every page get their
stories through this. A page without a URL (a saved page) is judged by its content. One headline over
a long body is a post even under og:type "website"; the site's name or logo set in ``<h1>`` (empty, in
the navigation, or a link to the site root) is not a headline.

An embed-only post (a video or image post: post signals, a body that is only an embed, see
``embeds.py``) is an article of ``kind`` ``embed``: stored with its title, date and embed URLs.

A page whose text only JavaScript renders has none in its HTML and is refused as ``too-short`` here;
the crawl renders such pages with a browser (``crawler/rendering.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from .archives import archive_url
from .document import ARTICLE_TYPES, Document, class_id, class_tokens, jsonld_types
from .embeds import embed_urls
from .teasers import is_teaser_list

_ARCHIVE_BODY = frozenset({"home", "blog", "archive", "category", "tag", "author", "search", "search-results",
                           "date", "paged", "tax", "term"})
_STATIC_BODY = frozenset({"page", "page-template-default", "page-template"})
_CONTAINER_TYPES = frozenset({"post", "type-post", "page", "type-page"})
_POST_PATH = re.compile(r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/(?:(?:0?[1-9]|[12]\d|3[01])/)?[^/]*[^\d/][^/]*(?:/|\.html?)?$")
_STATIC_PATH = re.compile(
    r"(?:^|/)(?:about|about-us|about-me|contact|contact-us|contacts|services|our-services|team|our-team|"
    r"privacy|privacy-policy|terms|terms-of-service|terms-and-conditions|imprint|impressum|datenschutz|kontakt|"
    r"faq|careers|jobs|pricing|a-propos|qui-sommes-nous|mentions-legales|من-نحن|اتصل-بنا|اتصل-بنا|سياسة-الخصوصية|"
    r"الخدمات|خدماتنا|عن-الموقع|من-نحن-2)(?:/|\.html?)?$")
_POST_BODY_CLASS = re.compile(r"(?<![\w-])(?:post-body|entry-content|post-content|article-body|article-content)(?![\w-])")
_POST_TITLE_CLASS = re.compile(r"(?<![\w-])(?:post-title|entry-title)(?![\w-])")
# Sections of a site that hold its stories (the first path segments before the slug).
_EDITORIAL_SECTIONS = frozenset({"blog", "blogs", "news", "magazin", "magazine", "article", "articles", "artikel",
                                 "story", "stories", "actualites", "actualite", "actus", "noticias", "nachrichten",
                                 "aktuelles", "أخبار", "اخبار", "مقالات", "مدونة", "المدونة"})
_SLUG = re.compile(r"[^\W\d_]{2,}[-_][^\W\d_]{2,}")  # two words joined by a hyphen or an underscore
MIN_LONE_HEADLINE_CHARS = 1200  # one <h1> over this much text is a post even without other signals
_ERROR_BODY = frozenset({"error404", "error-404", "not-found"})
_ERROR_TITLE = re.compile(r"\b404\b|not found|page introuvable|غير موجود|لم يتم العثور|خطأ")
MIN_ARTICLE_CHARS = 200
MIN_STRONG_ARTICLE_CHARS = 40  # a short post that says it is one (og:type, single-post)
_FEED_ROOT = ("rss", "feed", "rdf")


@dataclass(slots=True)
class Verdict:
    is_article: bool
    reason: str | None = None
    embeds: tuple[str, ...] = ()  # an embed-only post: what its body embeds (its text is these URLs)


def noindex(doc: Document) -> bool:
    """robots / googlebot meta says noindex."""
    for key in ("robots", "googlebot"):
        if "noindex" in (doc.meta.get(key) or "").lower():
            return True
    return False


def _url_listing(url: str) -> bool:
    return bool(url) and archive_url(url)  # no URL known (a saved page): the URL says nothing


def _article_metadata(doc: Document) -> bool:
    og_type = (doc.meta.get("og:type") or "").lower()
    return og_type == "article" or bool(doc.jsonld_articles()) or _one_microdata_article(doc)


def _one_microdata_article(doc: Document) -> bool:
    """Exactly one schema.org article item in the markup (``itemtype=".../NewsArticle"``); a listing
    marks up each of its teasers so."""
    items = doc.tree.xpath("//*[@itemtype]/@itemtype")
    return sum(t.rstrip("/ ").rsplit("/", 1)[-1].lower() in ARTICLE_TYPES for t in items) == 1


def _website_metadata(doc: Document) -> bool:
    og_type = (doc.meta.get("og:type") or "").lower()
    kinds = set().union(*(jsonld_types(o) for o in doc.jsonld)) if doc.jsonld else set()
    return og_type in ("website", "profile", "blog") or bool(kinds & {"collectionpage", "searchresultspage", "profilepage"})


def _static_page(doc: Document, body: set[str]) -> bool:
    """A WordPress page (body class page / page-template-*, unless its one post container says post) or
    an about/contact/services path, without article JSON-LD."""
    if doc.jsonld_articles():
        return False
    wp_page = bool(body & _STATIC_BODY) or any(c.startswith("page-template") for c in body)
    if _STATIC_PATH.search(unquote(urlsplit(doc.url).path or "/").lower()):
        return True
    return wp_page and not _post_container(doc)


def _post_container(doc: Document) -> bool:
    """The page's one post container (``<article>``, ``#post-N``) is of WordPress's post type: class
    ``post`` or ``type-post`` (post_class() names the type; a page's says ``page type-page``). Magazine
    themes publish stories as pages but keep the post template."""
    containers = doc.tree.xpath("//article | //*[starts-with(@id, 'post-')]")
    types = {t for node in containers for t in class_tokens(node) if t in _CONTAINER_TYPES}
    main = [node for node in containers if _CONTAINER_TYPES & set(class_tokens(node))]
    return len(main) == 1 and not types & {"page", "type-page"}


def _post_markup(doc: Document) -> bool:
    """One post's markup: a dated post URL (/2024/03/slug/, Blogger's /2024/03/slug.html), or exactly one
    post body and one post title (Blogger ``div.post-body`` + ``h3.post-title``, WordPress entry-*)."""
    if _POST_PATH.search(urlsplit(doc.url).path or "/"):
        return True
    bodies = titles = 0
    for node in doc.tree.iter("div", "article", "section", "h1", "h2", "h3"):
        cls = node.get("class")
        if not cls:
            continue
        bodies += bool(_POST_BODY_CLASS.search(cls))
        titles += bool(_POST_TITLE_CLASS.search(cls))
    return bodies == 1 and titles == 1


def _editorial_path(url: str) -> bool:
    """A story's URL in an editorial section: "/magazin/tipps/magic-cleaning/", "/blog/2nd-try.html",
    "/actualites/la-fete-du-quartier" (a section name, then a slug of several words, the last segment)."""
    segments = [s for s in unquote(urlsplit(url).path or "/").lower().split("/") if s]
    return (len(segments) >= 2 and any(s in _EDITORIAL_SECTIONS for s in segments[:-1])
            and bool(_SLUG.search(segments[-1])))


def _lone_headline(doc: Document, text: str) -> bool:
    return len(text) >= MIN_LONE_HEADLINE_CHARS and len(_headlines(doc)) == 1


def _headlines(doc: Document) -> list:
    """The page's ``<h1>`` headlines, leaving out the site's own: an empty one, one in the navigation,
    one that is a link to the site root (a logo or site name set in ``<h1>``)."""
    found = []
    for h1 in doc.tree.iter("h1"):
        links = [a.get("href") or "" for a in h1.iter("a")]
        if not h1.text_content().strip() or any(a.tag == "nav" for a in h1.iterancestors()):
            continue
        if links and all(_root_link(doc.url, href) for href in links):
            continue
        found.append(h1)
    return found


def _root_link(page_url: str, href: str) -> bool:
    try:
        return (urlsplit(urljoin(page_url, href.strip())).path or "/") == "/"
    except ValueError:
        return False


def classify(doc: Document, text: str, has_date: bool) -> Verdict:
    """Decide from the strongest signal down."""
    body = doc.body_classes()
    title = (doc.tree.findtext(".//title") or "").lower()
    if body & _ERROR_BODY or (_ERROR_TITLE.search(title) and len(text) < 1000 and not _article_metadata(doc)):
        return Verdict(False, "error-page")  # a headline may say "error" (خطأ) or "not found": article metadata wins
    single = "single" in body or "single-post" in body or "postid" in " ".join(body)
    if body & _ARCHIVE_BODY and not single:
        return Verdict(False, "listing")
    if not single and _static_page(doc, body):
        return Verdict(False, "static-page")
    strong = single or _article_metadata(doc) or _post_markup(doc)
    if _url_listing(doc.url) and not strong:
        return Verdict(False, "listing-url")
    if not strong and is_teaser_list(doc, text):
        return Verdict(False, "listing")
    embeds = tuple(embed_urls(doc)) if strong and len(text) < MIN_ARTICLE_CHARS else ()
    if embeds:  # a video or image post: a caption at most, then the embed
        return Verdict(True, embeds=embeds)
    if len(text) < (MIN_STRONG_ARTICLE_CHARS if strong else MIN_ARTICLE_CHARS):
        return Verdict(False, "too-short")
    if strong:
        return Verdict(True)
    if has_date or _lone_headline(doc, text) or _editorial_path(doc.url):
        return Verdict(True)
    if _website_metadata(doc):
        return Verdict(False, "static-page")
    return Verdict(False, "no-date")
