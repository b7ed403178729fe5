#!/usr/bin/env bash
# The docker-compose topology without containers: scheduler, dag-processor, api-server and two
# Celery workers against the local PostgreSQL and Redis; vigie_monitor triggered over loopback
# fixture feeds; waits for success, shows which worker ran each task, stops all it started.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/vigie-smoke.XXXXXX)"
port="${SMOKE_API_PORT:-18080}"
pg="postgresql+psycopg://postgres@127.0.0.1:5432"
airflow_db="vigie_smoke_airflow"
store_db="vigie_smoke_store"
pids=()

cleanup() {
  echo "Stopping ${#pids[@]} processes…"
  for pid in "${pids[@]}"; do kill -INT -- "-$pid" 2>/dev/null || kill -INT "$pid" 2>/dev/null || true; done
  sleep 5
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  pkill -f "$work" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $airflow_db WITH (FORCE)" postgres || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $store_db WITH (FORCE)" postgres || true
  echo "Logs kept in $work"
}
trap cleanup EXIT

for db in "$airflow_db" "$store_db"; do
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres
  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
done
redis-cli -h 127.0.0.1 -n 5 flushdb >/dev/null

export VIGIE_HOME="$work/vigie" AIRFLOW_HOME="$work/airflow"
source "$here/scripts/airflow-env.sh"
export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="$pg/$airflow_db"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC="postgresql+psycopg_async://postgres@127.0.0.1:5432/$airflow_db"
export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:6379/5"
export AIRFLOW__CELERY__RESULT_BACKEND="db+$pg/$airflow_db"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$port/execution/"
export AIRFLOW__API__PORT="$port"
export AIRFLOW__API_AUTH__JWT_SECRET="smoke-$(date +%s)"
export AIRFLOW__API__SECRET_KEY="$AIRFLOW__API_AUTH__JWT_SECRET"
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=5
export AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL=5
export VIGIE_DATABASE_URL="$pg/$store_db"
export VIGIE_ALLOW_PRIVATE_HOSTS=127.0.0.1
# Manual runs only: the run the script triggers is the one that does the work.
export VIGIE_SCHEDULE=none

echo "Serving the dev corpus as feeds and pages on loopback…"
site_port_file="$work/site.port"
setsid python "$here/scripts/fixture_site.py" --corpus "$here/../shared/eval-dev/corpus.yaml" \
  --port-file "$site_port_file" --sources "$work/sources.yaml" >"$work/site.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$site_port_file" ] && break; sleep 0.2; done
export VIGIE_SOURCES="$work/sources.yaml"

echo "Migrating Airflow's metadata on PostgreSQL…"
airflow db migrate >"$work/migrate.log" 2>&1
airflow pools set vigie_http 4 "HTTP fetches" >/dev/null

start() { local name=$1; shift; setsid "$@" >"$work/$name.log" 2>&1 & pids+=($!); echo "  started $name (pid $!)"; }
start api-server airflow api-server --port "$port"
start scheduler airflow scheduler
start dag-processor airflow dag-processor
export AIRFLOW__CORE__HOSTNAME_CALLABLE=vigie.ops.worker_hostname
start worker-1 env VIGIE_WORKER_NAME=vigie-w1 airflow celery worker --celery-hostname "vigie-w1@%h" --concurrency 1
start worker-2 env VIGIE_WORKER_NAME=vigie-w2 airflow celery worker --celery-hostname "vigie-w2@%h" --concurrency 1

echo "Waiting for the api-server and for the DAG to be parsed…"
for _ in $(seq 120); do
  curl -fs "http://127.0.0.1:$port/api/v2/version" >/dev/null 2>&1 && break; sleep 1
done
for _ in $(seq 120); do
  airflow dags list -o plain 2>/dev/null | grep -q vigie_monitor && break; sleep 2
done
airflow dags unpause vigie_monitor >/dev/null 2>&1 || true
run_id="smoke_$(date +%s)"
airflow dags trigger vigie_monitor --run-id "$run_id" >/dev/null
echo "Triggered vigie_monitor run $run_id; waiting (at most 15 minutes)…"
state=""
for _ in $(seq 180); do
  state=$(psql -h 127.0.0.1 -U postgres -tAq -c "SELECT state FROM dag_run WHERE run_id='$run_id'" "$airflow_db")
  case "$state" in success|failed) break ;; esac
  sleep 5
done
echo "Run state: ${state:-unknown}"
echo "Tasks and the worker that ran them:"
psql -h 127.0.0.1 -U postgres -P pager=off -c \
  "SELECT task_id, state, hostname, try_number FROM task_instance WHERE run_id='$run_id' ORDER BY start_date" \
  "$airflow_db"
workers=$(psql -h 127.0.0.1 -U postgres -tAq -c \
  "SELECT count(DISTINCT hostname) FROM task_instance WHERE run_id='$run_id' AND hostname <> ''" "$airflow_db")
echo "Per stage (from the task logs of this run):"
find "$AIRFLOW_HOME/logs" -path "*run_id=$run_id*" -name "*.log" -print0 | xargs -0 cat | python -c '
import json, sys
for line in sys.stdin:
    try:
        record = json.loads(line)
    except ValueError:
        continue
    if record.get("logger") == "vigie":
        print("  " + record["event"])
'
echo "The Vigie page in the UI (plugin, behind Airflow's login):"
password=$(python -c "import json,sys; print(json.load(open(sys.argv[1]))['admin'])" \
  "$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated")
token=$(curl -fs -X POST "http://127.0.0.1:$port/auth/token" -H 'Content-Type: application/json' \
  -d "{\"username\": \"admin\", \"password\": \"$password\"}" \
  | python -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
anonymous=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/vigie/feeds")
echo "  /vigie/feeds without login: HTTP $anonymous"
curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/vigie/api/feeds" \
  | python -c 'import json,sys; rows=json.load(sys.stdin); print("  /vigie/api/feeds:", len(rows), "feeds:", ", ".join(r["name"] + "=" + r["state"] for r in rows))'
echo "Alerts in the store: $(vigie alerts --json | python -c 'import json,sys; print(len(json.load(sys.stdin)))')"
if [ "$state" != "success" ]; then echo "FAILED: the run ended ${state:-without finishing}"; exit 1; fi
echo "Distinct Celery workers that ran tasks: $workers"
[ "$workers" -ge 2 ] || { echo "FAILED: every task ran on one worker"; exit 1; }
echo "distributed smoke: OK"
