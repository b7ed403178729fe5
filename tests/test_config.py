"""Settings from the environment: the names and defaults of DESIGN.md, errors that name them."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigie.config import DEFAULT_SOURCES, DEFAULT_WATCH, PROJECT_DIR, SettingsError, load_settings


def test_defaults_are_the_operator_contract(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})

    assert settings.home == tmp_path / "data"
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'vigie.db'}"
    assert settings.sources_file == DEFAULT_SOURCES
    assert settings.seeds_dir == PROJECT_DIR / "seeds"
    assert settings.watch_file == DEFAULT_WATCH
    assert settings.allow_private_hosts == settings.alert_email_to == settings.ops_email_to == ()
    assert settings.schedule == "*/15 * * * *"
    assert (settings.digest_over, settings.raw_cache_days) == (10, 30)
    assert (settings.delivery_max_attempts, settings.delivery_retry_seconds) == (8, 120)
    assert (settings.task_retry_seconds, settings.max_feed_backoff_hours) == (60, 24)
    assert settings.contact is None
    assert settings.fetch_timeout_seconds == 20.0
    assert settings.backfill_digest is True


def test_every_variable_is_read(tmp_path):
    env = {
        "VIGIE_HOME": str(tmp_path),
        "VIGIE_DATABASE_URL": "postgresql+psycopg://u@db/vigie",
        "VIGIE_SOURCES": "/etc/vigie/sources.yaml",
        "VIGIE_SEEDS_DIR": "/srv/seeds",
        "VIGIE_WATCH": "/etc/vigie/watch.yaml",
        "VIGIE_ALLOW_PRIVATE_HOSTS": "127.0.0.1, intranet.local,10.0.0.0/8,",
        "VIGIE_ALERT_EMAIL_TO": "a@exemple.fr, b@exemple.fr",
        "VIGIE_OPS_EMAIL_TO": "ops@exemple.fr",
        "VIGIE_SCHEDULE": "@hourly",
        "VIGIE_DIGEST_OVER": "3",
        "VIGIE_RAW_CACHE_DAYS": "7",
        "VIGIE_DELIVERY_MAX_ATTEMPTS": "2",
        "VIGIE_DELIVERY_RETRY_SECONDS": "0",
        "VIGIE_TASK_RETRY_SECONDS": "5",
        "VIGIE_MAX_FEED_BACKOFF_HOURS": "6",
        "VIGIE_CONTACT": "  veille@exemple.fr  ",
        "VIGIE_FETCH_TIMEOUT_SECONDS": "2.5",
        "VIGIE_BACKFILL_DIGEST": "non",
    }
    settings = load_settings(env)

    assert settings.home == tmp_path
    assert settings.database_url == "postgresql+psycopg://u@db/vigie"
    assert settings.sources_file == Path("/etc/vigie/sources.yaml")
    assert settings.seeds_dir == Path("/srv/seeds")
    assert settings.watch_file == Path("/etc/vigie/watch.yaml")
    assert settings.allow_private_hosts == ("127.0.0.1", "intranet.local", "10.0.0.0/8")
    assert [str(n) for n in settings.allowed_networks] == ["127.0.0.1/32", "10.0.0.0/8"]
    assert settings.allowed_hostnames == {"intranet.local"}
    assert settings.alert_email_to == ("a@exemple.fr", "b@exemple.fr")
    assert settings.ops_email_to == ("ops@exemple.fr",)
    assert settings.schedule == "@hourly"
    assert (settings.digest_over, settings.raw_cache_days) == (3, 7)
    assert (settings.delivery_max_attempts, settings.delivery_retry_seconds) == (2, 0)
    assert (settings.task_retry_seconds, settings.max_feed_backoff_hours) == (5, 6)
    assert settings.contact == "veille@exemple.fr"
    assert settings.fetch_timeout_seconds == 2.5
    assert settings.backfill_digest is False


def test_the_process_environment_is_read_at_each_call(monkeypatch, tmp_path):
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    monkeypatch.setenv("VIGIE_DIGEST_OVER", "4")
    assert load_settings().database_url == f"sqlite:///{tmp_path / 'vigie.db'}"
    assert load_settings().digest_over == 4
    monkeypatch.setenv("VIGIE_DIGEST_OVER", "5")
    assert load_settings().digest_over == 5
    assert load_settings({}).digest_over == 10  # a given environment replaces the process's


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"VIGIE_SCHEDULE": "none"}, None),
        ({"VIGIE_SCHEDULE": "None"}, None),
        ({"VIGIE_SCHEDULE": ""}, "*/15 * * * *"),
    ],
)
def test_schedule_none_means_only_when_triggered(env, expected):
    assert load_settings(env).schedule == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", False), ("false", False), ("Off", False), ("no", False), ("oui", True), ("", True)],
)
def test_backfill_digest_flag(value, expected):
    assert load_settings({"VIGIE_BACKFILL_DIGEST": value}).backfill_digest is expected


def test_empty_values_mean_the_default():
    settings = load_settings({"VIGIE_DIGEST_OVER": "", "VIGIE_WATCH": "", "VIGIE_CONTACT": ""})
    assert settings.digest_over == 10
    assert settings.watch_file == DEFAULT_WATCH
    assert settings.contact is None


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"VIGIE_DIGEST_OVER": "beaucoup"}, "VIGIE_DIGEST_OVER='beaucoup'"),
        ({"VIGIE_FETCH_TIMEOUT_SECONDS": "-1"}, "VIGIE_FETCH_TIMEOUT_SECONDS='-1'"),
        ({"VIGIE_DELIVERY_MAX_ATTEMPTS": "0"}, "VIGIE_DELIVERY_MAX_ATTEMPTS='0'"),
    ],
)
def test_a_bad_value_names_its_variable(env, named):
    with pytest.raises(SettingsError, match="invalid setting") as caught:
        load_settings(env)
    assert named in str(caught.value)


def test_settings_are_frozen_and_copied_with_changes():
    settings = load_settings({})
    with pytest.raises(ValueError, match="frozen"):
        settings.digest_over = 3
    assert settings.model_copy(update={"digest_over": 3}).digest_over == 3
    assert settings.digest_over == 10
