#!/usr/bin/env bash
# Ensures Mailpit, the local inbox for reminder emails, answers: SMTP where SMTP_URL points (default
# 127.0.0.1:1025), web UI and API on MAILPIT_LISTEN (127.0.0.1:8025). A no-op when it already answers, or when
# SMTP_URL names a server that is not local (a real relay). Built once from the Go module proxy and cached
# outside the repo by version; its log, pid and mail database live in .run/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
VERSION=v1.33.1
SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:1025}
MAILPIT_LISTEN=${MAILPIT_LISTEN:-127.0.0.1:8025}
read -r host port < <(hostport "$SMTP_URL" 25)
is_local "$host" || { echo "SMTP_URL points at $host (not local): no Mailpit started" >&2; exit 0; }
ui="http://$MAILPIT_LISTEN"
api_answers() { curl -fs -m 2 "$ui/api/v1/info" >/dev/null 2>&1; }
if answers "$host" "$port" && api_answers; then echo "MAILPIT_URL=$ui"; exit 0; fi

# Built once per version; a lock keeps two concurrent runs (two CI clones) from building it twice.
dir="$cache/mailpit-$VERSION"
bin="$dir/mailpit"
mkdir -p "$dir"
exec 8>"$dir/.build.lock"
flock 8
if [ ! -x "$bin" ]; then
  say "building Mailpit $VERSION (github.com/axllent/mailpit from the Go module proxy, once; a few minutes) into $dir"
  tmp=$(mktemp -d "$dir/.build-XXXXXX")
  GOBIN="$tmp" GOFLAGS=-buildvcs=false go install -trimpath -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$VERSION" \
    "github.com/axllent/mailpit@$VERSION" >"$run/mailpit-build.log" 2>&1 \
    || { rm -rf "$tmp"; die "building Mailpit failed, see $run/mailpit-build.log"; }
  mv "$tmp/mailpit" "$bin"
  rm -rf "$tmp"
  say "Mailpit $VERSION built"
fi
flock -u 8

exec 9>"$run/mailpit.lock"
flock 9
if ! answers "$host" "$port"; then
  # Tests read many messages, some at once: keep plenty (the default keeps 500). Any SMTP login is accepted,
  # so an SMTP_URL with credentials works against it too.
  nohup "$bin" --listen "$MAILPIT_LISTEN" --smtp "$host:$port" --database "$run/mailpit.db" --max 20000 \
    --smtp-auth-accept-any --smtp-auth-allow-insecure --smtp-disable-rdns >"$run/mailpit.log" 2>&1 &
  echo $! >"$run/mailpit.pid"
  wait_for "$host" "$port" 100 || die "Mailpit did not start, see $run/mailpit.log"
  for _ in $(seq 1 50); do api_answers && break; sleep 0.1; done
fi
flock -u 9
echo "MAILPIT_URL=$ui"
