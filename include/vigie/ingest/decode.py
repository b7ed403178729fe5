"""From raw bytes to text: which codec a page is written in, and whether it is text at all.

Shared by page extraction and the seeds (a seed is read as the page it will be stored as), so a
text is decoded the same way wherever it comes from. Pure and cheap: no parsing, no database.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

from vigie.resources import load_data

_BOM = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)""", re.I)
# WHATWG: these labels mean windows-1252 in browsers, and French pages that declare them are
# usually written in it (curly quotes, the euro sign and "œ" live in 0x80-0x9F).
_AS_CP1252 = frozenset({"iso8859-1", "ascii", "cp1252"})
_LATIN_GUESSES = frozenset(
    {
        "iso8859-1", "iso8859-15", "iso8859-2", "iso8859-4", "iso8859-13", "cp1250", "cp1252",
        "cp1257", "mac-roman", "cp850", "cp437", "cp775",
    }
)  # fmt: skip
# Below this share of French letters among its non-ASCII letters, a windows-1252 reading of
# undeclared bytes is doubted and a detector guesses (Czech names in a French page stay above).
FRENCH_FIT = 0.7
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
# C0 controls but tab and line breaks: never text, and PostgreSQL refuses NUL in text columns
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml")


@cache
def _french_characters() -> frozenset[str]:
    return frozenset(load_data("extraction.yaml")["french_characters"])


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def _charset_param(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value
    return None


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(raw: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text of ``raw`` and the codec used.

    Order: byte-order mark (unambiguous, as browsers do), HTTP charset, <meta charset> or
    http-equiv, then detection. A declaration is believed only if the bytes decode under it, and
    a single-byte declaration loses to bytes that are valid UTF-8 with non-ASCII characters (a
    misconfigured server: cp1252 text is practically never valid UTF-8). Undeclared non-UTF-8
    bytes are judged over the whole body, French first (``_detect``).
    """
    for bom, codec in _BOM:
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace"), codec
    utf8 = _strict(raw, "utf-8")
    for label in (_charset_param(content_type), *_meta_charsets(raw)):
        codec = _codec(label)
        if codec is None:
            continue
        if utf8 is not None and not utf8.isascii() and _single_byte(codec):
            return utf8, "utf-8"
        text = _strict(raw, codec)
        if text is not None:
            return text, codec
    if utf8 is not None:
        return utf8, "utf-8"
    codec = _detect(raw)
    return raw.decode(codec, errors="replace"), codec


def _meta_charsets(raw: bytes) -> list[str]:
    return [m.decode("ascii", "replace") for m in _META_CHARSET.findall(raw[:4096])[:1]]


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp", "iso8859", "mac-", "koi8"))


def _detect(raw: bytes) -> str:
    """The codec of undeclared, non-UTF-8 bytes, judged over the whole body, French first.

    Read as windows-1252 (the superset of ISO-8859-1 that French pages are written in), a French
    page gives non-ASCII letters that are nearly all French ones (é, à, ç, œ…); a page in another
    script or language gives many that are not. Only then is a statistical detector asked, and
    its Latin-script guesses (which on short French texts wander to Baltic or DOS code pages,
    turning "été à Séoul" into "ķtķ Ó Sķoul") still mean windows-1252.
    """
    fit = _french_fit(raw.decode("cp1252", errors="replace"))
    if fit is None or fit >= FRENCH_FIT:
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    codec = _codec(best.encoding) if best is not None else None
    if codec is None or codec in _LATIN_GUESSES:
        return "cp1252"
    return codec


def _french_fit(text: str) -> float | None:
    """Share of the non-ASCII letters of ``text`` that French uses; None when there is none."""
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return None
    french = _french_characters()
    return sum(ch in french for ch in letters) / len(letters)


def charset_note(raw: bytes, content_type: str | None, codec: str) -> str | None:
    """What went wrong with the page's charset, if anything (ASCII pages need none)."""
    declared = [c for c in (_charset_param(content_type), *_meta_charsets(raw)) if c]
    if not declared:
        return None if raw.isascii() else f"no charset declared: read as {codec}"
    wanted = _codec(declared[0])
    if wanted is None:
        return f"unknown charset {declared[0].strip()[:30]!r}: read as {codec}"
    if wanted != codec and codec != "utf-8-sig":
        return f"charset {wanted} declared, read as {codec}"
    return None


def media_type(content_type: str | None) -> str | None:
    """The media type of a Content-Type header, lower case, without its parameters."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media or None


def looks_binary(raw: bytes, content_type: str | None = None) -> bool:
    """Whether ``raw`` is not text at all (an image or archive, whatever its label says)."""
    media = media_type(content_type)
    if media and not media.startswith(_TEXT_TYPES) and media != "application/octet-stream":
        return True
    head = raw[:2048]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return b"\x00" in head or controls > len(head) // 20


def is_plain_text(decoded: str, content_type: str | None) -> bool:
    """Whether a decoded page is plain text rather than markup: so labelled, or, unlabelled,
    without a tag in its head (a seed, a text file served bare)."""
    media = media_type(content_type)
    return media == "text/plain" or (media is None and "<" not in decoded[:2048])


def without_controls(value: str | None) -> str | None:
    """``value`` without C0 control characters (tab and line breaks kept); None when empty."""
    if value is None:
        return None
    # a search first: most texts have none, and finding none is ten times cheaper than a copy
    return (_CONTROL_CHARS.sub("", value) if _CONTROL_CHARS.search(value) else value) or None
