"""A small web with near-duplicates, built from the bundled English blog (fixtures/site/en).

- ``origin``: the bundled blog plus a post re-posted under a new URL two weeks later, lightly edited
  (``REPOST``, a copy of the sourdough post).
- ``mirror``: another blog republishing two of its posts a few days later, lightly edited, with an
  "originally published" line: the sourdough post with rel=canonical to the original (``MIRROR_CANONICAL``)
  and the bicycle post without (``MIRROR_PLAIN``, its rel=canonical names itself).
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

from localsite import LocalSite

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "site"
SOURDOUGH = "/2024/03/a-month-of-sourdough/"
BICYCLE = "/2024/02/rebuilding-a-1970s-bicycle/"
REPOST = "/2024/03/sourdough-patience-revisited/"
MIRROR_CANONICAL = "/2024/03/sourdough-lessons/"
MIRROR_PLAIN = "/2024/02/old-bike-rebuild/"
ATTRIBUTION = '<p>This article was originally published on Field Notes.</p>\n</div>\n<div class="sharedaddy'


def _post(path: str) -> str:
    return (SITES / "en" / path.strip("/") / "index.html").read_text(encoding="utf-8")


def _write(root: Path, path: str, html: str) -> None:
    target = root / path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def _edited_sourdough(date: str, day: str, canonical: str, edit: tuple[str, str]) -> str:
    html = _post(SOURDOUGH)
    html = html.replace("2024-03-03T08:30:00-05:00", date).replace("March 3, 2024", day)
    html = html.replace(f'<link rel="canonical" href="{{{{BASE}}}}{SOURDOUGH}">', f'<link rel="canonical" href="{canonical}">')
    html = html.replace(*edit)
    return html


def build_origin(root: Path) -> Path:
    shutil.copytree(SITES / "en", root)
    repost = _edited_sourdough("2024-03-17T08:30:00-05:00", "March 17, 2024", "{{BASE}}" + REPOST,
                               ("That alone feels like progress.", "That alone feels like real progress."))
    _write(root, REPOST, repost)
    index = root / "index.html"
    html = index.read_text(encoding="utf-8")
    link = f'<p><a href="{{{{BASE}}}}{REPOST}">What a Month of Sourdough Taught Me (revisited)</a></p>\n</main>'
    index.write_text(html.replace("</main>", link, 1), encoding="utf-8")
    return root


def build_mirror(root: Path, origin_base: str, mirror_base: str) -> Path:
    """The mirror's pages name the original by its absolute URL, so it needs both addresses."""
    root.mkdir(parents=True, exist_ok=True)
    origin = origin_base.rstrip("/")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    (root / "404.html").write_text("<html><body><p>Not found</p></body></html>", encoding="utf-8")
    (root / "index.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Reposts</title></head><body>"
        f"<h1>Reposts</h1><ul><li><a href='{{{{BASE}}}}{MIRROR_CANONICAL}'>Sourdough lessons</a></li>"
        f"<li><a href='{{{{BASE}}}}{MIRROR_PLAIN}'>An old bike, rebuilt</a></li></ul></body></html>",
        encoding="utf-8",
    )
    copy = _edited_sourdough("2024-03-06T10:00:00-05:00", "March 6, 2024", origin + SOURDOUGH,
                             ("The second was better.", "The second loaf was a good deal better."))
    _write(root, MIRROR_CANONICAL, copy.replace('</div>\n<div class="sharedaddy', ATTRIBUTION, 1))
    bike = _post(BICYCLE).replace("February 14, 2024", "February 20, 2024").replace("two flat tyres", "two flat tires")
    bike = bike.replace(f'<link rel="canonical" href="{{{{BASE}}}}{BICYCLE}">', f'<link rel="canonical" href="{{{{BASE}}}}{MIRROR_PLAIN}">')
    _write(root, MIRROR_PLAIN, bike.replace('</div>\n<div class="sharedaddy', ATTRIBUTION, 1))
    return root


@contextmanager
def syndication_web(tmp: Path):
    """(origin, mirror) LocalSites serving the web above."""
    with LocalSite(build_origin(tmp / "origin")) as origin:
        mirror_root = tmp / "mirror"
        mirror_root.mkdir()
        with LocalSite(mirror_root) as mirror:
            build_mirror(mirror_root, origin.base_url, mirror.base_url)
            yield origin, mirror
