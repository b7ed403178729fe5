"""What an alert says, in French, for each channel: Slack Block Kit, e-mail HTML and plain text.

Pure functions over an :class:`AlertView` (plain data built from the store by
``vigie.alerts.serialize.view_of``). Everything that comes from an article is hostile until escaped
for its channel: Slack control sequences (``<!channel>``, ``<@U…>``, ``<url|label>``) become
``&lt;…&gt;`` text and mrkdwn markers are swapped for look-alikes, HTML is escaped, control
characters never reach an e-mail header. Article text is only ever data, never a template.
Slack's Block Kit limits are met by truncating with an ellipsis, never by a refused post.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from babel.numbers import format_decimal

from vigie.dates import LOCALE, format_when, parse_datetime
from vigie.nlp.numbers import find_numbers
from vigie.resources import load_data
from vigie.templating import environment

NBSP = "\u00a0"
ELLIPSIS = "…"

# Slack's documented limits (https://docs.slack.dev/reference/block-kit/blocks)
SLACK_MAX_BLOCKS = 50
SLACK_SECTION_TEXT = 3000
SLACK_FIELD_TEXT = 2000
SLACK_HEADER_TEXT = 150
SLACK_CONTEXT_TEXT = 3000
SLACK_FALLBACK_TEXT = 40000
SUBJECT_MAX = 160
DIGEST_QUOTE = 400  # a digest line carries the whole quote up to this many characters


@dataclass(frozen=True)
class AlertView:
    """Everything a message about one alert shows, as plain data."""

    id: int
    kind: str  # figure | declaration
    article_url: str | None
    outlet: str | None
    title: str | None
    published: datetime | None
    evidence: str
    events: tuple[str, ...] = ()
    value: float | None = None
    value_high: float | None = None
    measure: str | None = None
    object: str | None = None
    qualifier: str | None = None
    claimed_by: str | None = None
    period: str | None = None
    additional: bool = False  # an increment: "3 000 soldats supplémentaires"
    speaker: str | None = None
    quote: str | None = None
    previously_known: tuple[Any, ...] = ()
    outlets: tuple[str, ...] = ()
    articles: int = 1
    historical: bool = False


@dataclass(frozen=True)
class Labels:
    """French names for event types and measures (data files, not code)."""

    events: Mapping[str, str] = field(default_factory=dict)
    measures: Mapping[str, str] = field(default_factory=dict)

    def event(self, key: str) -> str:
        return self.events.get(key, key.replace("_", " "))

    def measure(self, key: str | None) -> str | None:
        return None if not key else self.measures.get(key, key.replace("_", " "))


@dataclass(frozen=True)
class SlackMessage:
    """One webhook post: Block Kit blocks and the text Slack shows in notifications."""

    text: str
    blocks: list[dict[str, Any]]


@dataclass(frozen=True)
class EmailParts:
    """One e-mail: a header-safe subject, a plain-text body and its HTML alternative."""

    subject: str
    text: str
    html: str


# --- labels ----------------------------------------------------------------------------------


def load_labels(watch_file: Path | None = None) -> Labels:
    """Event labels from the package's data file, measure labels from the validated watch."""
    events = (load_data("alert_labels.yaml") or {}).get("events") or {}
    measures = {}
    if watch_file is not None:
        from vigie.watch import load_watch  # validated and cached per file by the watch itself

        measures = {key: m.label for key, m in load_watch(Path(watch_file)).measures.items()}
    return Labels(events=dict(events), measures=measures)


# --- plain French text -----------------------------------------------------------------------

_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def clean(raw: object, *, strip: bool = True) -> str:
    """One line of visible text: control, format (bidi overrides) and line-break chars removed;
    ``strip=False`` keeps a fragment's edge spaces (the text around a figure set off)."""
    if raw is None:
        return ""
    text = "".join(
        " " if ch in "\t\n\r\v\f\x85\u2028\u2029" else ch
        for ch in str(raw)
        if ch in "\t\n\r\v\f\x85\u2028\u2029" or unicodedata.category(ch) not in _INVISIBLE
    )
    text = re.sub(r"[^\S\u00a0\u202f]+", " ", text)
    return text.strip(" ") if strip else text


