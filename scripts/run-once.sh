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
grep -oE "\] (baseline|feeds|pages|extract|dedup|analyse|deliver): .* \[vigie\]" "$log" \
  | sed -E 's/^\] /  /; s/ \[vigie\]$//'
echo
echo "Per feed:"
vigie feeds
if [ "$status" -ne 0 ]; then
  echo "The run failed (exit $status); the end of its log:"; tail -40 "$log"
fi
exit "$status"
