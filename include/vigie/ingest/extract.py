"""From a raw page to an extracted article: text, metadata, canonical URL, language.

Pure: bytes in, ``Extracted`` out, no database, so it runs in worker processes and is tested on
saved pages. The stage that feeds it stored pages and stores what it yields is
``vigie.ingest.extract_stage``; decoding is ``vigie.ingest.decode``.

The page is decoded once, parsed once with lxml, and that tree feeds canonical detection, the
title and date look-ups and trafilatura (which accepts a tree): no page is parsed twice. Cheap
first: a page that plainly reads as another language than French is not run through trafilatura
at all, since Vigie skips it anyway (``language_gate``; measured by bench/ingest.py).
What extraction knows of French news pages (standfirst classes, paywall markers, byline words,
metadata XPaths) is ``data/extraction.yaml``; page furniture is ``data/boilerplate.yaml``.
"""

from __future__ import annotations

import html
import re
from contextlib import suppress
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time
from functools import cache
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from vigie.boilerplate import is_boilerplate
from vigie.dates import PARIS, parse_datetime
from vigie.ingest.decode import (
    charset_note,
    decode_bytes,
    is_plain_text,
    looks_binary,
    media_type,
    without_controls,
)
from vigie.ingest.language import detect_language, identifier, import_identifier
from vigie.ingest.urls import WEB_SCHEMES, canonical_from_page, clean_url
from vigie.resources import load_data
from vigie.text import normalise

# Below this many characters the page text is a teaser at best: a longer summary replaces it.
MIN_TEXT_CHARS = 200
# Below this many it is no text at all (a heading, a "turn JavaScript on" notice).
NO_TEXT_CHARS = 40
# Below this confidence a short text's detected language yields to the page's declared one.
LANGUAGE_TRUST = 0.8
# The language gate (see _clearly_foreign) reads this much of a page and needs this confidence.
GATE_PARAGRAPHS = 30
GATE_MIN_CHARS = 300
GATE_CONFIDENCE = 0.95

_PARSER = lxml.html.HTMLParser(
    encoding="utf-8",
    collect_ids=False,
    default_doctype=False,
    remove_comments=True,
    remove_pis=True,
)
_SEPARATORS = re.compile(r"(\s+[|\-–—]\s+)")


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
    author_prefix: re.Pattern[str]
    date_xpath: str
    title_xpath: str
    description_xpath: str


