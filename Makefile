# `make run` and `make test` work on a fresh machine with Python 3.11: they create .venv if needed.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres up lint format bench smoke clean chromium

$(STAMP): requirements.txt pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip --version >/dev/null 2>&1 || $(VENV)/bin/python -m ensurepip >/dev/null
	$(VENV)/bin/python -m pip install -q --upgrade pip uv
	$(VENV)/bin/uv pip install -q --python $(VENV)/bin/python -r requirements.txt
	$(VENV)/bin/uv pip install -q --python $(VENV)/bin/python --no-deps -e .
	touch $(STAMP)

run: $(STAMP) ## one monitoring cycle through Airflow on embedded defaults (SQLite, no Slack/SMTP)
	scripts/airflow-setup.sh
	scripts/run-once.sh

test: $(STAMP) chromium ## the whole suite: the SQLite and PostgreSQL passes side by side, one per core
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

chromium: ## Debian's Chromium, which the plugin's browser test drives (as root: apt-get)
	command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

test-sqlite: $(STAMP) chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	tmp=$$(mktemp -d -t vigie-sqlite.XXXX); trap 'rm -rf "$$tmp"' EXIT; \
	  env -u VIGIE_TEST_DATABASE_URL TMPDIR="$$tmp" $(VENV)/bin/python -m pytest

test-postgres: $(STAMP) ## the store-facing tests again on PostgreSQL (Airflow and the corpora run once is enough)
	tmp=$$(mktemp -d -t vigie-pg.XXXX); trap 'rm -rf "$$tmp"' EXIT; \
	  VIGIE_TEST_DATABASE_URL=$${VIGIE_TEST_DATABASE_URL:-$(PG_TEST_URL)} TMPDIR="$$tmp" \
	  $(VENV)/bin/python -m pytest -m "not airflow and not corpus" -p no:cacheprovider

up: $(STAMP) ## Airflow standalone with the UI on http://127.0.0.1:8080
	scripts/airflow-setup.sh
	@source scripts/airflow-env.sh; \
	  echo "UI: http://127.0.0.1:8080  user: admin  password: in $$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"; \
	  exec airflow standalone

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	for b in bench/*.py; do $(VENV)/bin/python $$b || exit 1; done

smoke: $(STAMP) ## the distributed topology without containers (Celery, PostgreSQL, Redis)
	scripts/distributed-smoke.sh

clean:
	rm -rf data
