"""Post-filter of body lines: labels, read-also lines, attributions, bylines, copyright, credits, calls to
subscribe or follow, publisher promotions, comment rules, views disclaimers, newsroom notes, tag lists, the
meta keywords, the title; repeated copies of earlier text; a related-content tail; a breadcrumb trail; bare
date lines opening or closing the body."""

from __future__ import annotations

import re

from . import explain
from .patterns import (AFFILIATE, AFFILIATE_KEYS, AGENCY_CREDIT, ATTRIBUTION, BYLINE, CATEGORY_LINE, COMMENT_KEYS,
                       COMMENT_POLICY, CONTACT, CONTACT_KEYS, COPYRIGHT, COPYRIGHT_KEYS, COURTESY, CREDIT,
                       DATE_TOKEN, DISCLAIMER_KEYS, FEEDBACK, FEEDBACK_KEYS, HOME_LABELS, LABEL_LINES, MONTH,
                       NEWSROOM_KEYS, NEWSROOM_NOTE, PAGE_INFO, PAGE_WIDGET, PRESS_CONTACT, PROMO, PROMO_KEYS,
                       REACH_REPORTER, READ_ALSO_PREFIX, RELATED_HEADING, RELATED_HEADINGS, SOURCE, SUBSCRIBE,
                       SUBSCRIBE_KEYS, VIEWS_DISCLAIMER, normalize)
from .text import fold

_SHORT = 25  # words: longer lines are article prose whatever they start with
_BYLINE_WORDS = 8
_CREDIT_WORDS = 10
_TAG_ITEMS = 6
_SOURCE_WORDS = 6
_NOTICE_WORDS = 50
_PROMO_WORDS = 80
_KEYWORD_COMMAS = 2
_DATE_WORDS = 10
_DATE_TOKENS = re.compile(r"[\w.:]+|[-–—|,/·•@]")
_REPEAT_CHARS = 80  # folded characters: headings and list items may repeat on purpose
# Machine values that hidden microdata blocks leak: an ISO timestamp.
_MACHINE_VALUE = re.compile(r"^(?:\d{4}-\d\d-\d\d(?:[Tt ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[Zz]|[+-]\d\d:?\d\d)?)?)$")


def is_noise_line(line: str) -> bool:
    """A line that is interface text rather than article prose."""
    norm = normalize(line)
    if _MACHINE_VALUE.match(norm):
        return True
    if norm in LABEL_LINES or norm.rstrip(" :：") in LABEL_LINES:
        return True
    words = len(norm.split())
    if words <= _PROMO_WORDS and _gated(PROMO_KEYS, PROMO, norm):
        return True
    if words <= _NOTICE_WORDS and (_gated(COMMENT_KEYS, COMMENT_POLICY, norm)
                                   or _gated(DISCLAIMER_KEYS, VIEWS_DISCLAIMER, norm)
                                   or REACH_REPORTER.match(norm) or _gated(AFFILIATE_KEYS, AFFILIATE, norm)):
        return True
    if words > _SHORT:
        return False
    if (READ_ALSO_PREFIX.match(norm) or ATTRIBUTION.search(norm) or _gated(COPYRIGHT_KEYS, COPYRIGHT, norm)
            or _gated(SUBSCRIBE_KEYS, SUBSCRIBE, norm)):
        return True
    if _gated(NEWSROOM_KEYS, NEWSROOM_NOTE, norm) or _gated(FEEDBACK_KEYS, FEEDBACK, norm):
        return True
    if words <= _CREDIT_WORDS and (CREDIT.match(norm) or AGENCY_CREDIT.match(norm)) or COURTESY.match(norm):
        return True
    if _gated(CONTACT_KEYS, CONTACT, norm) or is_tag_list(norm) or _is_category_line(norm):
        return True
    if words <= _SOURCE_WORDS and (SOURCE.match(norm) or PAGE_INFO.match(norm) or PAGE_WIDGET.match(norm)):
        return True
    if words <= _DATE_WORDS + 3 and is_labelled_date_line(norm):
        return True
    return words <= _BYLINE_WORDS and bool(BYLINE.search(norm))


