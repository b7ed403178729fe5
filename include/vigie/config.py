"""Settings, read from the environment once per call so tests can change them.

Every name and default is part of the operator contract in DESIGN.md.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DEFAULT_WATCH = PACKAGE_DIR / "watches" / "russia_dprk.yaml"
DEFAULT_SOURCES = PACKAGE_DIR / "data" / "sources.yaml"


def _csv(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@dataclass(frozen=True)
class Settings:
    """The operator's settings: see DESIGN.md, "Operator interface"."""

    home: Path
    database_url: str
    sources_file: Path
    seeds_dir: Path
    watch_file: Path
    allow_private_hosts: tuple[str, ...] = ()
    alert_email_to: tuple[str, ...] = ()
    ops_email_to: tuple[str, ...] = ()
    schedule: str | None = "*/15 * * * *"  # None ("none"): runs only when triggered
    digest_over: int = 10
    raw_cache_days: int = 30
    delivery_max_attempts: int = 8
    delivery_retry_seconds: int = 120
    task_retry_seconds: int = 60
    max_feed_backoff_hours: int = 24
    contact: str | None = None  # named in the user agent: who to tell when Vigie misbehaves
    fetch_timeout_seconds: float = 20.0  # one fetch: name resolution, connect, redirects, body
    backfill_digest: bool = True  # a backfill ends with one digest per channel of what it found
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def allowed_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """Networks named in VIGIE_ALLOW_PRIVATE_HOSTS (names go to allowed_hostnames)."""
        nets = []
        for item in self.allow_private_hosts:
            try:
                nets.append(ipaddress.ip_network(item.strip("[]"), strict=False))
            except ValueError:
                continue
        return tuple(nets)

    @property
    def allowed_hostnames(self) -> frozenset[str]:
        names = set()
        for item in self.allow_private_hosts:
            try:
                ipaddress.ip_network(item.strip("[]"), strict=False)
            except ValueError:
                names.add(item.lower())
        return frozenset(names)


def _flag(value: str | None, *, default: bool) -> bool:
    if not value or not value.strip():
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "non")


def _schedule(value: str | None) -> str | None:
    if not value:
        return "*/15 * * * *"
    return None if value.strip().lower() == "none" else value


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build the settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    home = Path(env.get("VIGIE_HOME") or "./data").resolve()
    database_url = env.get("VIGIE_DATABASE_URL") or f"sqlite:///{home / 'vigie.db'}"
    return Settings(
        home=home,
        database_url=database_url,
        sources_file=Path(env.get("VIGIE_SOURCES") or DEFAULT_SOURCES),
        seeds_dir=Path(env.get("VIGIE_SEEDS_DIR") or PROJECT_DIR / "seeds"),
        watch_file=Path(env.get("VIGIE_WATCH") or DEFAULT_WATCH),
        allow_private_hosts=tuple(_csv(env.get("VIGIE_ALLOW_PRIVATE_HOSTS"))),
        alert_email_to=tuple(_csv(env.get("VIGIE_ALERT_EMAIL_TO"))),
        ops_email_to=tuple(_csv(env.get("VIGIE_OPS_EMAIL_TO"))),
        schedule=_schedule(env.get("VIGIE_SCHEDULE")),
        digest_over=int(env.get("VIGIE_DIGEST_OVER") or 10),
        raw_cache_days=int(env.get("VIGIE_RAW_CACHE_DAYS") or 30),
        delivery_max_attempts=int(env.get("VIGIE_DELIVERY_MAX_ATTEMPTS") or 8),
        delivery_retry_seconds=int(env.get("VIGIE_DELIVERY_RETRY_SECONDS") or 120),
        task_retry_seconds=int(env.get("VIGIE_TASK_RETRY_SECONDS") or 60),
        max_feed_backoff_hours=int(env.get("VIGIE_MAX_FEED_BACKOFF_HOURS") or 24),
        contact=(env.get("VIGIE_CONTACT") or "").strip() or None,
        fetch_timeout_seconds=float(env.get("VIGIE_FETCH_TIMEOUT_SECONDS") or 20),
        backfill_digest=_flag(env.get("VIGIE_BACKFILL_DIGEST"), default=True),
    )
