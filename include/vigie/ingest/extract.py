"""From a stored raw page to an extracted article: text, metadata, canonical URL, language.

``extract_page`` is pure (bytes in, ``Extracted`` out) so it can run in worker processes and be
tested on saved pages; ``extract_pending`` is the stage: it reads the articles waiting with status
"fetched", extracts them and settles what a second copy of an already stored article means
(same text: a duplicate; changed text: an update whose new sentences go on to analysis).

The page is decoded once, parsed once with lxml, and that tree feeds canonical detection, the
title and date look-ups and trafilatura (which accepts a tree): no page is parsed twice. Cheap
first: a page that plainly reads as another language than French is not run through trafilatura
at all, since Vigie skips it anyway (``language_gate``; measured by bench/ingest.py).
"""

from __future__ import annotations

import codecs
import gc
import html
import re
import zlib
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html
import yaml
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vigie.config import Settings
from vigie.ingest.urls import WEB_SCHEMES, canonical_from_page, clean_url
from vigie.store.models import Article, Entry
from vigie.text import normalise

EXTRACTION_FILE = Path(__file__).resolve().parent.parent / "data" / "extraction.yaml"
PARIS = ZoneInfo("Europe/Paris")
# Below this many characters the page text is a teaser at best: a longer summary replaces it.
MIN_TEXT_CHARS = 200
# Below this many it is no text at all (a heading, a "turn JavaScript on" notice).
NO_TEXT_CHARS = 40
# Below this confidence a short text's detected language yields to the page's declared one.
LANGUAGE_TRUST = 0.8
# Language identification reads this many characters: plenty for a confident answer.
LANGUAGE_SAMPLE = 2000
# The language gate (see _clearly_foreign) reads this much of a page and needs this confidence.
GATE_PARAGRAPHS = 30
GATE_MIN_CHARS = 300
GATE_CONFIDENCE = 0.95
BATCH = 32

_PARSER = lxml.html.HTMLParser(
    encoding="utf-8",
    collect_ids=False,
    default_doctype=False,
    remove_comments=True,
    remove_pis=True,
)
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
_CONTROL_CHARS = dict.fromkeys([*range(9), 11, 12, *range(14, 32), 127])
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml")
_SEPARATORS = re.compile(r"(\s+[|\-–—]\s+)")
_DATE_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @property='og:published_time' or @name='pubdate'"
    " or @name='publishdate' or @name='DC.date.issued' or @name='dc.date']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)
_TITLE_XPATH = "//meta[@property='og:title']/@content | //title/text()"
_DESCRIPTION_XPATH = (
    "//meta[@property='og:description' or @name='description' or @name='twitter:description']"
    "/@content"
)


@dataclass(frozen=True)
class Extracted:
    """What one page yields. ``text`` is None when the page gave nothing usable (see ``reason``);
    ``reason`` also records any fallback used (summary instead of text, paywall cut, title)."""

    text: str | None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_precise: bool = False
    site: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    language_score: float | None = None
    encoding: str | None = None
    used_summary: bool = False
    reason: str | None = None


