"""Vigie's pages in the Airflow UI — alerts, figures over time, articles, feeds, quality — and the
read-only JSON API behind them.

An app factory (the plugin only registers it): every route sits behind the dependency the caller
passes (Airflow's authentication in the plugin, an override in tests); pages are Jinja2 templates
with autoescape, and a strict Content-Security-Policy lets only this app's own scripts run (the
charts' plotly.js is the copy the ``plotly`` package ships, served from here, never a CDN).
Queries live in ``vigie.views.queries``; nothing heavy is imported until a request arrives.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

VIEWS_DIR = Path(__file__).resolve().parent / "views"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PAGES = (
    ("alerts", "Alertes"),
    ("figures", "Chiffres"),
    ("feeds", "Flux"),
    ("quality", "Qualité"),
)
PAGE_SIZE = 50
ALERT_PARAMS = (
    "kind", "speaker", "measure", "event", "outlet", "channel", "status", "historical",
    "since", "until",
)  # fmt: skip


def _plotly_js() -> Path:
    """The plotly.min.js inside the installed ``plotly`` package (found without importing it)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise HTTPException(status_code=404, detail="plotly is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"


# The feeds page lists the newest pages that failed or were skipped, at most this many.
PAGE_PROBLEMS_SHOWN = 500

STATIC = {
    "vigie.js": lambda: VIEWS_DIR / "static" / "vigie.js",
    "vigie.css": lambda: VIEWS_DIR / "static" / "vigie.css",
    "plotly.min.js": _plotly_js,
}


@lru_cache(maxsize=1)
def _templates() -> Any:
    from vigie.templating import environment
    from vigie.views import french

    env = environment("pages")
    env.filters.update(
        when=french.when,
        day=french.day,
        percent=french.percent,
        integer=french.integer,
        clean=french.clean,
    )
    env.globals.update(
        amount=french.amount,
        outlet=french.outlet,
        channel_state=french.channel_state,
        article_status=french.ARTICLE_STATUS,
        feed_state=french.FEED_STATE,
        kind_label=french.KIND,
        pages=PAGES,
    )
    return env


@lru_cache(maxsize=1)
def _labels() -> Any:
    from vigie.alerts.render import load_labels
    from vigie.config import load_settings

    return load_labels(load_settings().watch_file)


@contextmanager
def _session() -> Iterator[Any]:
    from vigie.store.db import session_scope

    with session_scope() as session:
        yield session


def _render(
    request: Request, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    base = request.scope.get("root_path", "").rstrip("/")
    html = (
        _templates()
        .get_template(template)
        .render(base=base, page=template.removesuffix(".html"), labels=_labels(), **context)
    )
    return HTMLResponse(html, status_code=status_code)


def _bad_request(exc: Exception) -> HTTPException:
    return HTTPException(status_code=400, detail=str(exc))


def _alert_filters(request: Request) -> Any:
    from vigie.views.queries import AlertFilters, BadRequest

    try:
        return AlertFilters.parse({k: request.query_params.get(k) for k in ALERT_PARAMS})
    except BadRequest as exc:
        raise _bad_request(exc) from exc


def _limit(raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=f"limit: {raw!r} is not a number") from exc


def create_app(auth: Callable[..., Any] | None = None) -> FastAPI:
    """The FastAPI app behind /vigie; ``auth`` guards every route, pages, API and scripts."""
    dependencies = [Depends(auth)] if auth is not None else []
    app = FastAPI(
        title="Vigie",
        description="Alerts, figures, articles, feed health and alert quality (read-only).",
        dependencies=dependencies,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[..., Any]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith(f"{request.scope.get('root_path', '')}/api/") or (
            exc.status_code in (401, 403)
        ):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return _render(request, "error.html", status_code=exc.status_code, error=str(exc.detail))

    # --- pages -----------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> RedirectResponse:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/alerts")

    @app.get("/alerts", response_class=HTMLResponse)
    def alerts_page(request: Request) -> HTMLResponse:
        from vigie.alerts.render import corroboration_text, evidence_parts, known_empty, known_lines
        from vigie.views.queries import (
            CHANNELS,
            EVENT_TYPES,
            STATUSES,
            BadRequest,
            alert_page,
            filter_choices,
        )

        filters = _alert_filters(request)
        after = request.query_params.get("after")
        limit = _limit(request.query_params.get("limit"), PAGE_SIZE)
        with _session() as session:
            try:
                page = alert_page(session, filters, after, limit)
            except BadRequest as exc:
                raise _bad_request(exc) from exc
            choices = filter_choices(session)
        items = []
        for entry in page.entries:
            view = entry["view"]
            before, mark, rest = evidence_parts(view, 1200)
            items.append(
                {
                    **entry,
                    "evidence": (before, mark, rest),
                    "known": known_lines(view, limit=8),
                    "known_empty": known_empty(view),
                    "corroboration": corroboration_text(view),
                }
            )
        params = filters.params() | ({"limit": str(limit)} if limit != PAGE_SIZE else {})
        next_link = urlencode({**params, "after": page.next_cursor}) if page.next_cursor else None
        return _render(
            request,
            "alerts.html",
            items=items,
            total=page.total,
            total_exact=page.total_exact,
            filters=filters,
            params=params,
            first_link=urlencode(params),
            next_link=next_link,
            paged=bool(after),
            choices=choices,
            kinds=("figure", "declaration"),
            events=EVENT_TYPES,
            channels=CHANNELS,
            statuses=STATUSES,
        )

    @app.get("/figures", response_class=HTMLResponse)
    def figures_page(request: Request) -> HTMLResponse:
        from vigie.views import french
        from vigie.views.queries import (
            TABLE_POINTS,
            BadRequest,
            figure_points,
            known_measures,
            parse_day,
        )

        labels = _labels()
        try:
            since = parse_day(request.query_params.get("since"), "since")
            until = parse_day(request.query_params.get("until"), "until")
        except BadRequest as exc:
            raise _bad_request(exc) from exc
        with _session() as session:
            measures = known_measures(session, list(labels.measures))
            measure = request.query_params.get("measure") or (measures[0] if measures else "")
            points = figure_points(session, measure, since, until) if measure else []
        base = request.scope.get("root_path", "").rstrip("/")
        chart = [
            {
                "x": french.paris(p["published"]),
                "y": p["value"],
                "baseline": p["baseline"],
                "link": f"{base}/articles/{p['article']['id']}",
                "text": escape(
                    french.amount(
                        p["value"], p["value_high"], p["qualifier"], p["object"], p["additional"]
                    )
                    + f" — {french.outlet(p['article']['outlet'], p['baseline'])}, "
                    + french.when(p["published"])
                ),
            }
            for p in points
            if p["published"]
        ]
        return _render(
            request,
            "figures.html",
            measures=measures,
            measure=measure,
            since=since.isoformat() if since else "",
            until=until.isoformat() if until else "",
            points=points[:TABLE_POINTS],
            total_points=len(points),
            chart={
                "measure": labels.measure(measure) or measure,
                "points": chart,
                # every value the baseline holds, dated or not, as a line across the chart
                "reference": sorted({p["value"] for p in points if p["baseline"]}),
            },
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: int) -> HTMLResponse:
        from vigie.views.queries import article_detail

        with _session() as session:
            detail = article_detail(session, article_id)
        if detail is None:
            raise HTTPException(status_code=404, detail=f"article {article_id} introuvable")
        return _render(request, "article.html", d=detail)

    @app.get("/feeds", response_class=HTMLResponse)
    def feeds_page(request: Request) -> HTMLResponse:
        from vigie.articles import page_problems
        from vigie.views import french
        from vigie.views.queries import feed_overview

        with _session() as session:
            feeds = feed_overview(session, datetime.now(UTC))
            problems = page_problems(session, limit=PAGE_PROBLEMS_SHOWN)
        charts = [
            {
                "days": [french.short_day(d["day"]) for d in f["entries_per_day"]],
                "entries": [d["entries"] for d in f["entries_per_day"]],
            }
            for f in feeds
        ]
        watch = sum(1 for f in feeds if f["state"] != "ok")
        return _render(
            request, "feeds.html", feeds=feeds, charts=charts, watch=watch, problems=problems
        )

    @app.get("/quality", response_class=HTMLResponse)
    def quality_page(request: Request) -> HTMLResponse:
        from vigie.quality import latest_eval

        with _session() as session:
            latest = latest_eval(session)
        return _render(request, "quality.html", latest=latest)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        if name not in STATIC:
            raise HTTPException(status_code=404, detail="no such file")
        return FileResponse(STATIC[name](), headers={"Cache-Control": "private, max-age=3600"})

    # --- JSON API --------------------------------------------------------------------------

    @app.get("/api/alerts")
    def api_alerts(request: Request) -> JSONResponse:
        """Alerts in DESIGN.md's shape, newest publication first; ``next`` is the cursor for
        the following page (``?after=``), ``total`` the count matching the filters."""
        from vigie.views.queries import BadRequest, alert_page

        filters = _alert_filters(request)
        with _session() as session:
            try:
                page = alert_page(
                    session,
                    filters,
                    request.query_params.get("after"),
                    _limit(request.query_params.get("limit"), PAGE_SIZE),
                )
            except BadRequest as exc:
                raise _bad_request(exc) from exc
        return JSONResponse(
            {
                "alerts": [e["json"] for e in page.entries],
                "next": page.next_cursor,
                "total": page.total,
                "total_exact": page.total_exact,
            }
        )

    @app.get("/api/figures")
    def api_figures(request: Request) -> JSONResponse:
        """The reported values of one measure (``?measure=``), newest first (``limit`` of them,
        1 000 unless said, at most 5 000)."""
        from vigie.views.queries import (
            CHART_POINTS,
            BadRequest,
            figure_points,
            known_measures,
            parse_day,
        )

        try:
            since = parse_day(request.query_params.get("since"), "since")
            until = parse_day(request.query_params.get("until"), "until")
        except BadRequest as exc:
            raise _bad_request(exc) from exc
        measure = request.query_params.get("measure")
        limit = _limit(request.query_params.get("limit"), CHART_POINTS)
        with _session() as session:
            if not measure:
                return JSONResponse({"measures": known_measures(session, list(_labels().measures))})
            points = figure_points(session, measure, since, until, limit)
        return JSONResponse({"measure": measure, "points": points})

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: int) -> JSONResponse:
        """An article in DESIGN.md's shape, its story, the facts it carried and its text."""
        from vigie.views.queries import article_detail

        with _session() as session:
            detail = article_detail(session, article_id)
        if detail is None:
            raise HTTPException(status_code=404, detail=f"article {article_id} not found")
        return JSONResponse(detail)

    @app.get("/api/feeds")
    def api_feeds() -> JSONResponse:
        """Every feed, failing first, with its polls of the last 14 days."""
        from vigie.views.queries import feed_overview

        with _session() as session:
            return JSONResponse(feed_overview(session, datetime.now(UTC)))

    @app.get("/api/quality")
    def api_quality() -> JSONResponse:
        """The latest `vigie eval` result, or null when none has run."""
        from vigie.quality import latest_eval

        with _session() as session:
            return JSONResponse(latest_eval(session))

    return app
