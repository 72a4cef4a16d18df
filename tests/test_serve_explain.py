"""Explain mode: extraction reports each removed block with its reason, changes nothing, costs a lookup when off."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.extraction import explain, extract
from crawler.extraction.explain import Explanation, explain_page, format_removed
from crawler.items import PageSnapshot
from crawl_helpers import blogcrawl

PROSE = ("The river had risen overnight, and by morning the lower road was under a foot of brown water that "
         "carried branches, a plastic chair and somebody's garden gate past the bakery. ")

PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flood Day – Riverside Notes</title>
<meta property="og:site_name" content="Riverside Notes"></head><body>
<a class="skip-link screen-reader-text" href="#main">Skip to content</a>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/about/">About us</a></li></ul></nav>
<main id="main"><article><h1>Flood Day</h1>
<p>{PROSE}We walked down to look anyway.</p>
<p>Read also: <a href="/other/">How we built the town's first sandbag wall</a></p>
<p>{PROSE}The baker handed out bread to everyone who waded in.</p>
<p>{PROSE}By noon the water had started to fall again.</p>
<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="#">Facebook</a></li><li><a href="#">Twitter</a></li></ul></div>
</article>
<div id="comments" class="comments-area"><p>Great write-up, thanks for posting it.</p></div>
</main><footer class="site-footer"><p>Copyright 2024 Riverside Notes</p></footer></body></html>"""

SNAPSHOT = PageSnapshot(url="http://127.0.0.1:9/flood-day/", body=PAGE.encode(), fetched_at=datetime(2024, 5, 1, tzinfo=timezone.utc))


def _reasons(blocks):
    return {block.text: block.reason for block in blocks if not block.kept}


def test_each_removed_block_has_the_reason_of_the_step_that_dropped_it():
    result, blocks = explain_page(SNAPSHOT)
    reasons = _reasons(blocks)
    assert reasons["Skip to content"].startswith("skip link")
    assert reasons["Home"] == "menu" and reasons["About us"] == "menu"
    assert reasons["Read also: How we built the town's first sandbag wall"] == "read-also line"
    assert reasons["Share this:"].startswith("share bar") and reasons["Facebook"].startswith("share bar")
    assert reasons["Great write-up, thanks for posting it."].startswith("comment block")
    assert reasons["Copyright 2024 Riverside Notes"].startswith("footer")
    assert "headline" in reasons["Flood Day"]
    kept = [block.text for block in blocks if block.kept]
    assert len(kept) == 3 and all(text.startswith("The river had risen") for text in kept)
    assert "\n".join(kept) == result.text


def test_blocks_keep_page_order_and_every_text_block_is_listed():
    _, blocks = explain_page(SNAPSHOT)
    texts = [block.text for block in blocks]
    assert texts.index("Skip to content") < texts.index("Flood Day") < texts.index("Share this:")
    assert texts[-1] == "Copyright 2024 Riverside Notes"


def test_line_filter_drops_carry_their_reason():
    page = PAGE.replace("<p>Read also:", "<p>Originally published on the Riverside Gazette.</p><p>Read also:")
    _, blocks = explain_page(PageSnapshot(url=SNAPSHOT.url, body=page.encode(), fetched_at=SNAPSHOT.fetched_at))
    assert _reasons(blocks)["Originally published on the Riverside Gazette."] == "'originally published' line"


def test_explain_changes_nothing_in_the_result():
    assert extract(SNAPSHOT) == extract(SNAPSHOT, explain=Explanation())


def test_site_boilerplate_lines_are_marked():
    line = f"{PROSE}By noon the water had started to fall again."
    _, blocks = explain_page(SNAPSHOT, boilerplate=[line])
    assert _reasons(blocks)[line] == explain.SITE_BOILERPLATE


def test_hooks_are_inert_without_a_collector():
    explain.removed("a line", "read-also line")  # no collector: nothing recorded, nothing raised
    explanation = Explanation()
    with explain.collecting(explanation):
        explain.removed("Share", explain.NOISE_LINE)
        explain.dropped(["a", "b", "c"], ["a", "c"], "date line")
    explain.removed("after", "date line")
    assert [(r.texts, r.reason) for r in explanation.removals] == [
        (("Share",), explain.line_reason("Share")), (("b",), "date line")]


def test_format_removed_lists_only_removed_blocks():
    _, blocks = explain_page(SNAPSHOT)
    lines = format_removed(blocks)
    assert "[read-also line] Read also: How we built the town's first sandbag wall" in lines
    assert not any("The river had risen" in line for line in lines)


def test_cli_extract_explain_prints_removed_blocks(tmp_path):
    page = tmp_path / "flood.html"
    page.write_text(PAGE, encoding="utf-8")
    result = blogcrawl("extract", "--explain", str(page), "--url", SNAPSHOT.url, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "[read-also line] Read also: How we built the town's first sandbag wall" in result.stdout
    assert '"title": "Flood Day"' in result.stdout


@pytest.mark.parametrize(("line", "reason"), [
    ("2024-03-03T08:30:00Z", "machine value (hidden metadata)"),
    ("kitchen, bread, baking, flour, rye, starter, sourdough", "tag list"),
    ("اقرأ أيضا: عنوان مقال آخر", "read-also line"),
    ("À lire aussi : un autre article", "read-also line"),
    ("© 2024 Riverside Notes", "copyright line"),
    ("شارك", "interface label (share, skip link, menu, tags...)"),
    ("Posted by Claire", "byline / reading time"),
    ("The river rose overnight.", explain.NOISE_LINE),  # not interface text: the generic reason
])
def test_line_reasons_name_the_vocabulary_that_matched(line, reason):
    assert explain.line_reason(line) == reason