def shorten(raw: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary when one is near, with an ellipsis."""
    if len(raw) <= limit:
        return raw
    cut = raw[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > limit * 0.7:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + ELLIPSIS


def format_number(value: float) -> str:
    """French digits (CLDR, through babel): ``3 000`` with a narrow no-break space, ``2,5``;
    round millions and billions in words (``1,5 million``, with a no-break space)."""
    for scale, word in ((1_000_000_000, "milliard"), (1_000_000, "million")):
        if abs(value) >= scale and (value * 10) % scale == 0:
            amount = value / scale
            text = format_decimal(amount, format="#,##0.#", locale=LOCALE)
            return f"{text}{NBSP}{word}{'s' if amount >= 2 else ''}"
    return format_decimal(value, format="#,##0.##", locale=LOCALE)


def kind_label(view: AlertView) -> str:
    return "Nouveau chiffre" if view.kind == "figure" else "Nouvelle déclaration"


_SCALE_WORD = re.compile(r"(?:millions?|milliards?)$")
_PARTITIVE = re.compile(r"(?:de\s|d['’])", re.IGNORECASE)
_ELIDES = "aeiouyhàâäéèêëîïôöûùü"


def amount_with_object(amount: str, obj: str) -> str:
    """``3 millions d'obus``, ``1,5 million de barils``, ``2 500 soldats``: French puts "de"
    (elided before a vowel or h) between a million or a billion and what is counted."""
    if not obj:
        return amount
    if _SCALE_WORD.search(amount) and not _PARTITIVE.match(obj):
        return f"{amount} d'{obj}" if obj[0].lower() in _ELIDES else f"{amount} de {obj}"
    return f"{amount} {obj}"


def figure_phrase(view: AlertView) -> str:
    """``au moins 3 000 soldats`` / ``10 000 à 12 000 obus`` / ``plus de 3 millions d'obus`` /
    ``… soldats supplémentaires``."""
    if view.value is None:
        amount = "?"
    elif view.value_high is not None and view.value_high != view.value:
        amount = f"{format_number(view.value)} à {format_number(view.value_high)}"
    else:
        amount = format_number(view.value)
    extra = "supplémentaires" if view.additional else ""
    counted = amount_with_object(amount, clean(view.object))
    return " ".join(p for p in (clean(view.qualifier), counted, extra) if p)


def what_short(view: AlertView, labels: Labels, quote_limit: int = 160) -> str:
    """The news in one line: the figure and its measure, or who said what."""
    if view.kind == "figure":
        measure = labels.measure(view.measure)
        return figure_phrase(view) + (f" ({clean(measure)})" if measure else "")
    quote_text = shorten(clean(view.quote), quote_limit)
    return f"{clean(view.speaker) or 'Auteur inconnu'} : « {quote_text} »"


def figure_details(view: AlertView, labels: Labels) -> list[str]:
    """Measure, source and period of a figure, each as a short French phrase."""
    if view.kind != "figure":
        return []
    out = []
    if measure := labels.measure(view.measure):
        out.append(f"mesure : {clean(measure)}")
    if view.claimed_by:
        out.append(f"selon {clean(view.claimed_by)}")
    if view.period:
        out.append(clean(view.period))
    return out


def events_text(view: AlertView, labels: Labels) -> str:
    return ", ".join(clean(labels.event(e)) for e in view.events) or "aucun"


def corroboration_text(view: AlertView, max_outlets: int = 12) -> str:
    """``3 articles : Le Monde, Libération…``."""
    outlets = [clean(o) for o in view.outlets if o]
    shown = ", ".join(outlets[:max_outlets])
    if len(outlets) > max_outlets:
        shown += f" et {len(outlets) - max_outlets} autres"
    count = f"{view.articles} article{'s' if view.articles > 1 else ''}"
    return f"{count} : {shown}" if shown else count


def _known_line(item: Any) -> str:
    """One thing the baseline or history held, whatever shape novelty recorded it in."""
    if not isinstance(item, Mapping):
        return clean(item)
    parts = []
    value = item.get("value")
    if isinstance(value, int | float) and not isinstance(value, bool):
        high = item.get("value_high")
        amount = format_number(value)
        if isinstance(high, int | float) and not isinstance(high, bool) and high != value:
            amount += f" à {format_number(high)}"
        counted = amount_with_object(amount, clean(item.get("object")))
        parts.append(" ".join(p for p in (clean(item.get("qualifier")), counted) if p))
    if item.get("speaker") and not parts:
        parts.append(clean(item["speaker"]))
    if item.get("quote"):
        parts.append(f"« {shorten(clean(item['quote']), 200)} »")
    if not parts:
        parts = [
            f"{clean(k)} : {shorten(clean(v), 200)}"
            for k, v in item.items()
            if isinstance(v, str | int | float) and not isinstance(v, bool)
        ][:4]
    if item.get("additional"):
        parts.append("supplémentaires")
    where = [clean(item.get(k)) for k in ("outlet", "seed", "source") if item.get(k)]
    if item.get("baseline") is True:
        where.insert(0, "corpus de référence")
    when = item.get("published")
    if isinstance(when, str):
        parsed = parse_datetime(when)
        where.append(format_when(parsed) if parsed else clean(when))
    text = " ".join(parts)
    return f"{text} ({', '.join(where)})" if where else text


def known_lines(view: AlertView, limit: int = 6) -> list[str]:
    """What was known before, one line each, at most ``limit`` lines."""
    lines = [line for line in (_known_line(i) for i in view.previously_known) if line]
    if len(lines) > limit:
        lines = [*lines[: limit - 1], f"et {len(lines) - limit + 1} autres"]
    return [shorten(line, 400) for line in lines]


def known_empty(view: AlertView) -> str:
    return "rien pour cette mesure" if view.kind == "figure" else "rien de cette personne"


# --- where the figure or quote sits in the evidence ------------------------------------------


def locate(view: AlertView) -> tuple[int, int] | None:
    """Offsets, in the cleaned evidence, of the figure (with its object when it follows) or of
    the quote; None when neither can be found."""
    evidence = clean(view.evidence)
    if view.kind == "declaration":
        quote_text = clean(view.quote)
        if not quote_text:
            return None
        start = evidence.find(quote_text)
        if start < 0:
            start = evidence.lower().find(quote_text.lower())
        return (start, start + len(quote_text)) if start >= 0 else None
    targets = {v for v in (view.value, view.value_high) if v is not None}
    obj = clean(view.object).lower()
    for number in find_numbers(evidence):
        if number.value not in targets:
            continue
        end = number.end
        if obj:
            found = evidence.lower().find(obj, end, end + len(obj) + 40)
            if found >= 0:
                end = found + len(obj)
        return number.start, end
    if obj and (found := evidence.lower().find(obj)) >= 0:
        return found, found + len(obj)
    return None


def evidence_parts(view: AlertView, budget: int) -> tuple[str, str, str]:
    """(before, set off, after) of the evidence, windowed around the figure to ``budget`` chars."""
    evidence = clean(view.evidence)
    span = locate(view)
    if span is None:
        return shorten(evidence, budget), "", ""
    start, end = span
    before, mark, after = (
        evidence[:start],
        shorten(evidence[start:end], budget // 2),
        evidence[end:],
    )
    room = max(budget - len(mark), 2)
    if len(before) + len(after) > room:
        keep_before = min(len(before), max(room // 2, room - len(after)))
        keep_after = min(len(after), room - keep_before)
        if keep_before < len(before):
            before = ELLIPSIS + before[len(before) - keep_before + 1 :] if keep_before > 1 else ""
        if keep_after < len(after):
            after = after[: keep_after - 1] + ELLIPSIS if keep_after > 1 else ""
    return before, mark, after


# --- Slack -----------------------------------------------------------------------------------

# mrkdwn markers have no escape in Slack: swap them for look-alikes so article text cannot format.
_MRKDWN_LOOKALIKES = str.maketrans({"*": "∗", "_": "＿", "~": "∼", "`": "ˋ", "@": "＠"})


def slack_escape(raw: object, *, strip: bool = True) -> str:
    """Article text made inert for mrkdwn: one line, markers neutralised, ``& < >`` escaped."""
    text = clean(raw, strip=strip).translate(_MRKDWN_LOOKALIKES)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL with every character that could end a Slack link or an HTML attribute
    percent-encoded; anything else (javascript:, data:, garbage) is no link at all."""
    if not url:
        return None
    url = clean(url)
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    return quote(url, safe="/:?#[]@!$&'()*+,;=%-._~")


def slack_link(url: str | None, label: str) -> str:
    """``<url|label>`` with both parts escaped; the label alone when the URL is not usable."""
    target = safe_url(url)
    text = slack_escape(label)
    if target is None:
        return text
    return f"<{target.replace('&', '&amp;')}|{text}>"


def cap_mrkdwn(text: str, limit: int) -> str:
    """Last guard on a composed mrkdwn string: cut without breaking an entity or a link."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut + ELLIPSIS


def cap_plain(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def _fit(render: Callable[[int], str], limit: int, budget: int) -> str:
    """Render with a shrinking raw budget until the escaped result fits ``limit``."""
    while True:
        text = render(budget)
        if len(text) <= limit or budget <= 40:
            return cap_mrkdwn(text, limit)
        budget = int(budget * 0.75)


def _section(text: str) -> dict[str, Any]:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": cap_mrkdwn(text, SLACK_SECTION_TEXT), "verbatim": True},
    }


def _field(title: str, value: str) -> dict[str, Any]:
    text = cap_mrkdwn(f"*{title}*\n{value}", SLACK_FIELD_TEXT)
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _header(text: str) -> dict[str, Any]:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": cap_plain(text, SLACK_HEADER_TEXT), "emoji": True},
    }


def _slack_what(view: AlertView, budget: int) -> str:
    if view.kind == "figure":
        return f"*{slack_escape(figure_phrase(view))}*"
    speaker = slack_escape(view.speaker) or "Auteur inconnu"
    return f"*{speaker}* : « {slack_escape(shorten(clean(view.quote), budget))} »"


def _slack_evidence(view: AlertView, budget: int) -> str:
    before, mark, after = evidence_parts(view, budget)
    marked = f"*{slack_escape(mark)}*" if mark else ""
    return f"&gt; {slack_escape(before, strip=False)}{marked}{slack_escape(after, strip=False)}"


def _slack_known(view: AlertView) -> str:
    lines = known_lines(view)
    if not lines:
        return f"*Déjà connu* : {known_empty(view)}"
    return "*Déjà connu*\n" + "\n".join(f"• {slack_escape(line)}" for line in lines)


def slack_alert(view: AlertView, labels: Labels) -> SlackMessage:
    """One alert as Block Kit, with a fallback text that says the same in short."""
    what = _fit(lambda b: _slack_what(view, b), SLACK_SECTION_TEXT - 200, 2500)
    details = " · ".join(slack_escape(d) for d in figure_details(view, labels))
    link = slack_link(view.article_url, shorten(clean(view.title) or "Lire l'article", 200))
    fields = [
        _field("Média", slack_escape(view.outlet) or "inconnu"),
        _field("Publié", slack_escape(format_when(view.published)) + " (heure de Paris)"),
        _field("Article", link),
        _field("Événements", slack_escape(events_text(view, labels))),
        _field("Corroboration", slack_escape(corroboration_text(view))),
    ]
    blocks = [
        _header(f"Vigie · {kind_label(view)}"),
        _section(what + (f"\n{details}" if details else "")),
        _section(_fit(lambda b: _slack_evidence(view, b), SLACK_SECTION_TEXT, 2800)),
        {"type": "section", "fields": fields},
        _section(_slack_known(view)),
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"Alerte n° {view.id} · Vigie"}],
        },
    ]
    summary = slack_escape(f"{kind_label(view)} : {what_short(view, labels)}")
    outlet = slack_escape(view.outlet) or "média inconnu"
    text = f"{summary} — {outlet} — {slack_link(view.article_url, 'article')}"
    return SlackMessage(text=cap_mrkdwn(text, SLACK_FALLBACK_TEXT), blocks=blocks)


def digest_line_slack(view: AlertView, labels: Labels) -> str:
    """One alert in a digest: what is new (the figure, or who said the quote), the outlet, the
    time, the link."""
    what = slack_escape(what_short(view, labels, DIGEST_QUOTE))
    outlet = slack_escape(view.outlet) or "média inconnu"
    when = slack_escape(format_when(view.published))
    line = f"• *{what}* — {outlet}, {when} — {slack_link(view.article_url, 'article')}"
    return cap_mrkdwn(line, SLACK_SECTION_TEXT)


def slack_digest(
    views: Sequence[AlertView], labels: Labels
) -> list[tuple[list[int], SlackMessage]]:
    """Every alert in short form, packed into as few posts as Slack's limits allow.

    Returns (alert ids, message) pairs: each post is claimed and recorded on its own.
    """
    lines = [(v.id, digest_line_slack(v, labels)) for v in views]
    total = len(views)
    chunks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    sections, section_len, text_len = 1, 0, 0
    for item in lines:
        size = len(item[1]) + 1
        new_section = section_len + size > SLACK_SECTION_TEXT
        # header + sections + context must stay within the block limit
        if current and (
            (new_section and sections + 1 > SLACK_MAX_BLOCKS - 2)
            or text_len + size > SLACK_FALLBACK_TEXT - 500
        ):
            chunks.append(current)
            current, sections, section_len, text_len = [], 1, 0, 0
            new_section = False
        if new_section:
            sections, section_len = sections + 1, 0
        current.append(item)
        section_len += size
        text_len += size
    if current:
        chunks.append(current)
    out = []
    for number, chunk in enumerate(chunks, 1):
        part = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        title = f"Vigie · {total} nouvelles alertes{part}"
        blocks = [_header(title)]
        body = ""
        for _, line in chunk:
            if body and len(body) + len(line) + 1 > SLACK_SECTION_TEXT:
                blocks.append(_section(body))
                body = ""
            body = f"{body}\n{line}" if body else line
        if body:
            blocks.append(_section(body))
        ids = [i for i, _ in chunk]
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"Alertes n° {min(ids)} à {max(ids)}"}],
            }
        )
        text = cap_mrkdwn(title + "\n" + "\n".join(line for _, line in chunk), SLACK_FALLBACK_TEXT)
        out.append((ids, SlackMessage(text=text, blocks=blocks)))
    return out


# --- e-mail ----------------------------------------------------------------------------------


def header_safe(raw: object, limit: int = SUBJECT_MAX) -> str:
    """Text fit for a mail header: no control character (so no CR/LF injection), bounded."""
    return shorten(clean(raw), limit)


def _email_html(template: str, **context: Any) -> str:
    return environment("email").get_template(template).render(**context)


def email_alert(view: AlertView, labels: Labels) -> EmailParts:
    """One alert as an e-mail: subject, plain text and HTML saying the same things."""
    what = what_short(view, labels)
    outlet = clean(view.outlet) or "média inconnu"
    subject = header_safe(f"[Vigie] {kind_label(view)} : {what} ({outlet})")
    before, mark, after = evidence_parts(view, 4000)
    details = figure_details(view, labels)
    known = known_lines(view)
    when = format_when(view.published) + " (heure de Paris)"
    url = safe_url(view.article_url) or clean(view.article_url) or "adresse inconnue"

    text_lines = [
        f"{kind_label(view)} : {what}",
        *([" · ".join(details)] if details else []),
        "",
        f"Média : {outlet}",
        f"Titre : {clean(view.title) or 'sans titre'}",
        f"Publié : {when}",
        f"Article : {url}",
        "",
        f"Phrase : {before}*{mark}*{after}" if mark else f"Phrase : {before}",
        "",
        "Déjà connu :" if known else f"Déjà connu : {known_empty(view)}",
        *[f"  - {line}" for line in known],
        f"Événements : {events_text(view, labels)}",
        f"Corroboration : {corroboration_text(view)}",
        "",
        f"Alerte n° {view.id} · Vigie",
    ]
    html_body = _email_html(
        "alert.html",
        subject=subject,
        id=view.id,
        kind=kind_label(view),
        figure=figure_phrase(view) if view.kind == "figure" else None,
        speaker=clean(view.speaker),
        quote=shorten(clean(view.quote), 4000),
        details=" · ".join(details),
        before=clean(before, strip=False),
        mark=clean(mark),
        after=clean(after, strip=False),
        outlet=outlet,
        url=safe_url(view.article_url),
        title=clean(view.title),
        when=when,
        events=events_text(view, labels),
        corroboration=corroboration_text(view),
        known=known,
        known_empty=known_empty(view),
    )
    return EmailParts(subject=subject, text="\n".join(text_lines) + "\n", html=html_body)


def email_digest(views: Sequence[AlertView], labels: Labels) -> EmailParts:
    """Many alerts in one e-mail, one line each."""
    subject = header_safe(f"[Vigie] {len(views)} nouvelles alertes")
    text_lines = [f"{len(views)} nouvelles alertes", ""]
    items = []
    for v in views:
        what = what_short(v, labels, DIGEST_QUOTE)
        outlet = clean(v.outlet) or "média inconnu"
        when = format_when(v.published)
        url = safe_url(v.article_url)
        text_lines.append(f"- {what} — {outlet}, {when} — {url or 'adresse inconnue'}")
        items.append({"what": what, "outlet": outlet, "when": when, "url": url})
    html_body = _email_html("digest.html", subject=subject, items=items)
    return EmailParts(subject=subject, text="\n".join(text_lines) + "\n", html=html_body)
