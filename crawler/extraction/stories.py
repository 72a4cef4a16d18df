"""Other stories on an article's page: the next story an infinite scroll appended, a second post below.

A page that holds several stories side by side, each an <article> with its own headline, is one story
and the others when one of those headlines is the page's title: the others are dropped before the body
is chosen, wherever they stand (siblings, or together inside one scroll container). A story has text
(a teaser card that repeats the title does not count) and a headline of a few words (an <article> per
section of one recipe, "Zubereitung", "Comments", is not another story). Nothing is dropped when no
story's headline is the title (an archive or a front page is judged elsewhere), nor when the page has
a single <article>.

The other way round, one story may be set in several sibling <article> boxes: a recipe's header (the
headline and its intro), its ingredients, its nutrition facts and its preparation. Trafilatura takes one
<article> for the body, and the ingredients are lost. When the story's text (the densest block) stands in
one of such boxes, the first box holds the page's one ``<h1>``, and no box is titled by a link or made of
links (a listing's entries and teasers are), and the boxes share a class name (one template's boxes:
"ds-box"; an author box or a call to action beside a story does not), they become sections of one <article>.
"""

from __future__ import annotations

from typing import Callable

from lxml import html

from . import explain
from .document import class_tokens, text_of
from .text import fold

_HEADLINES = ("h1", "h2")
_STORY_CHARS = 400  # an <article> with less text is a card or a teaser, left to the other rules
_HEADLINE_WORDS = 3
_HEADLINE_CHARS = 20
_SECTION_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MAX_SECTIONS = 8
_LINKED_SHARE = 0.5


def _headline(article: html.HtmlElement) -> str:
    """The text of the article's first h1/h2 with a word in it."""
    return next((text for text in map(text_of, article.iter(*_HEADLINES)) if fold(text)), "")


def _outermost_articles(tree: html.HtmlElement) -> list[html.HtmlElement]:
    return [a for a in tree.iter("article") if not any(p.tag == "article" for p in a.iterancestors())]


def _matches(headline: str, key: str) -> bool:
    return bool(headline) and (headline == key or key.startswith(headline) or headline.startswith(key))


def drop_other_stories(tree: html.HtmlElement, title: str | None) -> None:
    """Drop the full stories (headline and body) that are not the page's, once one is."""
    key = fold(title)
    if not key:
        return
    articles = _outermost_articles(tree)
    if len(articles) < 2:
        return
    stories = []
    for article in articles:
        headline = _headline(article)
        stories.append((article, headline, _matches(fold(headline), key), len(text_of(article))))
    if not any(match and chars >= _STORY_CHARS for _, _, match, chars in stories):
        return
    for article, headline, match, chars in stories:
        if chars < _STORY_CHARS or match or not _is_story_headline(headline):
            continue
        if article.getparent() is not None:
            explain.removed(article, "another story on the page (its own headline)")
            article.drop_tree()


def _is_story_headline(headline: str) -> bool:
    """A story's headline is a phrase ("Orchestra announces its season"), a section's a word or two
    ("Zubereitung", "Comments")."""
    return len(headline.split()) >= _HEADLINE_WORDS and len(headline) >= _HEADLINE_CHARS


def join_story_sections(densest: html.HtmlElement | None, noise: Callable[[html.HtmlElement], bool]) -> None:
    """The sibling <article> boxes that hold one story (see the module's doc) become sections of one <article>:
    the boxes from the first on, up to one that is no section (a box titled by a link, made of links, or
    that ``noise`` names so: a comments box; the headline's own box is named "header" on many sites)."""
    own = next((a for a in ([densest, *densest.iterancestors()] if densest is not None else ())
                if a.tag == "article"), None)
    parent = own.getparent() if own is not None else None
    if parent is None:
        return
    boxes = []
    for box in (child for child in parent if child.tag == "article"):
        if not _section_like(box) or noise(box) and next(box.iter("h1"), None) is None:
            break  # the headline's box is the story's header, however it is named
        boxes.append(box)
    if not 2 <= len(boxes) <= _MAX_SECTIONS or own not in boxes:
        return
    if not set.intersection(*(set(class_tokens(box)) for box in boxes)):
        return  # boxes of one template share a class ("ds-box"); an author box or a call to action does not
    if [box for box in boxes if next(box.iter("h1"), None) is not None] != boxes[:1]:
        return
    start, end = parent.index(boxes[0]), parent.index(boxes[-1])
    story = html.Element("article")
    members = list(parent)[start:end + 1]
    parent.insert(start, story)
    for member in members:
        story.append(member)  # its tail goes with it
        if member.tag == "article":
            member.tag = "section"


def _section_like(box: html.HtmlElement) -> bool:
    """No heading of the box is a link, and its text is not mostly links."""
    if any(a.get("href") for heading in box.iter(*_SECTION_HEADINGS) for a in heading.iter("a")):
        return False
    text = len(text_of(box))
    return sum(len(text_of(a)) for a in box.iter("a")) < _LINKED_SHARE * text if text else True