def _gated(keys: tuple[str, ...], pattern: re.Pattern, norm: str) -> bool:
    """``pattern.search(norm)``, run only when ``norm`` holds one of ``keys`` (words every match holds): most
    lines hold none, and a substring test is far cheaper than the pattern."""
    return any(map(norm.__contains__, keys)) and pattern.search(norm) is not None


_LIST_SEPARATORS = re.compile(r"[,•|/·;]")


def _is_category_line(norm: str) -> bool:
    """A category or tag label and its names: short items ("Guides • Silkroad • Tipps & Tricks"), or none."""
    match = CATEGORY_LINE.match(norm)
    if not match:
        return False
    items = [item.split() for item in _LIST_SEPARATORS.split(norm[match.end():])]
    return all(len(item) <= 4 for item in items)


def is_tag_list(norm: str) -> bool:
    """A comma-separated run of short keywords without a sentence in it: a tag or keyword list."""
    items = [item.strip() for item in norm.split(",")]
    return (len(items) >= _TAG_ITEMS and not any(ch in norm for ch in ".!?؟。:")
            and all(item and len(item.split()) <= 4 for item in items))


def filter_lines(lines: list[str], *, title: str | None = None, sitename: str | None = None,
                 keywords: str | None = None) -> list[str]:
    """Drop noise lines, the headline (when repeated at the top), the site name and the meta keywords list."""
    drop = {fold(s) for s in (title, sitename) if s}
    if keywords and keywords.count(",") >= _KEYWORD_COMMAS:  # a list, not one word that a heading may be
        drop.add(fold(keywords))
    drop.discard("")
    lines = cut_press_contact(cut_related_tail(drop_repeats(lines)))
    kept = [line for line in lines if fold(line) not in drop]
    explain.dropped(lines, kept, "the headline, site name or meta keywords")
    lines = [line for line in kept if not is_noise_line(line)]
    explain.dropped(kept, lines, explain.NOISE_LINE)
    return drop_edge_dates(drop_breadcrumbs(lines))


_CRUMB_SEPARATORS = " ›»>/|·•\u00a0"
_CRUMB_WORDS = 4
_CRUMB_LINES = 6
_CRUMB_START = 5  # a trail stands among the body's first lines


def drop_breadcrumbs(lines: list[str]) -> list[str]:
    """A breadcrumb trail the extractor kept as lines ("Home ›", "World ›", "News"): a home link near the
    top followed by one to five short lines, up to the first line of prose."""
    for start, line in enumerate(lines[:_CRUMB_START]):
        if normalize(line).strip(_CRUMB_SEPARATORS) not in HOME_LABELS:
            continue
        end = start + 1
        while (end < len(lines) and end - start < _CRUMB_LINES and len(lines[end].split()) <= _CRUMB_WORDS
               and not lines[end].rstrip().endswith((".", "!", "?", "؟"))):
            end += 1
        if end - start >= 2:
            explain.removed(lines[start:end], "breadcrumb trail")
            return lines[:start] + lines[end:]
    return lines


def drop_edge_dates(lines: list[str]) -> list[str]:
    """A line that is only a date (and time) opening or closing the body is the page's dateline."""
    while lines and is_date_line(lines[0]):
        explain.removed(lines[0], "date line")
        lines = lines[1:]
    while lines and is_date_line(lines[-1]):
        explain.removed(lines[-1], "date line")
        lines = lines[:-1]
    return lines


# "23.10.2018", "2018-10-23 14:05", "10/23/2018 - 2:05 pm": a numeric date (and time) and nothing else.
_NUMERIC_DATE = re.compile(r"^(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})"
                           r"(?:\s*[-–—|,·•@]?\s*(?:um |at |a las |à )?\d{1,2}[:.h]\d\d(?:[:.]\d\d)?(?:\s*(?:uhr|am|pm|h))?)?$")


