#!/usr/bin/env bash
# Ensures Redis and a MongoDB-compatible server are reachable at REDIS_URL and MONGO_URL, starting local ones
# when nothing answers. Idempotent and quick when both already run. Logs go to .run/, never the terminal.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$PATH:/usr/local/go/bin"
run="$root/.run"
mkdir -p "$run"

REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
MONGO_URL=${MONGO_URL:-mongodb://127.0.0.1:27017/seedline}

hostport() { # URL -> "host port"
  local rest=${1#*://}; rest=${rest##*@}; rest=${rest%%/*}; rest=${rest%%\?*}; rest=${rest%%,*}
  local host=${rest%:*} port=${rest##*:}
  [ "$host" = "$rest" ] && port=$2
  echo "$host $port"
}
answers() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
is_local() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ]; }
wait_for() { for _ in $(seq 1 150); do answers "$1" "$2" && return 0; sleep 0.2; done; return 1; }

# --- Redis ---------------------------------------------------------------------------------------------
read -r rhost rport < <(hostport "$REDIS_URL" 6379)
if ! answers "$rhost" "$rport"; then
  is_local "$rhost" || { echo "services: Redis at $REDIS_URL does not answer and is not local" >&2; exit 1; }
  command -v redis-server >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq redis-server >/dev/null; }
  mkdir -p "$run/redis-$rport"
  redis-server --port "$rport" --bind 127.0.0.1 --daemonize yes --dir "$run/redis-$rport" \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
    --logfile "$run/redis-$rport.log" --pidfile "$run/redis-$rport.pid"
  wait_for "$rhost" "$rport" || { echo "services: Redis did not start, see $run/redis-$rport.log" >&2; exit 1; }
fi

# --- MongoDB-compatible server -------------------------------------------------------------------------
read -r mhost mport < <(hostport "$MONGO_URL" 27017)
if ! answers "$mhost" "$mport"; then
  is_local "$mhost" || { echo "services: MongoDB at $MONGO_URL does not answer and is not local" >&2; exit 1; }
  # FerretDB 1.24 over the local PostgreSQL, built from our own small Go module.
  # FerretDB 1.24 deadlocks when its PostgreSQL pool (pool_max_conns, 50 by default) is exhausted by parallel
  # queries (seen here: every later command hangs). Give it a large pool, and PostgreSQL room for two FerretDB
  # processes (fault tests start a dedicated one).
  PG_URL=${FERRETDB_POSTGRESQL_URL:-postgres://postgres@127.0.0.1:5432/seedline_ferretdb?pool_max_conns=150}
  pgver=$(ls /etc/postgresql 2>/dev/null | head -1)
  if [ -n "$pgver" ] && [ ! -f "/etc/postgresql/$pgver/main/conf.d/seedline.conf" ]; then
    echo "max_connections = 500" >"/etc/postgresql/$pgver/main/conf.d/seedline.conf"
    pg_ctlcluster --skip-systemctl-redirect "$pgver" main restart >/dev/null 2>&1 || true
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$pgver" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
  fi
  pgdb=${PG_URL##*/}; pgdb=${pgdb%%\?*}
  if [ "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$pgdb'")" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -qc \
      "CREATE DATABASE $pgdb TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null
  fi
  bin="$root/tools/ferretdb/bin/ferretdb"
  if [ ! -x "$bin" ] || [ "$root/tools/ferretdb/main.go" -nt "$bin" ] || [ "$root/tools/ferretdb/go.mod" -nt "$bin" ]; then
    (cd "$root/tools/ferretdb" && go build -o bin/ferretdb .) >"$run/ferretdb-build.log" 2>&1 \
      || { echo "services: building FerretDB failed, see $run/ferretdb-build.log" >&2; exit 1; }
  fi
  nohup "$bin" -listen "$mhost:$mport" -postgresql-url "$PG_URL" >"$run/ferretdb.log" 2>&1 &
  echo $! >"$run/ferretdb.pid"
  wait_for "$mhost" "$mport" || { echo "services: FerretDB did not start, see $run/ferretdb.log" >&2; exit 1; }
fi

echo "REDIS_URL=$REDIS_URL"
echo "MONGO_URL=$MONGO_URL"
