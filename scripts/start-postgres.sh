#!/usr/bin/env bash
# Installs (if missing) and starts a local PostgreSQL on 127.0.0.1, creates the role and database
# the tests use, and prints the DATABASE_URL. Idempotent; needs root (CI and dev machines are).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing postgresql …" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
# Non-zero when it already runs; that is fine.
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -q && break
  sleep 1
done
pg_isready -h 127.0.0.1 >&2
psql_su() { su postgres -c "psql -v ON_ERROR_STOP=1 -tAc \"$1\""; }
# The test suite runs its suites in parallel, each app with its own connection pool: allow enough.
if [ "$(psql_su 'SHOW max_connections')" -lt 500 ]; then
  psql_su "ALTER SYSTEM SET max_connections = 500" >&2
  pg_ctlcluster "$version" main restart >&2
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -q && break
    sleep 1
  done
fi
psql_su "SELECT 1 FROM pg_roles WHERE rolname='fallwerk'" | grep -q 1 || psql_su "CREATE ROLE fallwerk LOGIN PASSWORD 'fallwerk'" >&2
psql_su "SELECT 1 FROM pg_database WHERE datname='fallwerk_test'" | grep -q 1 || su postgres -c "createdb -O fallwerk fallwerk_test" >&2
echo "postgres://fallwerk:fallwerk@127.0.0.1:5432/fallwerk_test?sslmode=disable"
