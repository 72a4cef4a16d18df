"""On how many distinct dev sites does each extraction rule change the body text?

    python bench/rule_audit.py [DATASETS_DIR] [--rule SUBSTRING] [--sample N]

Every rule of crawler/extraction/ is listed: each branch of a vocabulary regex (READ_ALSO, PROMO,
NOISE_CLASS...), each phrase of a phrase set (LABEL_LINES, RELATED_HEADINGS...), each structural step
(drop_repeats, join_split_body...). A rule is ablated (its branch or phrase removed, its step made a
no-op) and the pages of both dev benchmarks are extracted again; a site counts when the body text of
one of its pages changes. Line rules are replayed on the recorded lines (cheap); tree rules re-run the
body extraction on the pages where the rule can fire (its branch found in the page's class names or
text), at most --sample pages for a branch or phrase, all pages for a step,
in a fixed order mixing both benchmarks, stopping once 3 sites changed ("3+").

Output, one line per rule: sites changed, pages where it could fire, the rule. The owner's rule: a
rule stays when it is common interface vocabulary of a served language or changes 3+ dev sites.
"""

from __future__ import annotations

import argparse
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extraction_quality import FETCHED_AT, load, site_of  # noqa: E402

from crawler.extraction import body as body_mod, clean as clean_mod, edges as edges_mod, lead as lead_mod  # noqa: E402
from crawler.extraction import lines as lines_mod  # noqa: E402
from crawler.extraction import patterns  # noqa: E402
from crawler.extraction.body import extract_body  # noqa: E402
from crawler.extraction.document import class_id  # noqa: E402
from crawler.items import PageSnapshot  # noqa: E402
import crawler.extraction as extraction  # noqa: E402

MODULES = (edges_mod, patterns, lines_mod, clean_mod, body_mod, lead_mod)
ENOUGH = 3


def branches(pattern: str) -> list[tuple[int, int]]:
    """Spans of the alternatives of the pattern's main alternation: the top level, or the one group that
    (with a short prefix/suffix) makes up the whole pattern, recursively."""
    spans = _split(pattern, 0, len(pattern))
    if len(spans) > 1:
        out = []
        for start, end in spans:
            inner = _main_group(pattern, start, end)
            out.extend(inner if inner else [(start, end)])
        return out
    return _main_group(pattern, 0, len(pattern)) or []


def _main_group(pattern: str, start: int, end: int) -> list[tuple[int, int]] | None:
    depth, i, open_at = 0, start, None
    groups = []
    while i < end:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(pattern, i)
            continue
        if ch == "(":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                groups.append((open_at, i))
        i += 1
    best = max(groups, key=lambda g: g[1] - g[0], default=None)
    if best is None or (best[1] - best[0]) < 0.6 * (end - start):
        return None
    prefix = pattern[start:best[0]].replace("\\b", "")
    if any(ch.isalnum() for ch in prefix.replace("\\s", "")):  # a phrase's own variants: one rule
        return None
    body_start = best[0] + (3 if pattern.startswith("(?:", best[0]) else 1)
    spans = _split(pattern, body_start, best[1])
    if len(spans) < 3:
        return None
    return spans


