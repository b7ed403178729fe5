"""The one private part of the SMTP provider Vigie reads, pinned against a real SMTP server.

``vigie.alerts.email`` speaks the SMTP transaction itself on the hook's logged-in client (to tell
"not sent" from "outcome unknown"); the provider has no public accessor for it. If a new provider
release moves it, this test fails and names the place to change.
"""

from __future__ import annotations

import smtplib

import pytest
from airflow.providers.smtp.hooks.smtp import SmtpHook

from vigie.alerts.email import CONN_ID, logged_in_client


def test_the_entered_hook_holds_a_connected_smtplib_client(smtp):
    with SmtpHook(CONN_ID) as hook:
        client = logged_in_client(hook)
        assert isinstance(client, smtplib.SMTP)
        assert client.noop()[0] == 250  # connected to the loopback server
    assert getattr(hook, "_smtp_client", "gone") is None  # closed on exit


def test_a_hook_without_that_client_is_named_clearly():
    class Changed:
        pass

    with pytest.raises(TypeError, match="_smtp_client"):
        logged_in_client(Changed())
