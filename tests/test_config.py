"""The settings as DESIGN.md promises them: each `VIGIE_*` name, its default, its parsing.

Written against the environment and `load_settings()` only, so they hold whatever builds the
settings underneath.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import pytest

from vigie.config import DEFAULT_WATCH, SettingsError, load_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No VIGIE_* variable set, working directory a fresh temp folder."""
    for name in list(os.environ):
        if name.startswith("VIGIE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_defaults(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    s = load_settings()
    assert Path(s.home) == tmp_path / "data"
    assert s.database_url == f"sqlite:///{tmp_path / 'data' / 'vigie.db'}"
    assert Path(s.sources_file).name == "sources.yaml"
    assert Path(s.sources_file).is_file()
    assert Path(s.watch_file).name == "russia_dprk.yaml"
    assert Path(s.watch_file).is_file()
    assert Path(s.seeds_dir).name == "seeds"
    assert list(s.alert_email_to) == []
    assert list(s.ops_email_to) == []
    assert list(s.allow_private_hosts) == []
    assert s.contact is None
    assert s.fetch_timeout_seconds == 20
    assert s.digest_over == 10
    assert s.raw_cache_days == 30
    assert s.delivery_max_attempts == 8
    assert s.delivery_retry_seconds == 120
    assert s.max_feed_backoff_hours == 24
    assert s.backfill_digest is True


def test_each_variable_sets_its_setting(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    values = {
        "VIGIE_HOME": str(tmp_path / "maison"),
        "VIGIE_DATABASE_URL": "postgresql+psycopg://vigie@db:5432/vigie",
        "VIGIE_SOURCES": str(tmp_path / "flux.yaml"),
        "VIGIE_SEEDS_DIR": str(tmp_path / "base"),
        "VIGIE_WATCH": str(tmp_path / "veille.yaml"),
        "VIGIE_CONTACT": "  veille@exemple.org ",
        "VIGIE_FETCH_TIMEOUT_SECONDS": "7.5",
        "VIGIE_DIGEST_OVER": "3",
        "VIGIE_RAW_CACHE_DAYS": "5",
        "VIGIE_DELIVERY_MAX_ATTEMPTS": "2",
        "VIGIE_DELIVERY_RETRY_SECONDS": "9",
        "VIGIE_MAX_FEED_BACKOFF_HOURS": "48",
    }
    for name, value in values.items():
        env.setenv(name, value)

    s = load_settings()

    assert Path(s.home) == tmp_path / "maison"
    assert s.database_url == values["VIGIE_DATABASE_URL"]
    assert Path(s.sources_file) == tmp_path / "flux.yaml"
    assert Path(s.seeds_dir) == tmp_path / "base"
    assert Path(s.watch_file) == tmp_path / "veille.yaml"
    assert s.contact == "veille@exemple.org"
    assert s.fetch_timeout_seconds == 7.5
    assert (s.digest_over, s.raw_cache_days) == (3, 5)
    assert (s.delivery_max_attempts, s.delivery_retry_seconds) == (2, 9)
    assert s.max_feed_backoff_hours == 48


def test_the_store_follows_home(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("VIGIE_HOME", "relatif")
    s = load_settings()
    assert Path(s.home) == tmp_path / "relatif", "a relative home is made absolute"
    assert s.database_url == f"sqlite:///{tmp_path / 'relatif' / 'vigie.db'}"


def test_lists_are_comma_separated(env: pytest.MonkeyPatch) -> None:
    env.setenv("VIGIE_ALERT_EMAIL_TO", " a@x.fr, ,b@y.fr ")
    env.setenv("VIGIE_OPS_EMAIL_TO", "ops@x.fr")
    s = load_settings()
    assert list(s.alert_email_to) == ["a@x.fr", "b@y.fr"]
    assert list(s.ops_email_to) == ["ops@x.fr"]


def test_private_hosts_split_into_networks_and_names(env: pytest.MonkeyPatch) -> None:
    env.setenv("VIGIE_ALLOW_PRIVATE_HOSTS", "127.0.0.1,10.0.0.0/8,[::1],Intranet.Local")
    s = load_settings()
    assert set(s.allowed_networks) == {
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    }
    assert s.allowed_hostnames == frozenset({"intranet.local"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", True), ("true", True), ("1", True), ("false", False), ("non", False), ("0", False)],
)
def test_backfill_digest_flag(env: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    env.setenv("VIGIE_BACKFILL_DIGEST", value)
    assert load_settings().backfill_digest is expected


def test_settings_are_read_at_each_call(env: pytest.MonkeyPatch) -> None:
    """Tasks read them when they run: a change of environment shows at the next call."""
    assert load_settings().digest_over == 10
    env.setenv("VIGIE_DIGEST_OVER", "4")
    assert load_settings().digest_over == 4


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"VIGIE_SCHEDULE": "none"}, None),
        ({"VIGIE_SCHEDULE": "None"}, None),
        ({"VIGIE_SCHEDULE": ""}, "*/15 * * * *"),
    ],
)
def test_schedule_none_means_only_when_triggered(given, expected):
    assert load_settings(given).schedule == expected


def test_empty_values_mean_the_default():
    settings = load_settings({"VIGIE_DIGEST_OVER": "", "VIGIE_WATCH": "", "VIGIE_CONTACT": ""})
    assert settings.digest_over == 10
    assert settings.watch_file == DEFAULT_WATCH
    assert settings.contact is None


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"VIGIE_DIGEST_OVER": "beaucoup"}, "VIGIE_DIGEST_OVER='beaucoup'"),
        ({"VIGIE_FETCH_TIMEOUT_SECONDS": "-1"}, "VIGIE_FETCH_TIMEOUT_SECONDS='-1'"),
        ({"VIGIE_DELIVERY_MAX_ATTEMPTS": "0"}, "VIGIE_DELIVERY_MAX_ATTEMPTS='0'"),
    ],
)
def test_a_bad_value_names_its_variable(given, named):
    with pytest.raises(SettingsError, match="invalid setting") as caught:
        load_settings(given)
    assert named in str(caught.value)


def test_settings_are_frozen_and_copied_with_changes():
    settings = load_settings({})
    with pytest.raises(ValueError, match="frozen"):
        settings.digest_over = 3
    assert settings.model_copy(update={"digest_over": 3}).digest_over == 3
    assert settings.digest_over == 10


def test_a_given_environment_replaces_the_process_one(env: pytest.MonkeyPatch) -> None:
    env.setenv("VIGIE_DIGEST_OVER", "5")
    assert load_settings().digest_over == 5
    assert load_settings({"VIGIE_SCHEDULE": "@hourly"}).digest_over == 10
    assert load_settings({"VIGIE_SCHEDULE": "@hourly"}).schedule == "@hourly"