# --- knowledge ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    lead_xpath: str
    lead_words: tuple[str, ...]
    lead_hint: re.Pattern[str]
    paywall: re.Pattern[str]
    boilerplate: re.Pattern[str]
    author_prefix: re.Pattern[str]
    french_characters: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = yaml.safe_load(EXTRACTION_FILE.read_text(encoding="utf-8"))
    lead = data["lead_classes"]
    tests = [f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')" for c in lead]
    prefixes = "|".join(re.escape(p) for p in data["author_prefixes"])
    classes = "|".join(re.escape(c) for c in data["lead_classes"])
    return _Rules(
        lead_xpath=f"//*[{' or '.join(tests)}]",
        lead_words=tuple(c for c in lead if not any(o != c and o in c for o in lead)),
        lead_hint=re.compile(rf"""class\s*=\s*["'][^"']*(?<![\w-])(?:{classes})(?![\w-])""", re.I),
        paywall=re.compile("|".join(f"(?:{p})" for p in data["paywall_markers"]), re.I),
        boilerplate=re.compile("|".join(f"(?:{p})" for p in data["boilerplate_lines"]), re.I),
        author_prefix=re.compile(rf"^(?:{prefixes})\s*:?\s+", re.I),
        french_characters=frozenset(data["french_characters"]),
    )


@lru_cache(maxsize=1)
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


# --- decoding ----------------------------------------------------------------------------------


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
    french = _rules().french_characters
    return sum(ch in french for ch in letters) / len(letters)


# --- text cleaning -----------------------------------------------------------------------------


def _clean_lines(text: str, title: str | None) -> tuple[str, str | None]:
    """Text without page furniture, cut at a paywall marker; returns (text, marker or None).

    A marker before any text is a badge ("Article réservé aux abonnés" above the headline): the
    line goes, the text stays."""
    rules = _rules()
    norm_title = normalise(title) if title else None
    kept: list[str] = []
    marker = None
    for index, line in enumerate(text.splitlines()):
        stripped = " ".join(line.split())
        if not stripped:
            continue
        if rules.paywall.search(stripped):
            if not kept:  # a "subscribers only" badge above the text, not the wall itself
                continue
            marker = stripped[:60]
            break
        if rules.boilerplate.search(stripped):
            continue
        if (
            norm_title
            and index < 8
            and norm_title in normalise(stripped)
            and (len(stripped) <= len(title) + 60)
        ):
            continue
        kept.append(stripped)
    return "\n".join(kept), marker


def _plain_text(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


# --- metadata ----------------------------------------------------------------------------------


def _similar(a: str, b: str) -> bool:
    """Loose equality of a title part and a site name ("Gala" ~ "Gala.fr", "ARTE Radio" ~ host)."""
    a = re.sub(r"\W+", "", normalise(a))
    b = re.sub(r"\W+", "", normalise(b))
    return bool(a and b) and (a in b or b in a)


def _choose_title(
    tree: lxml.html.HtmlElement, meta_title: str | None, site: str | None, url: str
) -> str | None:
    """The headline: an <h1> the meta title holds (the meta title minus the site name), else
    the meta title without trailing site-name parts."""
    meta_title = " ".join((meta_title or "").split())
    if meta_title:
        norm_meta = normalise(meta_title)
        best = None
        for h1 in tree.iterfind(".//h1"):
            text = " ".join(h1.text_content().split())
            if (
                len(text) >= len(meta_title) / 2
                and normalise(text) in norm_meta
                and (best is None or len(text) > len(best))
            ):
                best = text
        if best:
            return best
    else:
        for h1 in tree.iterfind(".//h1"):
            text = " ".join(h1.text_content().split())
            if text:
                return text
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.").rsplit(".", 1)[0]
    tokens = _SEPARATORS.split(meta_title)  # part, separator, part, …
    while len(tokens) > 1 and (
        any(_similar(tokens[-1], name) for name in (site, host) if name)
        or (len(tokens[-1].split()) <= 3 and len(tokens[0].split()) >= 4)
    ):
        del tokens[-2:]
    return "".join(tokens).strip()


def _parse_datetime(value: str) -> datetime | None:
    value = value.strip().replace(" ", "T", 1)
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=PARIS)


def _page_date(tree: lxml.html.HtmlElement, day: str | None) -> tuple[datetime | None, bool]:
    """The publication time: a precise meta time agreeing with trafilatura's day, else the day."""
    found_day = None
    if day:
        try:
            found_day = date.fromisoformat(day[:10])
        except ValueError:
            found_day = None
    for value in tree.xpath(_DATE_XPATH)[:3]:
        precise = _parse_datetime(value)
        if precise is None or len(value.strip()) <= 10:
            continue
        if found_day is None or precise.date() == found_day:
            return precise.astimezone(UTC), True
    if found_day is None:
        return None, False
    return datetime.combine(found_day, time(0), tzinfo=UTC), False


def _clean_author(author: str | None) -> str | None:
    if not author:
        return None
    parts = [_rules().author_prefix.sub("", p.strip()) for p in author.split(";")]
    return "; ".join(p for p in parts if p) or None


def _declared_french(tree: lxml.html.HtmlElement) -> bool:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    return lang.lower().startswith("fr")


def detect_language(text: str) -> tuple[str | None, float | None]:
    """ISO code and confidence (0-1) of ``text``; (None, None) when there is nothing to read."""
    if not text or not any(ch.isalpha() for ch in text):
        return None, None
    lang, score = _language_identifier().classify(text[:LANGUAGE_SAMPLE])
    return lang, round(float(score), 2)


# --- the page ----------------------------------------------------------------------------------


def _media_type(content_type: str | None) -> str | None:
    media = (content_type or "").split(";")[0].strip().lower()
    return media or None


def _is_binary(raw: bytes, media: str | None) -> bool:
    if media and not media.startswith(_TEXT_TYPES) and media != "application/octet-stream":
        return True
    head = raw[:2048]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return b"\x00" in head or controls > len(head) // 20


def looks_binary(raw: bytes, content_type: str | None = None) -> bool:
    """Whether ``raw`` is not text at all (an image or archive, whatever its label says)."""
    return _is_binary(raw, _media_type(content_type))


# Never page text: code, styles, embedded documents.
_NOT_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object")


@dataclass(frozen=True)
class RawPage:
    """A raw page read cheaply: its title, its text, and what its charset declaration was worth."""

    title: str | None
    text: str
    charset_note: str | None = None  # "no charset declared…", "charset X declared, read as Y"


def raw_page_text(raw: bytes, content_type: str | None = None, url: str = "") -> RawPage:
    """A raw page as cheaply as can be: one lxml parse, the text of the body (page furniture
    included) after the description, no trafilatura. What the backfill's relevance gate reads
    before deciding whether a page is worth extracting; a text/plain page is its own text."""
    decoded, codec = decode_bytes(raw, content_type)
    note = _charset_note(raw, content_type, codec)
    media = _media_type(content_type)
    if media == "text/plain" or (media is None and "<" not in decoded[:2048]):
        return RawPage(None, decoded, note)
    tree = _parse_html(decoded)
    if tree is None:
        return RawPage(None, "", note)
    titles = tree.xpath(_TITLE_XPATH)
    title = _choose_title(tree, titles[0] if titles else None, None, url)
    descriptions = tree.xpath(_DESCRIPTION_XPATH)
    body = tree.find("body")
    if body is None:
        body = tree
    lxml.etree.strip_elements(body, *_NOT_TEXT, with_tail=False)
    text = " ".join(body.itertext())
    if descriptions:
        text = f"{descriptions[0]}\n{text}"
    return RawPage(title or None, text, note)


def _charset_note(raw: bytes, content_type: str | None, codec: str) -> str | None:
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


_BLOCKS = ("p", "div", "li", "br", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr")


def summary_text(summary: str | None) -> str | None:
    """A feed summary as plain text: feeds carry HTML (paragraphs, links, entities)."""
    if not summary or not summary.strip():
        return None
    if "<" not in summary:
        return _plain_text(html.unescape(summary)) or None
    try:
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return _plain_text(html.unescape(re.sub(r"<[^>]*>", " ", summary))) or None
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = _plain_text(root.text_content()).splitlines()
    return "\n".join(line for line in lines if line) or None


def _fallback(
    text: str, summary: str | None, description: str | None, why: str, notes: list[str]
) -> tuple[str | None, bool]:
    """The longer of the teaser text and a summary, noting the fallback in ``notes``."""
    if len(text.strip()) < NO_TEXT_CHARS:
        text = ""
    summary = summary_text(summary)
    candidates = [(text, None), (summary, "feed summary"), (description, "page description")]
    best, source = max(
        (((t or "").strip(), s) for t, s in candidates if t and t.strip()),
        key=lambda pair: len(pair[0]),
        default=("", None),
    )
    if not best:
        notes.append(f"{why}; no summary to fall back on")
        return None, False
    if source is None:
        return best, False
    notes.append(f"{why}: {source} used as text")
    return best, True


def extract_page(
    raw: bytes,
    url: str,
    content_type: str | None,
    *,
    fallback_title: str | None = None,
    fallback_summary: str | None = None,
    language_gate: bool = True,
) -> Extracted:
    """Extract one stored page (HTML, or text/plain taken as the text itself).

    With ``language_gate``, an HTML page that plainly reads as another language than French is
    not run through trafilatura (Vigie skips it anyway): its language, title and date are read
    cheaply and ``text`` is None.

    Never raises on bad input: an empty, binary or unreadable page comes back with ``text`` None
    (or the fallback summary) and the reason.
    """
    media = _media_type(content_type)
    canonical = clean_url(url) if urlsplit(url).scheme.lower() in WEB_SCHEMES else url
    notes: list[str] = []
    if not raw or not raw.strip():
        text, used = _fallback("", fallback_summary, None, "empty page", notes)
        return _finish(text, used, notes, title=fallback_title, canonical=canonical)
    if _is_binary(raw, media):
        kind = media if media and media != "application/octet-stream" else "binary content"
        text, used = _fallback("", fallback_summary, None, f"not a text page ({kind})", notes)
        return _finish(text, used, notes, title=fallback_title, canonical=canonical)
    decoded, codec = decode_bytes(raw, content_type)
    if media == "text/plain" or (media is None and "<" not in decoded[:2048]):
        text, marker = _clean_lines(_plain_text(decoded), None)
        if marker:
            notes.append(f"paywall: text cut at «{marker}»")
        if len(text) < MIN_TEXT_CHARS:
            text, used = _fallback(text, fallback_summary, None, "page text too short", notes)
        else:
            used = False
        return _finish(text, used, notes, title=fallback_title, canonical=canonical, encoding=codec)
    return _extract_html(
        decoded, codec, url, canonical, fallback_title, fallback_summary, notes, language_gate
    )


def _parse_html(decoded: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(decoded.encode("utf-8", "replace"), parser=_PARSER)
    except (ValueError, lxml.etree.ParserError):
        return None


def parse_page(raw: bytes, content_type: str | None = None) -> lxml.html.HtmlElement | None:
    """The lxml tree of a raw page, decoded as extraction decodes it (None if unreadable)."""
    if not raw or not raw.strip():
        return None
    return _parse_html(decode_bytes(raw, content_type)[0])


def page_published(tree: lxml.html.HtmlElement) -> datetime | None:
    """The page's own publication date: a precise meta time, else the day htmldate finds."""
    precise, _ = _page_date(tree, None)
    if precise is not None:
        return precise
    from htmldate import find_date

    day = find_date(tree, original_date=True, extensive_search=False)
    return _page_date(tree, day)[0] if day else None


def _extract_html(
    decoded: str,
    codec: str,
    url: str,
    canonical: str,
    fallback_title: str | None,
    fallback_summary: str | None,
    notes: list[str],
    language_gate: bool,
) -> Extracted:
    import trafilatura

    tree = _parse_html(decoded)
    if tree is None:
        text, used = _fallback("", fallback_summary, None, "unreadable HTML", notes)
        return _finish(text, used, notes, title=fallback_title, canonical=canonical, encoding=codec)
    canonical = canonical_from_page(tree, url) or canonical
    descriptions = tree.xpath(_DESCRIPTION_XPATH)
    description = " ".join(descriptions[0].split()) if descriptions else None
    foreign = _clearly_foreign(tree, description) if language_gate else None
    if foreign is not None:
        published, precise = _page_date(tree, None)
        meta_titles = tree.xpath(_TITLE_XPATH)
        return Extracted(
            text=None,
            title=_choose_title(tree, meta_titles[0] if meta_titles else None, None, url)
            or fallback_title,
            published=published,
            published_precise=precise,
            description=description,
            canonical_url=canonical,
            language=foreign[0],
            language_score=foreign[1],
            encoding=codec,
            reason="text not extracted: the page's paragraphs are not in French",
        )
    try:
        meta = _metadata(tree, url)
        doc = (
            trafilatura.bare_extraction(tree, url=url, include_comments=False, include_tables=True)
            if meta is not None
            else None
        )
    except Exception as exc:  # a page that breaks the extractor is bad input, not a crash
        notes.append(f"extractor error: {type(exc).__name__}")
        doc = None
    if doc is None:  # as trafilatura does: no text, no metadata
        meta = None
    site = getattr(meta, "sitename", None) or None
    title = _choose_title(tree, getattr(meta, "title", None), site, url)
    if not title and fallback_title:
        title = fallback_title
        notes.append("title from feed")
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    if _may_have_lead(decoded):
        body = _with_lead(tree, body)
    body, marker = _clean_lines(body, title)
    if marker:
        notes.append(f"paywall: text cut at «{marker}»")
    used = False
    if len(body) < MIN_TEXT_CHARS:
        if len(body) < NO_TEXT_CHARS:
            why = "no article text in the page"
        else:
            why = f"page text too short ({len(body)} chars)"
        body, used = _fallback(body, fallback_summary, description, why, notes)
    published, precise = _page_date(tree, getattr(meta, "date", None))
    language, score = detect_language(f"{title or ''}\n{body or ''}")
    if language != "fr" and (score or 0) < LANGUAGE_TRUST and _declared_french(tree):
        language = "fr"
    return Extracted(
        text=body or None,
        title=title,
        author=_clean_author(getattr(meta, "author", None)),
        published=published,
        published_precise=precise,
        site=site,
        description=description,
        canonical_url=canonical,
        language=language,
        language_score=score,
        encoding=codec,
        used_summary=used,
        reason="; ".join(notes) or None,
    )


def _clearly_foreign(
    tree: lxml.html.HtmlElement, description: str | None
) -> tuple[str, float] | None:
    """(language, confidence) when a page undeclared as French plainly reads as another language.

    Cheap first: the description and the first paragraphs tell the language of most pages for a
    fraction of what full extraction costs, so a page Vigie would skip anyway is not extracted.
    Anything doubtful (declared French, little text, low confidence, a French headline or
    description) goes to full extraction.
    """
    if _declared_french(tree):
        return None
    heading = " ".join([*tree.xpath(_TITLE_XPATH)[:1], description or ""])
    if detect_language(heading)[0] == "fr":
        return None
    parts = [description or ""]
    for paragraph in islice(tree.iter("p"), GATE_PARAGRAPHS):
        parts.append(" ".join(paragraph.text_content().split()))
    sample = " ".join(parts)
    if len(sample) < GATE_MIN_CHARS:
        return None
    language, score = detect_language(sample)
    if language is None or language == "fr" or (score or 0) < GATE_CONFIDENCE:
        return None
    return language, score


def _may_have_lead(decoded: str) -> bool:
    """Whether the page may hold a standfirst ``_with_lead`` looks for. Cheap first: the class
    names as plain substrings (the XPath matches them case-sensitively) rule out most pages before
    the regex, which tries every class attribute of the page, runs."""
    rules = _rules()
    return any(word in decoded for word in rules.lead_words) and bool(
        rules.lead_hint.search(decoded)
    )


def _metadata(tree: lxml.html.HtmlElement, url: str) -> Any:
    """trafilatura's metadata (``extract_metadata``, step for step) without what Vigie never reads:
    categories, tags and licence cost a third of it (measured by bench/ingest.py). Returns
    trafilatura's ``Document``, or None where trafilatura would discard the page."""
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )
    from trafilatura.settings import set_date_params

    try:
        meta = examine_meta(tree)
        if meta.author and " " not in meta.author:
            meta.author = None
        with suppress(Exception):  # trafilatura, too, goes on without broken JSON-LD
            meta = extract_meta_json(tree, meta)
        meta.title = meta.title or extract_title(tree)
        meta.author = meta.author or extract_author(tree)
        meta.url = meta.url or extract_url(tree, url)
        meta.date = find_date(tree, **set_date_params(True), url=meta.url)
        meta.sitename = meta.sitename or extract_sitename(tree)
    except (TypeError, ValueError):
        return None
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (match := META_URL.match(meta.url)):
        meta.sitename = match[1]
    meta.clean_and_trim()
    return meta


def _with_lead(tree: lxml.html.HtmlElement, body: str) -> str:
    """``body`` with the page's standfirst put back at its head when trafilatura dropped it."""
    if not body:
        return body
    for element in tree.xpath(_rules().lead_xpath)[:1]:
        if element.xpath("ancestor::nav or ancestor::aside or ancestor::footer"):
            continue
        lead = " ".join(element.text_content().split())
        if len(lead) >= 40 and normalise(lead) not in normalise(body):
            return f"{lead}\n{body}"
    return body


def _finish(
    text: str | None,
    used: bool,
    notes: list[str],
    *,
    title: str | None,
    canonical: str,
    encoding: str | None = None,
) -> Extracted:
    language, score = detect_language(text or "")
    return Extracted(
        text=text or None,
        title=title,
        canonical_url=canonical,
        language=language,
        language_score=score,
        encoding=encoding,
        used_summary=used,
        reason="; ".join(notes) or None,
    )


# --- the stage ---------------------------------------------------------------------------------


@dataclass
class ExtractReport:
    """What one run of the extraction stage did (plain data: XCom carries its counts)."""

    examined: int = 0
    new: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    updates: int = 0
    summary_fallbacks: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        line = (
            f"extracted {self.examined} pages: {self.new} new, {self.skipped} skipped, "
            f"{self.failed} failed, {self.duplicates} second copies ({self.updates} updates), "
            f"{self.summary_fallbacks} from summaries"
        )
        if self.reasons:
            top = ", ".join(f"{reason} ×{n}" for reason, n in self.reasons.most_common(3))
            line += f"; {top}"
        return line


@dataclass(frozen=True)
class _Job:
    raw_compressed: bytes | None  # as stored (``Article.raw``): a fifth of the page to ship
    url: str
    content_type: str | None
    fallback_title: str | None
    fallback_summary: str | None
    language_gate: bool


def _run_job(job: _Job) -> Extracted:
    return extract_page(
        zlib.decompress(job.raw_compressed) if job.raw_compressed else b"",
        job.url,
        job.content_type,
        fallback_title=job.fallback_title,
        fallback_summary=job.fallback_summary,
        language_gate=job.language_gate,
    )


def _pending_ids(session: Session, limit: int | None) -> list[int]:
    query = select(Article.id).where(Article.status == "fetched").order_by(Article.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def extract_pending(
    session: Session,
    settings: Settings,
    *,
    limit: int | None = None,
    workers: int = 1,
    language_gate: bool = True,
) -> ExtractReport:
    """Extract every article waiting with status "fetched" (at most ``limit``).

    ``workers`` > 1 runs the pure extraction in that many processes while this one writes the
    store. Each batch is committed, so a crash loses at most one batch and a re-run goes on from
    there (only "fetched" rows are read: the stage is idempotent). ``language_gate``: see
    ``extract_page``.
    """
    del settings  # nothing to configure yet; the signature is the one every stage has
    ids = _pending_ids(session, limit)
    return extract_articles(session, ids, workers=workers, language_gate=language_gate)


def extract_articles(
    session: Session, ids: Sequence[int], *, workers: int = 1, language_gate: bool = True
) -> ExtractReport:
    """Extract the given articles (those still "fetched"): the one path for feeds, seeds and
    archives. With a pool, the next batch is extracted while this process stores the last one."""
    with _long_lived_frozen():
        return _extract(session, ids, workers, language_gate)


@contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """What lives before the stage (modules, mappings, the session) is not garbage: frozen, it is
    not walked again by each of the many collections extraction triggers (a tenth of the stage's
    CPU time in bench/ingest.py), nor copied into forked workers by them. Left alone when someone
    else (Airflow before forking a task) froze objects already."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _extract(
    session: Session, ids: Sequence[int], workers: int, language_gate: bool
) -> ExtractReport:
    report = ExtractReport()
    pool: Executor | None = None
    if workers > 1 and len(ids) > 1:
        pool = ProcessPoolExecutor(max_workers=workers)
    in_flight: deque[tuple[list[Article], dict[int, Entry], list[Future[Extracted]]]] = deque()

    def store_oldest() -> None:
        articles, entries, futures = in_flight.popleft()
        results = [future.result() for future in futures]
        claimed = _holders(
            session,
            [_canonical(a, r, entries.get(a.id)) for a, r in zip(articles, results, strict=True)],
        )
        for article, extracted in zip(articles, results, strict=True):
            _apply(session, article, extracted, entries.get(article.id), report, claimed)
        session.commit()

    try:
        for batch in _batches(list(ids), BATCH):
            articles = list(
                session.scalars(
                    select(Article)
                    .where(Article.id.in_(batch), Article.status == "fetched")
                    .order_by(Article.id)
                )
            )
            entries = _entries_for(session, batch)
            jobs = [_job_for(a, entries.get(a.id), language_gate) for a in articles]
            submit = pool.submit if pool else _run_now
            in_flight.append((articles, entries, [submit(_run_job, job) for job in jobs]))
            if len(in_flight) > 1 or pool is None:
                store_oldest()
        while in_flight:
            store_oldest()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return report


def store_extracted(
    session: Session, pages: Sequence[tuple[Article, Extracted]], report: ExtractReport
) -> None:
    """Settle pages extracted elsewhere (the backfill's workers) as ``extract_articles`` settles
    its own: text, metadata, canonical URL, second copies. The articles are "fetched" rows of
    this session; the caller commits."""
    claimed = _holders(session, [_canonical(a, r, None) for a, r in pages])
    for article, extracted in pages:
        _apply(session, article, extracted, None, report, claimed)


def _run_now(function: Any, job: _Job) -> Future[Extracted]:
    future: Future[Extracted] = Future()
    future.set_result(function(job))
    return future


def _entries_for(session: Session, article_ids: Sequence[int]) -> dict[int, Entry]:
    rows = session.scalars(
        select(Entry).where(Entry.article_id.in_(article_ids)).order_by(Entry.id)
    )
    found: dict[int, Entry] = {}
    for entry in rows:
        found.setdefault(entry.article_id, entry)
    return found


def _job_for(article: Article, entry: Entry | None, language_gate: bool) -> _Job:
    return _Job(
        raw_compressed=article.raw_compressed,
        url=article.url,
        content_type=article.raw_content_type,
        fallback_title=(entry.title if entry else None) or article.title,
        fallback_summary=entry.summary if entry else None,
        language_gate=language_gate,
    )


def _given_date_source(article: Article, entry: Entry | None) -> str:
    if entry is not None and entry.published is not None:
        return "feed"
    if article.baseline:
        return "seed text"
    return "archive record"


def _settle_date(
    article: Article, entry: Entry | None, extracted: Extracted, notes: list[str]
) -> None:
    """Page date first (it is the article's own); the date given with the page when the page has
    none, or when it names the same day with less precision."""
    given = entry.published if entry is not None and entry.published else article.published
    page = extracted.published
    if page is None:
        if given is not None:
            notes.append(f"date from {_given_date_source(article, entry)} (page has none)")
        article.published = given
    elif not extracted.published_precise and given is not None and given.date() == page.date():
        article.published = given
    else:
        article.published = page


def _canonical(article: Article, extracted: Extracted, entry: Entry | None) -> str:
    if entry is not None and not entry.link:
        # built from a link-less feed item: its stored address is its only identity (cleaning
        # would drop the fragment that tells such items of one feed apart)
        return article.url
    return (extracted.canonical_url or article.url)[:2000]


def _holders(session: Session, canonicals: Sequence[str]) -> dict[str, Article]:
    """The articles already holding these canonical URLs: one query per batch, not per page."""
    if not canonicals:
        return {}
    rows = session.scalars(select(Article).where(Article.canonical_url.in_(set(canonicals))))
    return {article.canonical_url: article for article in rows if article.canonical_url}


def _apply(
    session: Session,
    article: Article,
    extracted: Extracted,
    entry: Entry | None,
    report: ExtractReport,
    claimed: dict[str, Article],
) -> None:
    report.examined += 1
    # a note left by the stage that stored the page (e.g. "no link: feed summary used") stays
    notes = [n for n in (article.reason, extracted.reason) if n]
    article.text = _column(extracted.text)
    article.title = _column(extracted.title) or article.title
    article.author = _column(extracted.author) or article.author
    article.language = extracted.language
    if not article.outlet:
        article.outlet = _column(extracted.site or urlsplit(article.url).hostname, 300)
    _settle_date(article, entry, extracted, notes if extracted.text else [])
    if extracted.used_summary:
        report.summary_fallbacks += 1
    if extracted.language not in (None, "fr"):
        score = f"{extracted.language_score:.2f}" if extracted.language_score is not None else "?"
        status, why = "skipped", f"language {extracted.language} ({score}), not French"
    elif extracted.text is None:
        status, why = "failed", extracted.reason or "no text in the page"
    else:
        status, why = "new", None
    article.status = status
    article.reason = "; ".join(dict.fromkeys([why, *notes] if why else notes)) or None
    holder = _claim(session, article, _canonical(article, extracted, entry), claimed)
    if holder is not None:
        _second_copy(article, holder, extracted, report)
    if article.status == "new":
        report.new += 1
    elif article.status == "skipped":
        report.skipped += 1
        report.reasons["not French"] += 1
    elif article.status == "failed":
        report.failed += 1
        report.reasons[(why or "failed").split(";")[0]] += 1
    session.flush()


def _column(value: str | None, size: int | None = None) -> str | None:
    """``value`` as a column takes it: no control characters, cut to the column's size."""
    if value is None:
        return None
    value = value.translate(_CONTROL_CHARS)
    return (value[:size] if size else value) or None


def _claim(
    session: Session, article: Article, canonical: str, claimed: dict[str, Article]
) -> Article | None:
    """Take ``canonical`` for ``article``; returns the article already holding it, if any.

    ``claimed``: the holders read for this batch (see ``_holders``), kept up to date here."""
    holder = claimed.get(canonical)
    if holder is not None and holder.id != article.id:
        return holder
    session.flush()  # the article's other changes stay out of the savepoint below
    for _ in range(2):
        try:
            with session.begin_nested():
                article.canonical_url = canonical
                session.flush()
            claimed[canonical] = article
            return None
        except IntegrityError:  # another worker stored the same address meanwhile
            article.canonical_url = None
        holder = session.scalar(
            select(Article).where(Article.canonical_url == canonical, Article.id != article.id)
        )
        if holder is not None:
            claimed[canonical] = holder
            return holder
    return session.scalar(select(Article).where(Article.canonical_url == canonical))


def _second_copy(
    article: Article, holder: Article, extracted: Extracted, report: ExtractReport
) -> None:
    """``article`` is another copy of ``holder`` (same canonical URL): a duplicate, or an update
    that passes its new text to ``holder``. Either way ``article`` stays, canonical_url NULL."""
    article.canonical_url = None
    same_text = normalise(extracted.text or "") == normalise(holder.text or "")
    if extracted.text is None or same_text:
        article.status, article.duplicate_of_id = "duplicate", holder.id
        article.reason = "same canonical URL"
        report.duplicates += 1
        return
    if article.status != "new":  # a non-French text never replaces the stored one
        return
    from vigie.dedup import new_sentences

    added = new_sentences(holder.text or "", extracted.text)
    holder.raw_compressed = article.raw_compressed
    holder.raw_content_type = article.raw_content_type
    holder.raw_fetched_at = article.raw_fetched_at
    if holder.status in ("failed", "skipped", "new", "fetched"):
        # nothing of the old text went further: the new text takes the whole path again
        holder.status, holder.new_sentences = "new", None
    elif added:
        pending = list(holder.new_sentences or []) if holder.analysed_at is None else []
        holder.new_sentences = pending + [s for s in added if s not in pending]
        holder.status, holder.analysed_at = "unique", None
    holder.text = _column(extracted.text)
    holder.title = extracted.title or holder.title
    holder.language = extracted.language
    holder.reason = f"text updated from article {article.id}"
    article.status, article.duplicate_of_id = "duplicate", holder.id
    article.reason = f"update of article {holder.id}: {len(added)} new sentences"
    report.duplicates += 1
    report.updates += 1
