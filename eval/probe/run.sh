#!/usr/bin/env bash
# Reruns issue 17's hostile probe, bounded, against a `commons pool serve` on 127.0.0.1, and prints one
# table row per hole. It runs its own PostgreSQL (COMMONS_PG_PORT, default 55479, under
# /tmp/commons-probe-pg) because the restart rows restart it, and never touches the shared one.
#
#   eval/probe/run.sh                 # builds commons (Release) and the probe, then runs every row
#   COMMONS=commons eval/probe/run.sh # an installed commons instead
#   eval/probe/run.sh holes topics    # only these rows (holes fresh-keys flood restart pg topics)
#
# Settings: PROBE_ARTIFACTS (20000), PROBE_TEXTS (4000), PROBE_MAX_TOPICS (2000), PROBE_SECONDS (20).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
artifacts="${PROBE_ARTIFACTS:-20000}"
texts="${PROBE_TEXTS:-4000}"
max_topics="${PROBE_MAX_TOPICS:-2000}"
seconds="${PROBE_SECONDS:-20}"
api_port=5181 silo_port=11181 admin_port=5191
rows="${*:-holes fresh-keys flood restart pg topics}"
want() { [[ " $rows " == *" $1 "* ]]; }

if [ -z "${COMMONS:-}" ]; then
  dotnet build -c Release src/Commons.Cli/Commons.Cli.csproj -v q -nologo >&2
  COMMONS="$root/src/Commons.Cli/bin/Release/net10.0/linux-x64/commons"
fi
dotnet build -c Release eval/Commons.Probe/Commons.Probe.csproj -v q -nologo >&2
probe_dll="$root/eval/Commons.Probe/bin/Release/net10.0/linux-x64/Commons.Probe.dll"

export COMMONS_PG_PORT="${COMMONS_PG_PORT:-55479}" COMMONS_PG_ROOT="${COMMONS_PG_ROOT:-/tmp/commons-probe-pg}"
# shellcheck source=/dev/null
source .ci/postgres.sh
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
export PGPASSWORD=commons-ci
psql -q -h 127.0.0.1 -p "$COMMONS_PG_PORT" -U postgres -c "DROP DATABASE IF EXISTS commons_probe" -c "CREATE DATABASE commons_probe" >/dev/null
pg="Host=127.0.0.1;Port=$COMMONS_PG_PORT;Username=postgres;Password=commons-ci;Database=commons_probe"

work="$(mktemp -d /tmp/commons-probe.XXXXXX)"
export COMMONS_HOME="$work/home"
admin="$("$COMMONS" pool keygen --out "$work/admin.key" 2>/dev/null)"
serve_pid=""

start_serve() {
  since="$(date +%s%3N)"
  "$COMMONS" pool serve --connection "$pg" --admin "$admin" --urls "http://127.0.0.1:$api_port" \
    --silo-port "$silo_port" --admin-urls "http://127.0.0.1:$admin_port" >>"$work/serve.log" 2>&1 &
  serve_pid=$!
}

wait_healthy() {
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$api_port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "run.sh: the pool did not become healthy; see $work/serve.log" >&2
  return 1
}

stop_serve() {
  if [ -n "$serve_pid" ]; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    serve_pid=""
  fi
}

cleanup() {
  stop_serve
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$COMMONS_PG_ROOT/data" -m fast stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

probe() { dotnet "$probe_dll" "$1" --pool "http://127.0.0.1:$api_port" --admin-key "$work/admin.key" "${@:2}"; }

echo "load average at start: $(cut -d" " -f1-3 /proc/loadavg)" >&2
echo "| row | measured | |"
echo "|---|---|---|"
start_serve
wait_healthy
if want holes; then probe holes --gateway-port 30000 --silo-port "$silo_port"; fi
if want fresh-keys; then probe fresh-keys --pid "$serve_pid" --admin-url "http://127.0.0.1:$admin_port" --seconds "$seconds"; fi
if want flood; then probe flood --seconds 10; fi

# A topic's first call after a silo restart, with $artifacts artifacts in 8 topics.
if want restart || want pg; then probe fill --artifacts "$artifacts" --texts "$texts" --topics 8 --members 25; fi
placed() {
  psql -tA -h 127.0.0.1 -p "$COMMONS_PG_PORT" -U postgres -d commons_probe -c "SELECT count(*) FROM CommonsTopicTexts WHERE Topic LIKE 'probe.restart%'"
}
if want restart; then
  # At once after the fill, while grouping may still be behind; then again once it has caught up.
  for when in "right after the fill" "again, once grouping caught up"; do
    stop_serve
    echo "| texts with a recorded placement when the silo stopped ($when) | $(placed) of $texts | |"
    start_serve
    probe first-call --topics 8 --since "$since" --what "a silo restart $when ($artifacts artifacts, $texts distinct situations, 8 topics)"
    echo "| the restarted silo's CPU time until then | $(ps -o times= -p "$serve_pid" | tr -d ' ') s (load average $(cut -d' ' -f1 /proc/loadavg)) | |"
  done
fi

# Publishing while PostgreSQL restarts (pg_ctl restart -m fast, 5 s into a 25 s steady publish).
if want pg; then
  probe publish-gap --seconds 25 &
  gap_pid=$!
  sleep 5
  restart_started="$(date +%s%3N)"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$COMMONS_PG_ROOT/data" -l "$COMMONS_PG_ROOT/server.log" -m fast -w \
    -o "-c listen_addresses=127.0.0.1 -p $COMMONS_PG_PORT -k $COMMONS_PG_ROOT/sockets" restart >/dev/null
  echo "| PostgreSQL restart took | $(( $(date +%s%3N) - restart_started )) ms | |"
  wait "$gap_pid"
fi

# The topic cap, lowered to $max_topics so that it is reached in seconds.
if want topics; then
  stop_serve
  export COMMONS_Pool__MaxTopics="$max_topics"
  start_serve
  wait_healthy
  probe topics --connection "$pg" --attempts $(( max_topics + 500 )) --members 8
  unset COMMONS_Pool__MaxTopics
fi
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)" >&2
echo "run.sh: silo log in $work/serve.log" >&2
