"""The `vigie` command: for people and scripts beside Airflow (DESIGN.md, "Command line")."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigie import pipeline
from vigie.config import Settings, load_settings
from vigie.store.db import session_scope

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True)
# Tables go to stdout; when it is a file or a pipe (make run's report), do not squeeze them to 80.
table_console = Console(width=None if sys.stdout.isatty() else 160)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def articles(as_json: Annotated[bool, typer.Option("--json", help="JSON array")] = False) -> None:
    """Every article with its status, newest first."""
    from vigie.articles import list_articles

    with session_scope() as session:
        rows = list_articles(session)
    if as_json:
        _print_json(rows)
        return
    table = Table("id", "status", "outlet", "published", "title", "attempts", "reason")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["status"],
            r["outlet"] or "",
            r["published"] or "",
            (r["title"] or "")[:60],
            str(r["attempts"]) if r["attempts"] else "",
            (r["reason"] or "")[:80],
        )
    table_console.print(table)


alerts_app = typer.Typer(
    add_completion=False,
    invoke_without_command=True,
    help="Every alert, newest first; `vigie alerts retry` puts deliveries back in the outbox.",
)
app.add_typer(alerts_app, name="alerts")


@alerts_app.callback()
def alerts(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON array")] = False,
) -> None:
    """Every alert, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from vigie.alerts.serialize import list_alerts

    with session_scope() as session:
        rows = list_alerts(session)
    if as_json:
        _print_json(rows)
        return
    table = Table("id", "kind", "what", "outlet", "published", "channels")
    for r in rows:
        what = (
            f"{r.get('qualifier') or ''} {r.get('value')} {r.get('measure')}".strip()
            if r["kind"] == "figure"
            else f"{r.get('speaker')}: « {(r.get('quote') or '')[:50]} »"
        )
        channels = ", ".join(f"{k}={v['status']}" for k, v in r["channels"].items())
        table.add_row(
            str(r["id"]), r["kind"], what, r["outlet"] or "", r["published"] or "", channels
        )
    table_console.print(table)


@alerts_app.command("retry")
def alerts_retry(
    alert_id: Annotated[
        int | None, typer.Option("--id", help="this alert's failed, unknown or skipped sends")
    ] = None,
    failed: Annotated[bool, typer.Option("--failed", help="every failed delivery")] = False,
    unknown: Annotated[
        bool, typer.Option("--unknown", help="every delivery whose outcome is unknown")
    ] = False,
    channel: Annotated[str | None, typer.Option(help="only this channel (slack, email)")] = None,
) -> None:
    """Put deliveries back in the outbox: the next delivery run sends each once."""
    from vigie.alerts.outbox import requeue

    if alert_id is None and not failed and not unknown:
        console.print("say which: --id N, --failed or --unknown")
        raise typer.Exit(2)
    with session_scope() as session:
        done = requeue(session, alert_id=alert_id, failed=failed, unknown=unknown, channel=channel)
        summary = [(d.alert_id, d.channel) for d in done]
    for alert, name in summary:
        console.print(f"alert {alert}: {name} re-queued")
    console.print(f"{len(summary)} deliveries re-queued; the next delivery run sends them once")


@app.command()
def feeds(
    as_json: Annotated[bool, typer.Option("--json", help="JSON array")] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="ask each address of the sources file once and say what it answers (network)",
        ),
    ] = False,
) -> None:
    """Feed health: which feed fails, since when and why, and the pages it could not give."""
    from dataclasses import asdict

    if check:
        _check_feeds(as_json)
        return
    from vigie.articles import page_problems
    from vigie.health import feed_health

    with session_scope() as session:
        rows = feed_health(session, datetime.now(UTC))
        problems = page_problems(session)
    if as_json:
        _print_json([asdict(r) for r in rows])
        return
    table = Table(
        "feed", "state", "last success", "failing since", "failures", "pages failed/skipped",
        "last error",
    )  # fmt: skip
    for r in rows:
        table.add_row(
            r.name,
            r.state,
            f"{r.last_success_at:%Y-%m-%d %H:%M}" if r.last_success_at else "",
            f"{r.failing_since:%Y-%m-%d %H:%M}" if r.failing_since else "",
            str(r.failure_count),
            f"{r.failed_pages}/{r.skipped_pages}",
            r.last_error or "",
        )
    table_console.print(table)
    if problems:
        pages = Table("outlet", "status", "attempts", "url", "reason", title="Pages")
        for p in problems:
            pages.add_row(
                p["outlet"] or "", p["status"], str(p["attempts"]), p["url"], p["reason"] or ""
            )
        table_console.print(pages)


