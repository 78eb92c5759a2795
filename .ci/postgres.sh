#!/usr/bin/env bash
# Installs (from Debian's packages) and starts a PostgreSQL server on 127.0.0.1 for the tests, without
# systemd. Idempotent: skips the install when PostgreSQL is present and reuses a server that already
# answers on the port. Meant to be sourced, so that it can export the connection string:
#
#   source .ci/postgres.sh        # then COMMONS_TEST_POSTGRES is set
#
# Settings (environment): COMMONS_PG_PORT (default 55432), COMMONS_PG_ROOT (default /tmp/commons-pg).
_commons_pg() {
  local port="${COMMONS_PG_PORT:-55432}"
  local root="${COMMONS_PG_ROOT:-/tmp/commons-pg}"
  local data="$root/data" sockets="$root/sockets" log="$root/server.log"
  local password="commons-ci"

  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

  # The server runs as the unprivileged user postgres (initdb refuses root).
  local as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    as_pg=(runuser -u postgres --)
  fi

  mkdir -p "$sockets"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$root" "$sockets"
  fi

  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    echo "postgres.sh: reusing the server on 127.0.0.1:$port" >&2
  else
    if [ ! -s "$data/PG_VERSION" ]; then
      local pwfile="$root/pwfile"
      echo "$password" > "$pwfile"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pwfile"
      "${as_pg[@]}" "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
      rm -f "$pwfile"
      # Test database: durability settings stay as in production (fsync on), so a receipt means what it says.
      echo "max_connections = 300" >> "$data/postgresql.conf"
    fi
    "${as_pg[@]}" "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $sockets" start >/dev/null
    echo "postgres.sh: started PostgreSQL on 127.0.0.1:$port (log $log)" >&2
  fi

  export COMMONS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
}
_commons_pg
unset -f _commons_pg
