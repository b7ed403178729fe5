"""Vigie's page in the Airflow UI: feed health and recent alerts, for operators and analysts.

An app factory (the plugin only registers it): every value from the store is escaped, a strict
Content-Security-Policy forbids scripts, and every route sits behind the dependency the caller
passes (Airflow's authentication in the plugin, an override in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
STYLE = (
    "body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}"
    "td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}"
    ".failing,.retired{color:#b00020}.backing{color:#b36b00}.ok{color:#2e7d32}"
)


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "—"


def _table(headers: Sequence[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _page(
    title: str, headers: Sequence[str], rows: list[list[str]], note: str, more: str = ""
) -> HTMLResponse:
    """One page: a title, a note, a table; ``more`` is HTML already escaped, put after it."""
    html = (
        f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
        f"<p>{escape(note)}</p>{_table(headers, rows)}{more}</body></html>"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP})


def create_app(auth: Callable[..., Any] | None = None) -> FastAPI:
    """The FastAPI app behind /vigie; ``auth`` guards every route."""
    dependencies = [Depends(auth)] if auth is not None else []
    app = FastAPI(title="Vigie", dependencies=dependencies)

    @app.get("/feeds", response_class=HTMLResponse)
    def feeds_page() -> HTMLResponse:
        from vigie.articles import page_problems
        from vigie.health import feed_health
        from vigie.store.db import session_scope

        with session_scope() as session:
            rows = feed_health(session, datetime.now(UTC))
            problems = page_problems(session)[:500]
        cells = [
            [
                f"<a href='{escape(r.url, quote=True)}' rel='noreferrer'>{escape(r.name)}</a>",
                f"<span class='{escape(r.state.split()[0])}'>{escape(r.state)}</span>",
                escape(_when(r.last_success_at)),
                escape(_when(r.failing_since)),
                str(r.failure_count),
                escape(_when(r.next_attempt_at)),
                escape(r.last_error or ""),
                f"{r.failed_pages} / {r.skipped_pages}",
            ]
            for r in rows
        ]
        pages = [
            [
                escape(p["outlet"] or ""),
                f"<a href='{escape(p['url'], quote=True)}' rel='noreferrer'>"
                f"{escape(p['title'] or p['url'])}</a>",
                escape(p["status"]),
                escape(p["reason"] or ""),
                str(p["attempts"]),
                escape(p["next_attempt"] or "—"),
            ]
            for p in problems
        ]
        more = (
            f"<h2>Pages en échec ou ignorées ({len(pages)})</h2>"
            + _table(["Flux", "Page", "État", "Motif", "Essais", "Prochain essai"], pages)
            if pages
            else ""
        )
        failing = sum(1 for r in rows if r.state != "ok")
        return _page(
            "Vigie — santé des flux",
            [
                "Flux",
                "État",
                "Dernier succès",
                "En échec depuis",
                "Échecs",
                "Prochain essai",
                "Dernière erreur",
                "Pages en échec / ignorées",
            ],
            cells,
            f"{len(rows)} flux, {failing} à surveiller.",
            more,
        )

    @app.get("/feeds.json")
    def feeds_json() -> JSONResponse:
        from dataclasses import asdict

        from vigie.health import feed_health
        from vigie.store.db import session_scope

        with session_scope() as session:
            rows = [asdict(r) for r in feed_health(session, datetime.now(UTC))]
        for row in rows:
            for key, value in row.items():
                if isinstance(value, datetime):
                    row[key] = value.isoformat()
        return JSONResponse(rows)

    @app.get("/alerts", response_class=HTMLResponse)
    def alerts_page() -> HTMLResponse:
        from vigie.alerts.serialize import list_alerts
        from vigie.store.db import session_scope

        with session_scope() as session:
            rows = list_alerts(session)[:200]
        cells = []
        for a in rows:
            if a["kind"] == "figure":
                what = f"{a.get('qualifier') or ''} {a.get('value')} {a.get('object') or ''}"
            else:
                what = f"{a.get('speaker')} : « {a.get('quote')} »"
            channels = ", ".join(f"{k}: {v['status']}" for k, v in a["channels"].items())
            cells.append(
                [
                    escape(a["published"] or ""),
                    escape(a["kind"]),
                    escape(what.strip()),
                    f"<a href='{escape(a['article_url'] or '', quote=True)}' rel='noreferrer'>"
                    f"{escape(a['outlet'] or '')}</a>",
                    escape(a["evidence"] or ""),
                    escape(channels),
                ]
            )
        return _page(
            "Vigie — alertes récentes",
            ["Publié", "Type", "Nouveau", "Média", "Phrase", "Envoi"],
            cells,
            f"{len(rows)} alertes (les 200 plus récentes).",
        )

    return app
