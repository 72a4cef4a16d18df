"""Bytes to text, as a crawler decodes a page: BOM, HTTP charset, meta charset, then fallbacks.

A declared utf-8 is checked with a strict decode: Arabic sites often declare utf-8 and serve
windows-1256; a utf-8 page with a few stray single-byte characters stays utf-8 (those bytes read as
windows-1252). A declared single-byte charset (windows-125x, ISO 8859) is not believed when the page is
valid utf-8 with non-ASCII text: such text is almost never valid utf-8 by chance. Non-HTML payloads
(PDF, images, archives, binary junk) are recognised and refused.
"""

from __future__ import annotations

import codecs
import logging
import re

LOGGER = logging.getLogger(__name__)

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
# Browsers treat these labels as windows-1252 (WHATWG encoding standard).
_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254"}
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))  # deleted to count the others
# Every byte but the C0 controls XML refuses (tab, newline and return are text): deleted, what is left is those.
_NOT_XML_CONTROL = bytes(b for b in range(256) if not (b < 9 or b in (11, 12) or 13 < b < 32))
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


class NotHtml(ValueError):
    """The payload is not a text document."""


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def declared_charset(body: bytes, http_charset: str | None) -> str | None:
    """The charset the server or the page declares (HTTP header first, then the first meta tag)."""
    codec = _codec(http_charset)
    if codec:
        return codec
    match = _META_CHARSET.search(body[:8192])
    return _codec(match.group(1).decode("ascii", "ignore")) if match else None


def looks_binary(body: bytes) -> bool:
    """PDF, images, archives, or bytes with many control characters."""
    head = body[:1024].lstrip()
    if head.startswith(_BINARY_MAGIC):
        return True
    sample = body[:4096]
    controls = len(sample.translate(None, _NOT_CONTROL))  # the control bytes, counted in C
    return bool(sample) and controls / len(sample) > 0.05


def _cp1252_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler: the bytes a utf-8 decode refused, read as windows-1252."""
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("blogcrawl-cp1252", _cp1252_bytes)


def _mostly_utf8(body: bytes) -> bool:
    """A utf-8 page with a few stray single-byte characters (a latin-1 fragment pasted in): its valid
    multi-byte sequences outnumber the bytes utf-8 refuses. A page in windows-1256 or -1252 forms few."""
    text = body.decode("utf-8", errors="surrogateescape")
    refused = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    return sum(1 for ch in text if ord(ch) > 127) - refused > refused


def _fallback(body: bytes) -> str:
    """Bytes that are not utf-8: windows-1256 when that yields Arabic letters, else windows-1252."""
    arabic = body.decode("cp1256", errors="replace")
    # Only non-ASCII letters decide: ASCII markup, scripts and percent-encoded URLs say nothing of the charset.
    high = [ch for ch in arabic if ord(ch) > 127 and ch.isalpha()]
    if high and len(_ARABIC_LETTER.findall("".join(high))) / len(high) > 0.5:
        return arabic
    return body.decode("cp1252", errors="replace")


def decode_html(body: bytes, http_charset: str | None = None) -> str:
    """Decode a fetched page; raise NotHtml for binary payloads."""
    return decode_page(body, http_charset)[0]


def decode_page(body: bytes, http_charset: str | None = None) -> tuple[str, bool]:
    """``decode_html``, and whether the text is known to hold no character XML refuses (C0 controls but
    tab, newline and return; U+FFFE, U+FFFF; lone surrogates), read from the bytes where the codec allows:
    utf-8, windows-125x and ISO 8859 map those controls to themselves and only utf-8 has U+FFFE/U+FFFF (as
    EF BF BE/BF); a strict utf-8 decode has no surrogates. Other codecs: not known (False)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace"), False
    if looks_binary(body):
        raise NotHtml("binary payload")
    codec = declared_charset(body, http_charset)
    if codec is None or codec.startswith(("utf-16", "utf-32")):
        codec = None  # no BOM: an ASCII-compatible page that mislabels itself
    if codec in (None, "utf-8"):
        try:
            return body.decode("utf-8"), _utf8_xml_safe(body)
        except UnicodeDecodeError:
            LOGGER.debug("declared %s but not valid utf-8, falling back", codec)
            if _mostly_utf8(body):
                return body.decode("utf-8", errors="blogcrawl-cp1252"), _utf8_xml_safe(body)
            return _fallback(body), not _has_xml_controls(body)
    if codec.startswith(("cp125", "iso8859-")):
        try:  # a mislabelled utf-8 page: text in a single-byte codec is almost never valid utf-8
            text = body.decode("utf-8")
            if any(ord(ch) > 127 for ch in text):
                return text, _utf8_xml_safe(body)
        except UnicodeDecodeError:
            pass
    # single-byte codecs that keep ASCII and map no high byte to a C0 control or a non-character
    known = codec.startswith(("cp125", "iso8859-"))
    return body.decode(codec, errors="replace"), known and not _has_xml_controls(body)


def _has_xml_controls(body: bytes) -> bool:
    return bool(body.translate(None, _NOT_XML_CONTROL))


def _utf8_xml_safe(body: bytes) -> bool:
    return not _has_xml_controls(body) and b"\xef\xbf\xbe" not in body and b"\xef\xbf\xbf" not in body
