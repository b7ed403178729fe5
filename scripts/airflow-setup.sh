#!/usr/bin/env bash
# Prepares Airflow's metadata database and the pools the DAGs use. Idempotent.
set -euo pipefail
source "$(dirname "$0")/airflow-env.sh"
airflow db migrate >"$AIRFLOW_HOME/db-migrate.log" 2>&1 || { cat "$AIRFLOW_HOME/db-migrate.log"; exit 1; }
airflow pools set vigie_http 4 "HTTP fetches of feeds and pages (politeness across runs)" >/dev/null
echo "Airflow ready in $AIRFLOW_HOME (pool vigie_http: 4 slots)"
