"""Registers Vigie's pages (alerts, figures, articles, feeds, quality) and their JSON API in the
Airflow UI, behind Airflow's own login. The app itself is built by ``vigie.web.create_app``."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

from airflow.api_fastapi.auth.managers.models.resource_details import AccessView
from airflow.api_fastapi.core_api.security import requires_access_view
from airflow.configuration import conf
from airflow.plugins_manager import AirflowPlugin

from vigie.web import create_app

# Behind a path prefix (AIRFLOW__API__BASE_URL), the pages live under it too.
PREFIX = urlsplit(conf.get("api", "base_url", fallback="") or "").path.rstrip("/") + "/vigie"


def _view(name: str, page: str) -> dict[str, Any]:
    return {
        "name": name,
        "href": f"{PREFIX}/{page}",
        "url_route": f"vigie-{page}",
        "category": "Vigie",
        "destination": "nav",
    }


class VigiePlugin(AirflowPlugin):
    name = "vigie"
    fastapi_apps: ClassVar[list[dict[str, Any]]] = [
        {
            "name": "vigie",
            "app": create_app(requires_access_view(AccessView.WEBSITE)),
            "url_prefix": "/vigie",
        }
    ]
    external_views: ClassVar[list[dict[str, Any]]] = [
        _view("Vigie — alertes", "alerts"),
        _view("Vigie — chiffres dans le temps", "figures"),
        _view("Vigie — santé des flux", "feeds"),
        _view("Vigie — qualité des alertes", "quality"),
    ]
