"""Other stories on an article's page: the next story an infinite scroll appended, a second post below.

A page that holds several stories side by side, each an <article> with its own headline, is one story
and the others when one of those headlines is the page's title: the others are dropped before the body
is chosen, wherever they stand (siblings, or together inside one scroll container). A story has text
(a teaser card that repeats the title does not count) and a headline of a few words (an <article> per
section of one recipe, "Zubereitung", "Comments", is not another story). Nothing is dropped when no
story's headline is the title (an archive or a front page is judged elsewhere), nor when the page has
a single <article>.
"""

from __future__ import annotations

from lxml import html

from . import explain
from .document import text_of
from .text import fold

_HEADLINES = ("h1", "h2")
_STORY_CHARS = 400  # an <article> with less text is a card or a teaser, left to the other rules
_HEADLINE_WORDS = 3
_HEADLINE_CHARS = 20


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
