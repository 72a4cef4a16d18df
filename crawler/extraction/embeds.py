"""Embed-only posts: a video or image post whose body is only an embed (a YouTube iframe, a WordPress
video or embed block, a gallery). Pure: reads the parsed page, nothing else.

``embed_urls(doc)`` gives the absolute URLs of what the post body embeds: iframes of video and media
players, ``<video>``/``<audio>`` sources, the URL a WordPress embed block holds as text, and the images
of the body (not icons). Only the post body counts (``entry-content``, ``post-body``, ``post-content``,
``article-body``, ``article-content``, else a single ``<article>``): a sidebar's video never makes a post.

Such a post is stored (``kind`` ``embed``) with its title, date and these URLs, one a line, as its text
(after a caption, when it has one): see ``classify``.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .document import Document

MAX_EMBEDS = 20
MIN_IMAGE_SIDE = 100  # an <img> declared smaller than this is an icon, an emoji or an avatar
_BODY_CLASS = re.compile(r"(?<![\w-])(?:post-body|entry-content|post-content|article-body|article-content)(?![\w-])")
_PLAYERS = re.compile(
    r"(?:^|\.)(?:youtube\.com|youtube-nocookie\.com|youtu\.be|vimeo\.com|dailymotion\.com|soundcloud\.com|"
    r"facebook\.com|instagram\.com|twitter\.com|x\.com|tiktok\.com|spotify\.com|archive\.org|streamable\.com)$"
)
_URL_TEXT = re.compile(r"^https?://\S+$")


def post_bodies(doc: Document) -> list:
    """The post body elements: the post-body classes, else the page's one <article>."""
    found = [node for node in doc.tree.iter("div", "section", "article", "main")
             if _BODY_CLASS.search(node.get("class") or "")]
    if found:
        return [n for n in found if not any(a in found for a in n.iterancestors())]
    articles = doc.tree.xpath("//article")
    return articles if len(articles) == 1 else []


def embed_urls(doc: Document) -> list[str]:
    """Absolute URLs of what the post body embeds, in page order, without repeats."""
    urls: list[str] = []
    for body in post_bodies(doc):
        for node in body.iter("iframe", "video", "audio", "source", "embed", "img", "div"):
            url = _embed_of(node)
            if url:
                absolute = _joined(doc.url, url.strip())
                if absolute.startswith(("http://", "https://")) and absolute not in urls:
                    urls.append(absolute)
            if len(urls) >= MAX_EMBEDS:
                return urls
    return urls


def _embed_of(node) -> str | None:
    tag = node.tag
    if tag in ("iframe", "embed"):
        src = node.get("src") or node.get("data-src") or ""
        return src if _PLAYERS.search((urlsplit(_joined("http://x/", src)).hostname or "").lower()) else None
    if tag in ("video", "audio", "source"):
        return node.get("src") or None
    if tag == "img":
        return _image(node)
    if tag == "div" and "wp-block-embed__wrapper" in (node.get("class") or ""):  # an oEmbed not rendered: its URL
        text = (node.text or "").strip()
        return text if _URL_TEXT.match(text) and len(node) == 0 else None
    return None


def _image(node) -> str | None:
    src = node.get("src") or node.get("data-src") or ""
    if not src or src.startswith("data:"):
        return None
    for side in ("width", "height"):
        value = (node.get(side) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_IMAGE_SIDE:
            return None
    return src


def _joined(base: str, url: str) -> str:
    """``url`` made absolute; "" for a mangled one ("http://[x": urljoin raises)."""
    try:
        return urljoin(base, url)
    except ValueError:
        return ""