# A publication or update label before a date: "Créé: 12.12.2019, 07h36", "Erstellt am Dienstag 6. Mai 2014".
_DATE_LABEL = re.compile(
    r"^(?:last |zuletzt )?(?:updated|published|posted|created|modified|cree|creee|publie|publiee|mis a jour|modifie|"
    r"erstellt|veroffentlicht|aktualisiert|geandert|actualizado|publicado|creado|تم النشر|نشر في|نشر بتاريخ|"
    r"تاريخ النشر|اخر تحديث|تم التحديث)(?: (?:on|at|am|le|el|في))?\s*[:：]?\s*")


def is_labelled_date_line(norm: str) -> bool:
    """A date label and a date (and time), nothing else: the page's dateline, wherever it stands."""
    match = _DATE_LABEL.match(norm)
    return bool(match) and match.end() < len(norm) and is_date_line(norm[match.end():])


def is_date_line(line: str) -> bool:
    """"Monday, November 18, 2019", "20. November 2019 - 11:28 MEZ", "18 نوفمبر 2019": a month name, a number,
    and nothing but weekdays, numbers, times, zone abbreviations and separators; or a numeric date
    ("23.10.2018", "2019-11-18 08:05"), a time at most after it."""
    norm = normalize(line)
    if _NUMERIC_DATE.match(norm):
        return True
    tokens = _DATE_TOKENS.findall(norm)
    return (2 <= len(tokens) <= _DATE_WORDS and any(ch.isdigit() for ch in line)
            and any(MONTH.fullmatch(tok.rstrip(".")) for tok in tokens)
            and all(DATE_TOKEN.fullmatch(tok) for tok in tokens))


def is_related_heading(line: str) -> bool:
    """A standalone "Related" / "Top stories" / "اقرأ أيضا" heading (trailing dots and colons ignored)."""
    norm = normalize(line).rstrip(" .…:：")
    if norm in RELATED_HEADINGS or RELATED_HEADING.match(norm):
        return True
    match = READ_ALSO_PREFIX.match(norm)
    return bool(match) and not norm[match.end():].strip()


def _second_half(lines: list[str]) -> int:
    """The index of the first line with half of the body's characters or more before it."""
    total = sum(len(line) for line in lines)
    done = 0
    for index, line in enumerate(lines):
        if done >= total / 2:
            return index
        done += len(line)
    return len(lines)


def cut_related_tail(lines: list[str]) -> list[str]:
    """Stop at a related-content heading standing in the second half of the body."""
    for index in range(_second_half(lines), len(lines)):
        if is_related_heading(lines[index]):
            explain.removed(lines[index:], "related-content list (after a related heading)")
            return lines[:index]
    return lines


_CONTACT_LINES = 8  # the most lines of a closing contact block
_CONTACT_WORDS = 12  # a contact block line: a name, a role, an address, a phone number


def cut_press_contact(lines: list[str]) -> list[str]:
    """Stop at a press-contact label in the second half of the body when only a short contact block
    (a few short lines: name, role, address, phone, e-mail) follows it to the end."""
    for index in range(max(1, len(lines) - _CONTACT_LINES - 1, _second_half(lines)), len(lines)):
        if PRESS_CONTACT.match(normalize(lines[index])) and all(
                len(line.split()) <= _CONTACT_WORDS for line in lines[index + 1:]):
            explain.removed(lines[index:], "press contact block")
            return lines[:index]
    return lines


def drop_repeats(lines: list[str]) -> list[str]:
    """Drop a line whose words all came earlier, in order: a hidden copy or a truncated teaser of the body."""
    kept: list[str] = []
    seen = ""
    for line in lines:
        key = fold(line).rstrip(".…")
        if len(key) >= _REPEAT_CHARS and key in seen:
            explain.removed(line, "repeated text (a hidden copy or a teaser)")
            continue
        kept.append(line)
        seen += key
    return kept
