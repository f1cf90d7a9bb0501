#!/usr/bin/env bash
# Ensures a MongoDB-compatible server answers at MONGO_URL. When nothing does, runs FerretDB 2 (built once from
# our Go module tools/ferretdb, cached by the hash of its sources) over the project's PostgreSQL with DocumentDB,
# or over FERRETDB_POSTGRESQL_URL when set. A FerretDB of ours built from other sources is replaced.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MONGO_URL=${MONGO_URL:-mongodb://127.0.0.1:27017/seedline}
read -r host port < <(hostport "$MONGO_URL" 27017)
mod="$root/tools/ferretdb"
bin="$cache/ferretdb-$(content_key "$mod/go.mod" "$mod/go.sum" "$mod/main.go")"
pidfile="$run/ferretdb.pid"
# Two runs at once (two terminals, two CI clones) build and start one server, not two.
exec 9>"$cache/ferretdb.lock"; flock 9

# Built even when a server answers: the fault suite and benchmarks start FerretDB processes of their own.
if [ ! -x "$bin" ]; then
  command -v go >/dev/null || die "Go is needed to build FerretDB (go-svc machines have it at /usr/local/go)"
  say "building FerretDB 2.7 from the Go module proxy (once, ~2 min; log: $run/ferretdb-build.log)"
  (cd "$mod" && go build -trimpath -ldflags='-s -w' -o "$bin.tmp" .) >"$run/ferretdb-build.log" 2>&1 \
    || die "building FerretDB failed, see $run/ferretdb-build.log"
  mv "$bin.tmp" "$bin"
fi
ln -sfn "$bin" "$run/ferretdb"   # a stable path for benchmarks and fault cases that start their own

if answers "$host" "$port"; then
  # Ours but built from older sources (e.g. FerretDB 1.24 before the switch): replace it; anything else stays.
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && [ "$(cat "$run/ferretdb.bin" 2>/dev/null)" != "$bin" ]; then
    say "restarting FerretDB: its sources changed"
    kill "$(cat "$pidfile")"; for _ in $(seq 1 50); do answers "$host" "$port" || break; sleep 0.2; done
  else
    exit 0
  fi
fi
is_local "$host" || die "MongoDB at $MONGO_URL does not answer and is not local"

pg=${FERRETDB_POSTGRESQL_URL:-$(bash "$(dirname "$0")/postgres.sh" 9>&-)}
mkdir -p "$run/ferretdb-state"
nohup "$bin" -listen "$host:$port" -postgresql-url "$pg" -state-dir "$run/ferretdb-state" >"$run/ferretdb.log" 2>&1 9>&- &
echo $! >"$pidfile"
echo "$bin" >"$run/ferretdb.bin"
wait_for "$host" "$port" || die "FerretDB did not start, see $run/ferretdb.log"
flock -u 9