def _class_end(pattern: str, i: int) -> int:
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _split(pattern: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, depth, i, last = [], 0, start, start
    while i < end:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(pattern, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            spans.append((last, i))
            last = i + 1
        i += 1
    spans.append((last, end))
    return spans


def without_branch(pattern: str, span: tuple[int, int]) -> str:
    start, end = span
    if end < len(pattern) and pattern[end] == "|":
        return pattern[:start] + pattern[end + 1:]
    if start > 0 and pattern[start - 1] == "|":
        return pattern[:start - 1] + pattern[end:]
    return pattern[:start] + "(?!)" + pattern[end:]


@dataclass
class Rule:
    name: str
    level: str  # "line" (replayed on recorded lines) or "tree"
    patch: Callable[[], Callable[[], None]]  # applies the ablation, returns the undo
    could_fire: Callable[[dict], bool] = field(default=lambda page: True)


def _set(name: str, value: Any) -> Callable[[], None]:
    old = {m: getattr(m, name) for m in MODULES if hasattr(m, name)}
    for m in old:
        setattr(m, name, value)
    return lambda: [setattr(m, k_value[0], k_value[1]) for m, k_value in ((m, (name, v)) for m, v in old.items())]


def regex_rules(name: str, level: str, text_key: str, wrap: Callable[[str], str] | None = None,
                source: str | None = None, module=patterns) -> list[Rule]:
    """One rule per branch of the regex ``name`` (or of the source string ``source`` it is built from)."""
    compiled = getattr(module, name)
    src = getattr(module, source) if source else compiled.pattern
    rules = []
    for span in branches(src):
        branch = src[span[0]:span[1]]
        ablated = without_branch(src, span)
        new = re.compile(wrap(ablated) if wrap else ablated, compiled.flags)
        try:
            probe = re.compile(branch.removeprefix("^").removesuffix("$"), compiled.flags)
        except re.error:
            probe = re.compile("")
        rules.append(Rule(f"{name}: {branch}", level, lambda n=name, v=new: _set(n, v),
                          lambda page, p=probe: any(p.search(t) for t in page[text_key])))
    return rules


def set_rules(name: str, level: str, text_key: str, module=patterns) -> list[Rule]:
    values = getattr(module, name)
    rules = []
    for value in sorted(values):
        rules.append(Rule(f"{name}: {value}", level, lambda n=name, v=values - {value}: _set(n, v),
                          lambda page, v=value: any(v in t for t in page[text_key])))
    return rules


def step_rule(name: str, module, replacement: Callable, level: str = "tree") -> Rule:
    return Rule(f"step: {module.__name__.rsplit('.', 1)[1]}.{name}", level, lambda: _set(name, replacement))


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for name in ("PROMO", "NEWSROOM_NOTE", "FEEDBACK", "SUBSCRIBE", "CONTACT", "REACH_REPORTER", "COMMENT_POLICY",
                 "PAGE_INFO", "SOURCE", "BYLINE", "ATTRIBUTION", "COPYRIGHT", "CREDIT", "COURTESY", "VIEWS_DISCLAIMER",
                 "PAGE_WIDGET"):
        rules += regex_rules(name, "line", "lines")
    rules += set_rules("LABEL_LINES", "line", "lines")
    rules += regex_rules("READ_ALSO_PREFIX", "tree", "text", source="READ_ALSO",
                         wrap=lambda s: rf"^(?:{s})\s*(?:[:：\-–—»>|]|$)")
    rules += set_rules("RELATED_HEADINGS", "tree", "text")
    rules += regex_rules("RELATED_HEADING", "tree", "text")
    rules += regex_rules("NOISE_CLASS", "tree", "classes")
    rules += regex_rules("ALWAYS_NOISE", "tree", "classes")
    rules += set_rules("NOISE_ROLES", "tree", "attrs")
    rules += set_rules("NOISE_TAGS", "tree", "attrs")
    rules += set_rules("_META_ITEMPROPS", "tree", "attrs", clean_mod)
    for cls in clean_mod._MAIN_CLASSES:
        rest = tuple(c for c in clean_mod._MAIN_CLASSES if c != cls)
        rules.append(Rule(f"_MAIN_CLASSES: {cls}", "tree", lambda r=rest: _set("_MAIN_CLASS", re.compile("|".join(r).replace("-", "[-_]"), re.I)),
                          lambda page, c=cls: any(c in t for t in page["classes"])))
    rules += regex_rules("BUILDER_CLASS", "tree", "classes", module=clean_mod)
    rules += [
        step_rule("drop_repeats", lines_mod, lambda lines: lines, "line"),
        step_rule("cut_related_tail", lines_mod, lambda lines: lines, "line"),
        step_rule("drop_edge_dates", lines_mod, lambda lines: lines, "line"),
        step_rule("drop_breadcrumbs", lines_mod, lambda lines: lines, "line"),
        step_rule("cut_press_contact", lines_mod, lambda lines: lines, "line"),
        step_rule("is_tag_list", lines_mod, lambda norm: False, "line"),
        Rule("line: machine value (ISO timestamp)", "line", lambda: _set("_MACHINE_VALUE", re.compile("(?!)"))),
        step_rule("is_labelled_date_line", lines_mod, lambda norm: False, "line"),
        step_rule("_is_category_line", lines_mod, lambda norm: False, "line"),
        Rule("line: AFFILIATE (an affiliate-link disclosure)", "line", lambda: _set("AFFILIATE", re.compile("(?!)"))),
        Rule("line: AGENCY_CREDIT (a picture agency's credit alone)", "line",
             lambda: _set("AGENCY_CREDIT", re.compile("(?!)"))),
        step_rule("drop_related_boxes", clean_mod, lambda root, keep: None),
        step_rule("join_split_body", clean_mod, lambda root, densest: densest),
        step_rule("demote_leading_cards", clean_mod, lambda root, densest: None),
        step_rule("_CAMEL_NAV", clean_mod, re.compile("(?!)")),
        step_rule("drop_other_stories", clean_mod, lambda tree, title: None),
        step_rule("_comment_box", clean_mod, lambda node: False),
        step_rule("paragraphs_from_breaks", clean_mod, lambda root: None),
        step_rule("_outermost_holder", clean_mod, lambda node, text, root: node),
        step_rule("_captions_to_paragraphs", clean_mod, lambda root: None),
        step_rule("is_read_also", clean_mod, lambda node: False),
        step_rule("_looks_like_content", clean_mod, lambda node: False),
        step_rule("with_lead", body_mod, lambda lines, lead, title, named=False: lines),
        step_rule("find_marked_lead", body_mod, lambda tree, first_line, title: None),
        step_rule("_is_headline", edges_mod, lambda node: False),
        step_rule("_closes", edges_mod, lambda node, line: False),
        step_rule("_is_link", edges_mod, lambda places, line: False),
    ]
    return rules


class Recorder:
    """Records, per page, the arguments of extract_body and of filter_lines, and the baseline outputs."""

    def __init__(self) -> None:
        self.body_args: tuple | None = None
        self.line_args: tuple | None = None

    def install(self) -> Callable[[], None]:
        real_body, real_filter = body_mod.extract_body, body_mod.filter_lines

        def body(*args, **kwargs):
            self.body_args = (args, kwargs)
            return real_body(*args, **kwargs)

        def filt(lines, **kwargs):
            self.line_args = (list(lines), kwargs)
            return real_filter(lines, **kwargs)

        extraction.extract_body, body_mod.filter_lines = body, filt
        return lambda: (setattr(extraction, "extract_body", real_body), setattr(body_mod, "filter_lines", real_filter))


def record(pages: list) -> list[dict]:
    recorder = Recorder()
    undo = recorder.install()
    out = []
    try:
        for bench, key, rec, raw in pages:
            recorder.body_args = recorder.line_args = None
            url = (rec.get("url") or "").strip()
            extraction.extract(PageSnapshot(url=url, body=raw, fetched_at=FETCHED_AT))
            if recorder.body_args is None:
                continue
            args, kwargs = recorder.body_args
            tree = args[0]
            text, *_ = extract_body(*args, **kwargs)
            lines_in, lkw = recorder.line_args or ([], {})
            out.append({
                "site": f"{bench[:3]}:{site_of(url, key)}", "body_args": recorder.body_args, "text": text,
                "lines": lines_in, "line_kwargs": lkw, "filtered": lines_mod.filter_lines(lines_in, **lkw),
                "classes": {class_id(n) for n in tree.iter() if isinstance(n.tag, str) and (n.get("class") or n.get("id"))},
                "attrs": {f"{n.tag} {n.get('role') or ''} {n.get('itemprop') or ''}".lower()
                          for n in tree.iter() if isinstance(n.tag, str)},
                "page_text": [patterns.normalize(" ".join(tree.text_content().split()))],
            })
            out[-1]["text_norm"] = out[-1]["page_text"]
    finally:
        undo()
    for page in out:
        page["text"], page["lines_norm"] = page["text"], [patterns.normalize(l) for l in page["lines"]]
    return out


def _firing(rule: Rule, page: dict) -> bool:
    view = dict(page, lines=page["lines_norm"], text=page["page_text"])
    try:
        return rule.could_fire(view)
    except re.error:
        return True


def audit(rule: Rule, pages: list[dict], sample: int) -> tuple[set[str], int]:
    firing = [p for p in pages if _firing(rule, p)]
    changed: set[str] = set()
    undo = rule.patch()
    _clear_name_caches()  # memoised verdicts on class names were made under the unpatched patterns
    try:
        if rule.level == "line":
            for page in firing:
                if page["site"] not in changed and lines_mod.filter_lines(page["lines"], **page["line_kwargs"]) != page["filtered"]:
                    changed.add(page["site"])
        else:
            order = _spread(firing) if rule.name.startswith("step:") else _spread(firing)[:sample]
            for page in order:
                if page["site"] in changed:
                    continue
                args, kwargs = page["body_args"]
                if body_mod.extract_body(*args, **kwargs)[0] != page["text"]:
                    changed.add(page["site"])
                    if len(changed) >= ENOUGH:
                        break
    finally:
        undo()
        _clear_name_caches()
    return changed, len(firing)


def _clear_name_caches() -> None:
    clean_mod.noise_name.cache_clear()
    clean_mod.camel_nav_name.cache_clear()


def _spread(pages: list[dict]) -> list[dict]:
    """Pages in a fixed pseudo-random order (both benchmarks mixed), one page per site before any second one."""
    seen: dict[str, int] = {}
    ranked = []
    for page in pages:
        seen[page["site"]] = seen.get(page["site"], 0) + 1
        ranked.append((seen[page["site"]], zlib.crc32(page["site"].encode()), page))
    return [p for _, _, p in sorted(ranked, key=lambda r: r[:2])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="?", default=str(REPO.parent / "shared" / "datasets"))
    parser.add_argument("--rule", help="audit only the rules whose name contains this")
    parser.add_argument("--sample", type=int, default=80, help="tree vocabulary: at most this many firing pages")
    args = parser.parse_args(argv)
    pages = []
    for bench in ("article-extraction-benchmark", "trafilatura-eval"):
        pages += [(bench, key, rec, raw) for key, rec, raw in load(Path(args.datasets) / bench)]
    recorded = record(pages)
    print(f"{len(recorded)} pages of {len({p['site'] for p in recorded})} sites recorded", flush=True)
    for rule in all_rules():
        if args.rule and args.rule not in rule.name:
            continue
        changed, firing = audit(rule, recorded, args.sample)
        count = f"{len(changed)}+" if rule.level == "tree" and len(changed) >= ENOUGH else str(len(changed))
        example = sorted(changed)[:2] if 0 < len(changed) < ENOUGH else ""
        print(f"{count:>3} sites  {firing:4d} pages  {rule.level:4s}  {rule.name}  {' '.join(example)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
