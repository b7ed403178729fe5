"""Telling operators about failures, through the providers' notifiers, when configured.

The notifiers render their text as Jinja templates and log (rather than raise) send failures.
That suits these messages: the text is ours, and the one value that could hold braces (the
exception) is wrapped in a raw block. Article text never goes through here.
"""

from __future__ import annotations

import logging
from typing import Any

from vigie.config import load_settings

log = logging.getLogger("vigie.ops")
OPS_SLACK_CONN = "vigie_ops_slack"


def _has_connection(conn_id: str) -> bool:
    from airflow.sdk import BaseHook

    try:
        BaseHook.get_connection(conn_id)
    except Exception:
        return False
    return True


def failure_message(context: dict[str, Any]) -> tuple[str, str]:
    """Subject and body for a failed run or task, from the callback's context."""
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "?")
    task_id = getattr(ti, "task_id", None)
    run_id = context.get("run_id") or getattr(context.get("dag_run"), "run_id", "?")
    error = str(context.get("exception") or context.get("reason") or "no reason given")[:500]
    where = f"{dag_id}.{task_id}" if task_id else dag_id
    subject = f"Vigie : échec de {where}"
    body = f"{subject} (run {run_id}) : {{% raw %}}{error}{{% endraw %}}"
    return subject, body


def notify_failure(context: dict[str, Any]) -> None:
    """DAG and task failure callback: Slack `vigie_ops_slack` and/or VIGIE_OPS_EMAIL_TO."""
    subject, body = failure_message(context)
    sent = []
    if _has_connection(OPS_SLACK_CONN):
        from airflow.providers.slack.notifications.slack_webhook import SlackWebhookNotifier

        SlackWebhookNotifier(slack_webhook_conn_id=OPS_SLACK_CONN, text=body).notify(context)
        sent.append("slack")
    recipients = list(load_settings().ops_email_to)
    if recipients:
        from airflow.providers.smtp.notifications.smtp import SmtpNotifier

        SmtpNotifier(to=recipients, subject=subject, html_content=body).notify(context)
        sent.append("email")
    log.warning("%s; operators told by: %s", subject, ", ".join(sent) or "nobody (none configured)")


def worker_hostname() -> str:
    """Hostname Airflow records for a task: VIGIE_WORKER_NAME when set, else the FQDN.

    Several Celery workers on one machine (the distributed smoke test) share one FQDN; naming
    them lets the task instances show which worker ran them.
    """
    import os
    import socket

    return os.environ.get("VIGIE_WORKER_NAME") or socket.getfqdn()
