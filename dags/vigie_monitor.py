"""
### Vigie — surveillance Russie–Corée du Nord

Every cycle polls the French feeds of the sources file, fetches and extracts the new articles,
sets aside duplicates of the baseline (`seeds/`) and of history, analyses what is left, and sends
each **new figure** or **new declaration** to analysts on Slack and by e-mail.

Stages hand over through the store (XCom carries counts only). Each task logs one summary line.
Settings: `VIGIE_*` environment variables (DESIGN.md); Slack: connection `vigie_slack`; e-mail:
connection `smtp_default` and `VIGIE_ALERT_EMAIL_TO`; failures: `vigie_ops_slack` /
`VIGIE_OPS_EMAIL_TO`. Feed health: the task log of **feeds**, `vigie feeds`, and the *Vigie* page.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import chain, dag

from vigie.dag_support import HTTP_POOL, default_args, monitor_schedule, notify_failure, stage


@dag(
    dag_id="vigie_monitor",
    dag_display_name="Vigie — surveillance",
    schedule=monitor_schedule(),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=60),
    tags=["vigie", "veille", "russie-coree-du-nord"],
    doc_md=__doc__,
    default_args=default_args(execution_timeout=timedelta(minutes=10)),
    on_failure_callback=notify_failure,
)
def vigie_monitor() -> None:
    chain(
        stage(
            "baseline",
            "Référence (seeds)",
            """Ingests `seeds/` through the same path as feed articles; a second run adds nothing.

            **On failure**: check that `VIGIE_SEEDS_DIR` exists and is readable.""",
        ),
        stage(
            "feeds",
            "Flux",
            """Polls every due feed (conditional GET, back-off on failures) and stores new entries.

            A failing feed does not fail the task: its reason is in the log line and in
            `vigie feeds`. **On failure**: the store or the sources file is at fault; read the
            log's last lines.""",
            pool=HTTP_POOL,
        ),
        stage(
            "pages",
            "Pages",
            """Fetches the pages of new entries (SSRF guard, size cap) and keeps the raw bytes.

            A page that fails is an article `failed` with its reason (`vigie articles`): never
            asked again when the failure is permanent, retried after a growing wait when it is
            not. **On failure**: usually the store; page errors are recorded, not raised.""",
            pool=HTTP_POOL,
        ),
        stage(
            "extract",
            "Extraction",
            """Extracts text, metadata, canonical URL and language from the stored pages.

            **On failure**: re-run; extraction works from stored bytes, nothing is refetched.""",
        ),
        stage(
            "dedup",
            "Doublons",
            """Marks exact and near duplicates of the baseline and history; groups stories.

            **On failure**: re-run; the stage is idempotent.""",
        ),
        stage(
            "analyse",
            "Analyse",
            """Relevance gate, then events, figures and declarations; new facts become alerts.

            **On failure**: re-run; facts and alerts are keyed, nothing is recorded twice.""",
            execution_timeout=timedelta(minutes=20),
        ),
        stage(
            "deliver",
            "Envoi des alertes",
            """Sends pending alerts to Slack and by e-mail; fails while a channel is down.

            Alerts stay pending until sent: Airflow's retries and the next runs deliver them. A
            send with no answer is `unknown`, never repeated (operators are told; `vigie alerts
            retry`). **On failure**: check the `vigie_slack` / `smtp_default` connections;
            `vigie alerts`.""",
            execution_timeout=timedelta(minutes=5),
        ),
    )


vigie_monitor()
