#!/usr/bin/env bash
# Install (Debian package), start and prepare a local PostgreSQL for Zebra: role `zebra`, databases
# `zebra` and `zebra_test`, listening on 127.0.0.1:5432. Usage: scripts/postgres.sh start|stop|status
set -euo pipefail
action=${1:-start}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_installed() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian packages…"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    as_root pg_createcluster "$version" main >/dev/null
  fi
}

cluster() { pg_lsclusters -h | awk 'NR==1 {print $1" "$2}'; }

psql_admin() { as_root su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""; }

case "$action" in
  start)
    ensure_installed
    read -r version name <<<"$(cluster)"
    as_root pg_ctlcluster "$version" "$name" start 2>/dev/null || true
    for _ in $(seq 1 60); do
      pg_isready -h 127.0.0.1 -p 5432 -q && break
      sleep 0.5
    done
    pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start; see /var/log/postgresql/" >&2; exit 1; }
    [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='zebra'")" = 1 ] || \
      psql_admin "CREATE ROLE zebra LOGIN PASSWORD 'zebra'"
    for db in zebra zebra_test; do
      [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='$db'")" = 1 ] || \
        psql_admin "CREATE DATABASE $db OWNER zebra"
    done
    echo "PostgreSQL ready: postgresql+psycopg://zebra:zebra@127.0.0.1:5432/zebra"
    ;;
  stop)
    read -r version name <<<"$(cluster)"
    as_root pg_ctlcluster "$version" "$name" stop || true
    ;;
  status)
    pg_isready -h 127.0.0.1 -p 5432
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
