#!/usr/bin/env bash
# Ensures Redis answers at REDIS_URL, starting one of ours (AOF on, noeviction) under .run/ when nothing does.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
read -r host port < <(hostport "$REDIS_URL" 6379)
answers "$host" "$port" && exit 0
is_local "$host" || die "Redis at $REDIS_URL does not answer and is not local"
command -v redis-server >/dev/null || ensure_debs redis-server
mkdir -p "$run/redis-$port"
redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$run/redis-$port" \
  --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
  --logfile "$run/redis-$port.log" --pidfile "$run/redis-$port.pid"
wait_for "$host" "$port" || die "Redis did not start, see $run/redis-$port.log"
