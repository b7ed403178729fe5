"""Settings, read from the environment once per call so tests can change them.

Every name and default is part of the operator contract in DESIGN.md. ``pydantic-settings``
reads and checks them; a value that does not fit raises :class:`SettingsError` naming the
variable, not a traceback from deep inside a stage.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DEFAULT_WATCH = PACKAGE_DIR / "watches" / "russia_dprk.yaml"
DEFAULT_SOURCES = PACKAGE_DIR / "data" / "sources.yaml"
DEFAULT_SCHEDULE = "*/15 * * * *"
_FALSE = ("0", "false", "no", "off", "non")

# the environment load_settings(env) was given, when not the process's own
_GIVEN_ENV: ContextVar[Mapping[str, str] | None] = ContextVar("vigie_given_env", default=None)


class SettingsError(ValueError):
    """A setting that does not fit; the message names the environment variable."""


Csv = Annotated[tuple[str, ...], NoDecode]  # "a, b" in the environment, not JSON


class _GivenEnv(EnvSettingsSource):
    """The environment source over a given mapping instead of ``os.environ``."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        self._given = env
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._given, self.case_sensitive, self.env_ignore_empty, None)


class DagSettings(BaseSettings):
    """The two settings that shape a DAG, read when its file is parsed; parsing reads no other
    (a store, a watch or an address that does not fit must not break every DAG)."""

    model_config = SettingsConfigDict(
        frozen=True,
        validate_default=True,  # the defaults go through the validators too (home resolved)
        env_prefix="VIGIE_",  # each field reads VIGIE_<its name>, unless it names its variable
        env_ignore_empty=True,  # VIGIE_X= (empty) means the default, as before
        extra="ignore",
    )

    # None ("none"): the monitoring DAG runs only when triggered
    schedule: str | None = DEFAULT_SCHEDULE
    task_retry_seconds: int = Field(60, ge=0)

    @field_validator("schedule", mode="before")
    @classmethod
    def _schedule(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() == "none":
            return None
        return value.strip() if isinstance(value, str) else value


class Settings(DagSettings):
    """The operator's settings: see DESIGN.md, "Operator interface"."""

    home: Path = Path("./data")
    database_url: str = ""
    sources_file: Path = Field(DEFAULT_SOURCES, validation_alias=AliasChoices("VIGIE_SOURCES"))
    seeds_dir: Path = PROJECT_DIR / "seeds"
    watch_file: Path = Field(DEFAULT_WATCH, validation_alias=AliasChoices("VIGIE_WATCH"))
    allow_private_hosts: Csv = ()
    alert_email_to: Csv = ()
    ops_email_to: Csv = ()
    digest_over: int = Field(10, ge=0)
    raw_cache_days: int = Field(30, ge=0)
    delivery_max_attempts: int = Field(8, ge=1)
    delivery_retry_seconds: int = Field(120, ge=0)
    max_feed_backoff_hours: int = Field(24, ge=1)
    # named in the user agent: who to tell when Vigie misbehaves
    contact: str | None = None
    # one fetch: name resolution, connect, redirects, body
    fetch_timeout_seconds: float = Field(20.0, gt=0)
    # a backfill ends with one digest per channel of what it found
    backfill_digest: bool = True
    # the archive a backfill run replays when its `archive` param is empty
    archive: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments, then the environment (the given one, else the process's)."""
        given = _GIVEN_ENV.get()
        return (init_settings, env_settings if given is None else _GivenEnv(settings_cls, given))

    @field_validator("allow_private_hosts", "alert_email_to", "ops_email_to", mode="before")
    @classmethod
    def _csv(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("contact", mode="before")
    @classmethod
    def _contact(cls, value: Any) -> Any:
        return (value.strip() or None) if isinstance(value, str) else value

    @field_validator("backfill_digest", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> Any:
        """Anything but 0/false/no/off/non turns it on, as the operator contract says."""
        if isinstance(value, str):
            return value.strip().lower() not in _FALSE
        return value

    @field_validator("home")
    @classmethod
    def _absolute(cls, home: Path) -> Path:
        return home.resolve()

    @field_validator("database_url")
    @classmethod
    def _store(cls, url: str, info: ValidationInfo) -> str:
        """The SQLite store inside ``VIGIE_HOME`` unless VIGIE_DATABASE_URL names one."""
        home = info.data.get("home")
        return url or (f"sqlite:///{home / 'vigie.db'}" if home else url)

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


def _variable(loc: tuple[int | str, ...]) -> str:
    name = str(loc[0]) if loc else ""
    return name if name.startswith("VIGIE_") else f"VIGIE_{name.upper()}"


_S = TypeVar("_S", bound=DagSettings)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from ``env`` (default: the process environment)."""
    return _load(Settings, env)


def load_dag_settings() -> DagSettings:
    """The settings a DAG file may read when it is parsed (and only those)."""
    return _load(DagSettings, None)


def _load(cls: type[_S], env: Mapping[str, str] | None) -> _S:
    token = _GIVEN_ENV.set(env)
    try:
        return cls()
    except ValidationError as exc:
        problems = "; ".join(
            f"{_variable(error['loc'])}={error.get('input')!r}: {error['msg']}"
            for error in exc.errors()
        )
        raise SettingsError(f"invalid setting: {problems}") from None
    finally:
        _GIVEN_ENV.reset(token)
