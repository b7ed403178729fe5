"""Telling operators about failures, through the providers' notifiers, when configured.

Called as ``notifier(context)`` a notifier renders its text as a Jinja template; we call its
``notify`` directly, which sends the text as it is, so an exception message holding braces
stays literal. A channel that cannot be reached is logged: telling operators must never be
what fails a run. Article text never goes through here.
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
    body = f"{subject} (run {run_id}) : {error}"
    return subject, body


def notify_failure(context: dict[str, Any]) -> None:
    """DAG and task failure callback: Slack `vigie_ops_slack` and/or VIGIE_OPS_EMAIL_TO."""
    subject, body = failure_message(context)
    notify_operators(subject, body, context)


def notify_operators(subject: str, body: str, context: dict[str, Any] | None = None) -> list[str]:
    """Send ``body`` as it is to the operators' channels; the channels that took it."""
    context = context if context is not None else {}
    notifiers = []
    if _has_connection(OPS_SLACK_CONN):
        from airflow.providers.slack.notifications.slack_webhook import SlackWebhookNotifier

        notifiers.append(
            ("slack", SlackWebhookNotifier(slack_webhook_conn_id=OPS_SLACK_CONN, text=body))
        )
    recipients = list(load_settings().ops_email_to)
    if recipients:
        from airflow.providers.smtp.notifications.smtp import SmtpNotifier

        from vigie.templating import environment

        html = environment("email").get_template("ops.html").render(body=body)
        notifiers.append(("email", SmtpNotifier(to=recipients, subject=subject, html_content=html)))
    sent = []
    for name, notifier in notifiers:
        try:
            notifier.notify(context)
        except Exception as exc:
            log.error("could not tell operators by %s: %s", name, exc)
        else:
            sent.append(name)
    log.warning("%s; operators told by: %s", subject, ", ".join(sent) or "nobody (none configured)")
    return sent


def worker_hostname() -> str:
    """Hostname Airflow records for a task: VIGIE_WORKER_NAME when set, else the FQDN.

    Several Celery workers on one machine (the distributed smoke test) share one FQDN; naming
    them lets the task instances show which worker ran them.
    """
    import os
    import socket

    return os.environ.get("VIGIE_WORKER_NAME") or socket.getfqdn()
