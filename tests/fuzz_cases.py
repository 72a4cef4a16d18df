"""Hostile inputs for extraction: random bytes, tag soup, and real posts mangled the ways broken servers
and editors do. ``mutate(page, rng)`` is driven by any ``random.Random``: the hypothesis test hands it
one hypothesis controls, ``bench/fuzz_extract.py`` a seeded one."""

from __future__ import annotations

import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_TAG = re.compile(rb"<[^<>]{0,200}>")
JUNK = [
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"</div></span></p>", b"<p><li><table><tr>", b"<!--", b"<![CDATA[",
    b"<script>", b"<style>", b"&#xD800;", b"&#0;", b"&amp", b"<html><html>", b"<meta charset=\"utf-7\">",
    b"<meta charset=\"x-unknown\">", b'<link rel="canonical" href="javascript:alert(1)">',
    b'<time datetime="9999-99-99T99:99">', b'<meta property="article:published_time" content="-1">',
    b"\xd8", b"%PDF-1.4", b"<" * 50, b"<div>" * 300, b'<script type="application/ld+json">{"@type":',
    b'<html lang="\x00">', b"<body dir=rtl><h1></h1><article></article>", b"\x1f\x8b\x08",
]
TOKENS = [b"<p>", b"</p>", b"<div class=entry-content>", b"</div>", b"<h1>", b"</h1>", b"<a href=/x>", b"</a>",
          b"<time>", b"\xd9\x85\xd9\x82\xd8\xa7\xd9\x84", b" word ", b"<br>", b"<li>", b"<ul>", b"<html>",
          b"<head><title>", b"</title></head>", b"<body>", b"&nbsp;", b"\n", b"2024-03-15", b"\xd8\xa2\xd8\xb0\xd8\xa7\xd8\xb1 "]


def real_pages() -> list[bytes]:
    """Every bundled fixture page (posts, listings, feeds), as served (``{{BASE}}`` filled in)."""
    pages = sorted((REPO / "fixtures" / "site").glob("*/**/index.*"))
    return [p.read_text(encoding="utf-8").replace("{{BASE}}", "http://127.0.0.1:8000").encode("utf-8") for p in pages]


def tag_soup(rng: random.Random) -> bytes:
    return b"".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 400)))


def mutate(page: bytes, rng: random.Random) -> bytes:
    """``page`` after 1-6 random mutations."""
    body = page
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(["cut", "flip", "drop_tags", "dup", "junk", "recode", "splice"])
        n = len(body)
        if n == 0:
            return rng.randbytes(rng.randint(0, 64))
        at = rng.randint(0, n)
        if kind == "cut":
            body = body[:at] if rng.random() < 0.5 else body[at:]
        elif kind == "flip":
            data = bytearray(body)
            for _ in range(rng.randint(1, 50)):
                data[rng.randrange(n)] ^= rng.randint(1, 255)
            body = bytes(data)
        elif kind == "drop_tags":
            tags = _TAG.findall(body)
            for tag in rng.sample(tags, min(len(tags), rng.randint(1, 20))):
                body = body.replace(tag, b"", 1)
        elif kind == "dup":
            end = rng.randint(at, min(n, at + 2000))
            body = body[:at] + body[at:end] * rng.randint(2, 20) + body[end:]
        elif kind == "junk":
            body = body[:at] + rng.choice(JUNK) + body[at:]
        elif kind == "recode":
            codec = rng.choice(["cp1256", "utf-16", "latin-1", "utf-32", "iso-8859-6"])
            body = body.decode("utf-8", "replace").encode(codec, "replace")
        else:
            body = body[:at] + rng.randbytes(rng.randint(0, 256)) + body[at:]
    return body


CHARSETS = [None, "utf-8", "windows-1256", "iso-8859-1", "utf-16", "bogus-charset", ""]


def case(rng: random.Random, pages: list[bytes]) -> tuple[str, bytes, str | None]:
    """One fuzz case: (kind, body, HTTP charset)."""
    roll = rng.random()
    if roll < 0.15:
        kind, body = "random_bytes", rng.randbytes(rng.randint(0, 4096))
    elif roll < 0.3:
        kind, body = "tag_soup", tag_soup(rng)
    else:
        kind, body = "mangled_page", mutate(rng.choice(pages), rng)
    return kind, body, rng.choice(CHARSETS)
