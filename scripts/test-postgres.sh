#!/usr/bin/env bash
# Makes this machine's PostgreSQL 15 ready for the test suite and prints the
# URL tests use (SUARA_TEST_PG_URL): a role that may create databases. Each
# test creates and drops its own uniquely named database.
# Fails loudly (exit 1) when no PostgreSQL can be had.
set -euo pipefail

ROLE=suara_test
PASSWORD=suara_test
HOST=127.0.0.1
PORT=5432

say() { echo "test-postgres: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  say "PostgreSQL is not installed; installing Debian's postgresql"
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  fi
fi

CLUSTER=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}')
if [ -z "$CLUSTER" ]; then
  say "ERROR: no PostgreSQL cluster exists on this machine"
  exit 1
fi
if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
  say "starting PostgreSQL cluster $CLUSTER"
  # shellcheck disable=SC2086
  pg_ctlcluster --skip-systemctl-redirect $CLUSTER start >&2
fi

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi
}

for _ in $(seq 1 30); do
  if as_postgres "psql -qtAc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
as_postgres "psql -qtAc \"DO \\\$\\\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \\\$\\\$;\"" >/dev/null

URL="postgres://$ROLE:$PASSWORD@$HOST:$PORT/postgres"
if ! PGPASSWORD=$PASSWORD psql -h $HOST -p $PORT -U $ROLE -d postgres -qtAc 'SELECT 1' >/dev/null; then
  say "ERROR: the test role cannot connect to PostgreSQL at $HOST:$PORT"
  exit 1
fi
# Databases left behind by an interrupted run.
for db in $(PGPASSWORD=$PASSWORD psql -h $HOST -p $PORT -U $ROLE -d postgres -qtAc \
    "SELECT datname FROM pg_database WHERE datname LIKE 'suara_test_%'"); do
  PGPASSWORD=$PASSWORD psql -h $HOST -p $PORT -U $ROLE -d postgres -qtAc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
done
echo "$URL"