@cache
def _rules() -> _Rules:
    data = load_data("extraction.yaml")
    lead = data["lead_classes"]
    tests = [f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')" for c in lead]
    prefixes = "|".join(re.escape(p) for p in data["author_prefixes"])
    classes = "|".join(re.escape(c) for c in data["lead_classes"])
    return _Rules(
        lead_xpath=f"//*[{' or '.join(tests)}]",
        lead_words=tuple(c for c in lead if not any(o != c and o in c for o in lead)),
        lead_hint=re.compile(rf"""class\s*=\s*["'][^"']*(?<![\w-])(?:{classes})(?![\w-])""", re.I),
        paywall=re.compile("|".join(f"(?:{p})" for p in data["paywall_markers"]), re.I),
        author_prefix=re.compile(rf"^(?:{prefixes})\s*:?\s+", re.I),
        date_xpath=" | ".join(data["metadata_xpaths"]["published"]),
        title_xpath=" | ".join(data["metadata_xpaths"]["title"]),
        description_xpath=" | ".join(data["metadata_xpaths"]["description"]),
    )


def warm_up(*, model: bool = True) -> None:
    """Load what extraction needs (trafilatura, the language model) before the first page: a
    worker process readies itself while the first pages are downloaded. ``model=False`` loads
    the code only, for a process about to fork workers: they share it, and each maps the
    model's tables itself (a few milliseconds), which keeps them out of the parent's memory."""
    import trafilatura  # noqa: F401

    if model:
        identifier()
    else:
        import_identifier()


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
        if is_boilerplate(stripped):
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


def _page_date(tree: lxml.html.HtmlElement, day: str | None) -> tuple[datetime | None, bool]:
    """The publication time: a precise meta time agreeing with trafilatura's day, else the day."""
    found_day = None
    if day:
        try:
            found_day = date.fromisoformat(day[:10])
        except ValueError:
            found_day = None
    for value in tree.xpath(_rules().date_xpath)[:3]:
        precise = parse_datetime(value, default_tz=PARIS)
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


# --- the page ----------------------------------------------------------------------------------


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
    note = charset_note(raw, content_type, codec)
    if is_plain_text(decoded, content_type):
        return RawPage(None, decoded, note)
    tree = _parse_html(decoded)
    if tree is None:
        return RawPage(None, "", note)
    titles = tree.xpath(_rules().title_xpath)
    title = _choose_title(tree, titles[0] if titles else None, None, url)
    descriptions = tree.xpath(_rules().description_xpath)
    body = tree.find("body")
    if body is None:
        body = tree
    lxml.etree.strip_elements(body, *_NOT_TEXT, with_tail=False)
    text = " ".join(body.itertext())
    if descriptions:
        text = f"{descriptions[0]}\n{text}"
    return RawPage(title or None, text, note)


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
    (or the fallback summary) and the reason. No control character is left in what it returns:
    never text, and PostgreSQL refuses NUL in a text column.
    """
    extracted = _page(raw, url, content_type, fallback_title, fallback_summary, language_gate)
    return replace(
        extracted,
        **{
            f.name: without_controls(value)
            for f in fields(extracted)
            if isinstance(value := getattr(extracted, f.name), str)
        },
    )


def _page(
    raw: bytes,
    url: str,
    content_type: str | None,
    fallback_title: str | None,
    fallback_summary: str | None,
    language_gate: bool,
) -> Extracted:
    media = media_type(content_type)
    canonical = clean_url(url) if urlsplit(url).scheme.lower() in WEB_SCHEMES else url
    notes: list[str] = []
    if not raw or not raw.strip():
        text, used = _fallback("", fallback_summary, None, "empty page", notes)
        return _finish(text, used, notes, title=fallback_title, canonical=canonical)
    if looks_binary(raw, content_type):
        kind = media if media and media != "application/octet-stream" else "binary content"
        text, used = _fallback("", fallback_summary, None, f"not a text page ({kind})", notes)
        return _finish(text, used, notes, title=fallback_title, canonical=canonical)
    decoded, codec = decode_bytes(raw, content_type)
    if is_plain_text(decoded, content_type):
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
    descriptions = tree.xpath(_rules().description_xpath)
    description = " ".join(descriptions[0].split()) if descriptions else None
    foreign = _clearly_foreign(tree, description) if language_gate else None
    if foreign is not None:
        published, precise = _page_date(tree, None)
        meta_titles = tree.xpath(_rules().title_xpath)
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
    author = None
    if meta is not None:
        author = meta.author or _author_in_page(tree)  # last: it prunes the tree
    return Extracted(
        text=body or None,
        title=title,
        author=_clean_author(author),
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
    heading = " ".join([*tree.xpath(_rules().title_xpath)[:1], description or ""])
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
    categories, tags and licence cost a third of it (measured by bench/ingest.py). The author
    the page's meta tags do not give is searched last, by ``_author_in_page``. Returns
    trafilatura's ``Document``, or None where trafilatura would discard the page."""
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
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


def _author_in_page(tree: lxml.html.HtmlElement) -> str | None:
    """trafilatura's ``extract_author`` on the tree itself: it prunes a deep copy, a tenth of
    the metadata's cost, where Vigie is done with the tree when it asks. Cleaned as
    ``Document.clean_and_trim`` cleans the other fields."""
    from html import unescape

    from trafilatura.metadata import (
        AUTHOR_DISCARD_XPATHS,
        AUTHOR_XPATHS,
        extract_metainfo,
        normalize_authors,
        prune_unwanted_nodes,
    )
    from trafilatura.utils import line_processing

    try:
        found = extract_metainfo(
            prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS), AUTHOR_XPATHS, len_limit=120
        )
        author = normalize_authors(None, found) if found else None
    except (TypeError, ValueError):
        return None
    if not author:
        return None
    if len(author) > 10000:
        author = author[:9999] + "…"
    return line_processing(unescape(author))


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
