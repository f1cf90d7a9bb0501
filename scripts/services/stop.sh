#!/usr/bin/env bash
# Stops the services that scripts/services.sh started (FerretDB, Mailpit, the PayPal stand-in, our PostgreSQL
# cluster, our Redis); servers it found already running are left alone.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
stop_pid() { # pidfile
  [ -f "$1" ] || return 0
  local pid; pid=$(cat "$1")
  kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$1"
}
stop_pid "$run/ferretdb.pid"
stop_pid "$run/mailpit.pid"
stop_pid "$run/paypal-standin.pid"
stop_pid "$run/instagram-standin.pid"
if [ -f "$run/pg.datadir" ]; then
  data=$(cat "$run/pg.datadir")
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$data" -m fast stop >/dev/null 2>&1
  else /usr/lib/postgresql/15/bin/pg_ctl -D "$data" -m fast stop >/dev/null 2>&1; fi
fi
for f in "$run"/redis-*.pid; do [ -f "$f" ] && stop_pid "$f"; done
exit 0
