#!/usr/bin/env bash
# One monitoring cycle through Airflow (`airflow dags test`), then what happened per stage and feed.
set -uo pipefail
source "$(dirname "$0")/airflow-env.sh"
log="$VIGIE_HOME/last-cycle.log"
echo "Running one cycle of vigie_monitor through Airflow (full log: $log)…"
airflow dags test vigie_monitor >"$log" 2>&1
status=$?
echo
echo "Per stage:"
grep -oE "vigie[.a-z]*[^a-z].*(baseline|feeds|pages|extract|dedup|analyse|deliver): .*" "$log" \
  | sed -E 's/^.*(baseline|feeds|pages|extract|dedup|analyse|deliver): /  \1: /' | awk '!seen[$0]++'
echo
echo "Per feed:"
vigie feeds
if [ "$status" -ne 0 ]; then
  echo "The run failed (exit $status); the end of its log:"; tail -40 "$log"
fi
exit "$status"
