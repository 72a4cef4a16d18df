"""A copy of the bundled Arabic blog with every fault of the hostile web wired in (see ``build``).

The five posts of ``fixtures/site/ar`` each carry one fault at their canonical URL; extra links on
the home page lead to gone and missing pages, redirect chains and loops, redirects off the site, a
calendar trap, session and sort parameters, an oversized page, a gzip bomb and non-HTML bodies at
article-looking URLs.
"""

from __future__ import annotations

import base64
import gzip
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from localsite import LocalSite, load_truth

REPO = Path(__file__).resolve().parent.parent
AR_SITE = REPO / "fixtures" / "site" / "ar"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@dataclass
class Hostile:
    site: LocalSite
    truth: dict
    posts: dict[str, dict] = field(default_factory=dict)  # fault -> truth post
    paths: dict[str, str] = field(default_factory=dict)  # fault -> path

    def path_hits(self, path: str) -> int:
        """GETs of ``path`` (any query string)."""
        want = unquote(path)
        return sum(1 for method, p, _ in self.site.requests if method == "GET" and unquote(p.split("?")[0]) == want)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def post_html(path: str, base: str) -> str:
    """The served HTML of a fixture post."""
    return (AR_SITE / path.strip("/") / "index.html").read_text(encoding="utf-8").replace("{{BASE}}", base)


def build(tmp: Path, *, big_page_bytes: int, bomb_bytes: int) -> Hostile:
    root = tmp / "ar"
    shutil.copytree(AR_SITE, root)
    truth = load_truth(root)
    faults = ("enc_mismatch", "enc_header", "transient503", "timeout", "transient500")
    posts = dict(zip(faults, truth["posts"]))
    extra = {
        "gone": "/2019/08/deleted-post/",
        "missing": "/2018/05/old-post-removed/",
        "chain": "/old/1/",
        "loop": "/loop/a/",
        "offsite": "/out/",
        "to_localhost": "/out/local/",
        "to_file": "/out/file/",
        "calendar": "/calendar/?month=2024-01",
        "big": "/2019/09/archive-of-everything/",
        "bomb": "/downloads/full-backup/",
        "pdf": "/2019/12/annual-report-2019/",
        "png": "/2019/11/infographic-2019/",
        "pdf_as_html": "/2019/12/annual-report-as-html/",
    }
    session_links = [f"{posts['enc_mismatch']['url_path']}?{q}" for q in
                     ("sid=1", "sid=2", "PHPSESSID=abc", "orderby=date", "sort=asc", "utm_source=x")]
    links = "".join(f'<a href="{href}">x</a>\n' for href in [*extra.values(), *session_links])
    home = root / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace("</body>", links + "</body>"), encoding="utf-8")

    site = LocalSite(root).start()
    base = site.base_url.rstrip("/")
    enc_mismatch = post_html(posts["enc_mismatch"]["url_path"], base).encode("cp1256", "xmlcharrefreplace")
    site.add_rule(posts["enc_mismatch"]["url_path"], body_b64=_b64(enc_mismatch), content_type="text/html; charset=utf-8")
    header_only = re.sub(r"<meta charset=[^>]*>\s*", "", post_html(posts["enc_header"]["url_path"], base), flags=re.I)
    assert "charset" not in header_only.lower()
    site.add_rule(posts["enc_header"]["url_path"], body_b64=_b64(header_only.encode("cp1256", "xmlcharrefreplace")),
                  content_type="text/html; charset=windows-1256")
    site.add_rule(posts["transient503"]["url_path"], fail_first=2, fail_status=503, retry_after=1)
    site.add_rule(posts["timeout"]["url_path"], hang_first=1)  # no answer: the client timeout always fires
    site.add_rule(posts["transient500"]["url_path"], fail_first=1, fail_status=500)
    site.add_rule(extra["gone"], status=410)
    site.add_rule("/old/1/", redirect="/old/2/")
    site.add_rule("/old/2/", redirect="/old/3/", redirect_status=302)
    site.add_rule("/old/3/", redirect=posts["transient500"]["url_path"])
    site.add_rule("/loop/a/", redirect="/loop/b/")
    site.add_rule("/loop/b/", redirect="/loop/a/")
    for n in range(1, 13):
        month = f"2024-{n:02d}"
        following = f"2024-{n + 1:02d}" if n < 12 else "2025-01"
        site.add_rule(f"/calendar/?month={month}", body=f'<html><body><h1>{month}</h1>'
                      f'<a href="/calendar/?month={following}">next</a></body></html>')
    big = post_html(posts["transient500"]["url_path"], base).replace(
        "</body>", "<p>" + "حشو " * (big_page_bytes // 6) + "</p></body>").replace(
        posts["transient500"]["url_path"], extra["big"])
    site.add_rule(extra["big"], body_b64=_b64(big.encode("utf-8")), content_type="text/html; charset=utf-8")
    bomb = gzip.compress(b"<html><body><p>backup</p>" + b" " * bomb_bytes, compresslevel=9)
    site.add_rule(extra["bomb"], body_b64=_b64(bomb), content_type="text/html", headers={"Content-Encoding": "gzip"})
    site.add_rule(extra["pdf"], body_b64=_b64(PDF), content_type="application/pdf")
    site.add_rule(extra["png"], body_b64=_b64(PNG), content_type="image/png")
    site.add_rule(extra["pdf_as_html"], body_b64=_b64(PDF), content_type="text/html")
    return Hostile(site=site, truth=truth, posts=posts, paths=extra)


def add_offsite_redirects(hostile: Hostile, other: LocalSite) -> None:
    """Redirects from the hostile site to another site, to localhost and to a file URL."""
    hostile.site.add_rule("/out/", redirect=other.url("/"))
    hostile.site.add_rule("/out/local/", redirect=f"http://localhost:{other.port}/")
    hostile.site.add_rule("/out/file/", redirect="file:///etc/passwd")