def _check_feeds(as_json: bool) -> None:
    """``vigie feeds --check``: exit status 1 when an address does not answer with a feed."""
    from dataclasses import asdict

    from vigie.ingest.feeds import check_sources, load_sources

    settings = load_settings()
    checks = check_sources(load_sources(settings.sources_file), settings)
    if as_json:
        _print_json([asdict(c) for c in checks])
    else:
        table = Table("feed", "verified", "answers", "url")
        for c in checks:
            shown = "yes" if c.verified else "no"
            if not c.enabled:
                shown += " (disabled)"
            answer = ("OK: " if c.ok else "NO: ") + c.answer
            if c.moved_to:
                answer += f" — moved permanently to {c.moved_to}"
            table.add_row(c.name, shown, answer, c.url)
        table_console.print(table)
    failing = [c for c in checks if not c.ok]
    console.print(f"{len(checks) - len(failing)} of {len(checks)} addresses answer with a feed")
    if failing:
        raise typer.Exit(1)


@app.command()
def run() -> None:
    """One monitoring cycle without Airflow, stage by stage."""
    for counts in pipeline.cycle():
        console.print(counts["summary"])


@app.command("eval")
def evaluate(
    corpus: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="labelled corpus")],
    as_json: Annotated[bool, typer.Option("--json", help="scores as JSON")] = False,
) -> None:
    """Score the alerts of a fresh store over a labelled corpus (eval-dev/README.md)."""
    from vigie.evaluate import CorpusError, evaluate_corpus, render_eval
    from vigie.quality import record_eval

    settings = load_settings()
    try:
        result = evaluate_corpus(
            corpus, seeds_dir=settings.seeds_dir, watch_file=settings.watch_file
        )
    except CorpusError as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc
    with session_scope(settings.database_url) as session:
        record_eval(session, corpus.resolve(), result.to_dict())
    if as_json:
        _print_json(result.to_dict())
    else:
        render_eval(result, Console())


def _drain(progress: Progress, label: str, step: Callable[[], int], total: int) -> int:
    """Run a stage in batches until a batch handles nothing, advancing one bar; how many."""
    task = progress.add_task(label, total=total or None)
    while done := step():
        progress.advance(task, done)
    finished = int(progress.tasks[task].completed)
    progress.update(task, total=finished, completed=finished)
    return finished


@app.command()
def backfill(
    archive: Annotated[Path, typer.Option(exists=True, help="WARC file, folder of pages, JSONL")],
    start: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="first day")],
    end: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="last day")],
    workers: Annotated[
        int, typer.Option(min=1, help="processes screening pages [one per core]")
    ] = os.cpu_count() or 1,
) -> None:
    """Replay an archive over past dates: historical alerts, never pushed one by one.

    Cheap first (the relevance gate on each raw page, extraction only for those that pass), on
    every core; killed, the same command finishes the window and skips what was done."""
    from sqlalchemy import func, select

    from vigie.store.models import Alert, Article

    settings = load_settings()
    since = datetime.now(UTC)
    pipeline.baseline(settings)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        reading = progress.add_task("records", total=None)

        def show(report: Any) -> None:
            progress.update(
                reading,
                completed=report.records,
                description=f"records ({report.stored} stored, {report.relevant} relevant, "
                f"{report.already_done} already done)",
            )

        replayed = pipeline.archive(
            archive, start.date(), end.date(), settings, workers=workers, progress=show
        )
        with session_scope(settings.database_url) as session:
            waiting = session.scalar(select(func.count()).where(Article.status == "new")) or 0
        batch = 50
        deduped = _drain(progress, "dedup", lambda: _batch("dedup", settings, batch), waiting)
        analysed = _drain(progress, "analyse", lambda: _batch("analyse", settings, batch), 0)
    console.print(replayed["summary"])
    console.print(f"dedup: {deduped} articles decided; analysis: {analysed} articles analysed")
    console.print(pipeline.backfill_digest(since, start.date(), end.date(), settings)["summary"])
    with session_scope(settings.database_url) as session:
        historical = session.scalar(select(func.count()).where(Alert.historical)) or 0
    console.print(f"backfill done: {historical} historical alerts in the store")


def _batch(stage: str, settings: Settings, limit: int) -> int:
    """One batch of a stage over stored articles; how many articles it handled."""
    if stage == "dedup":
        return pipeline.dedup(settings, limit=limit)["processed"]
    counts = pipeline.analyse(settings, historical=True, limit=limit)
    return counts["analysed"] + counts["failed"]


def main() -> None:
    app()
