"""Registers Vigie's page (feed health, recent alerts) in the Airflow UI, behind Airflow's login."""

from __future__ import annotations

from typing import Any, ClassVar

from airflow.api_fastapi.core_api.security import requires_authenticated
from airflow.plugins_manager import AirflowPlugin

from vigie.web import create_app


class VigiePlugin(AirflowPlugin):
    name = "vigie"
    fastapi_apps: ClassVar[list[dict[str, Any]]] = [
        {"name": "vigie", "app": create_app(requires_authenticated()), "url_prefix": "/vigie"}
    ]
    external_views: ClassVar[list[dict[str, Any]]] = [
        {"name": "Vigie — santé des flux", "href": "/vigie/feeds", "category": "Browse"},
        {"name": "Vigie — alertes", "href": "/vigie/alerts", "category": "Browse"},
    ]
