# Airflow's settings for this checkout: its files under the data folder, SQLite, our DAG folder.
# Sourced by the Makefile's recipes and by scripts; every value can be overridden beforehand.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VIGIE_HOME="${VIGIE_HOME:-$here/data}"
export AIRFLOW_HOME="${AIRFLOW_HOME:-$VIGIE_HOME/airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="${AIRFLOW__CORE__DAGS_FOLDER:-$here/dags}"
export AIRFLOW__CORE__PLUGINS_FOLDER="${AIRFLOW__CORE__PLUGINS_FOLDER:-$here/plugins}"
export AIRFLOW__CORE__LOAD_EXAMPLES="${AIRFLOW__CORE__LOAD_EXAMPLES:-False}"
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-4}"
export AIRFLOW__API__HOST="${AIRFLOW__API__HOST:-127.0.0.1}"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="${AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION:-False}"
export AIRFLOW__LOGGING__LOGGING_LEVEL="${AIRFLOW__LOGGING__LOGGING_LEVEL:-INFO}"
export PATH="$here/.venv/bin:$PATH"
mkdir -p "$AIRFLOW_HOME"
