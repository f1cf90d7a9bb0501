#!/usr/bin/env bash
# Ensures a Mailpit (the local inbox for reminder emails) answers: SMTP on MAILPIT_SMTP (127.0.0.1:1025, where
# the default SMTP_URL points), web UI and API on MAILPIT_LISTEN (127.0.0.1:8025). Idempotent: a no-op when
# Mailpit already answers, or when SMTP_URL points at a server that is not local. The binary is built once from
# the Go module proxy and cached outside the repo (by version); logs, pid and mail database live in .run/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$PATH:/usr/local/go/bin"
run="$root/.run"
mkdir -p "$run"

VERSION=v1.33.1
MAILPIT_SMTP=${MAILPIT_SMTP:-127.0.0.1:1025}
MAILPIT_LISTEN=${MAILPIT_LISTEN:-127.0.0.1:8025}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/seedline/mailpit-$VERSION"
bin="$cache/mailpit"

answers() { timeout 1 bash -c "exec 3<>/dev/tcp/${1%:*}/${1##*:}" 2>/dev/null; }
is_local() { case "$1" in 127.0.0.1 | localhost | '[::1]') return 0 ;; *) return 1 ;; esac; }

# An SMTP_URL pointing at a real relay needs no local inbox.
if [ -n "${SMTP_URL:-}" ]; then
  rest=${SMTP_URL#*://}; rest=${rest##*@}; rest=${rest%%/*}; rest=${rest%%\?*}
  host=${rest%:*}
  if ! is_local "$host"; then
    echo "SMTP_URL=$SMTP_URL (not local: no Mailpit started)"
    exit 0
  fi
fi

ui="http://$MAILPIT_LISTEN"
if answers "$MAILPIT_SMTP" && curl -fs -m 2 "$ui/api/v1/info" >/dev/null 2>&1; then
  echo "MAILPIT_URL=$ui"
  exit 0
fi

# Build once per version. A lock keeps two concurrent runs (two CI clones) from building at the same time.
mkdir -p "$cache"
exec 8>"$cache/.build.lock"
flock 8
if [ ! -x "$bin" ]; then
  echo "services: building Mailpit $VERSION from the Go module proxy (github.com/axllent/mailpit, once; about a minute) into $cache" >&2
  tmp=$(mktemp -d "$cache/.build-XXXXXX")
  if ! GOBIN="$tmp" GOFLAGS=-buildvcs=false go install -trimpath \
    -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$VERSION" \
    "github.com/axllent/mailpit@$VERSION" >"$run/mailpit-build.log" 2>&1; then
    rm -rf "$tmp"
    echo "services: building Mailpit failed, see $run/mailpit-build.log" >&2
    exit 1
  fi
  mv "$tmp/mailpit" "$bin"
  rm -rf "$tmp"
  echo "services: Mailpit $VERSION built" >&2
fi
flock -u 8

# Start it, unless a concurrent run of this script already did.
exec 9>"$run/mailpit.lock"
flock 9
if ! answers "$MAILPIT_SMTP"; then
  # Tests read many messages and run in parallel: keep plenty (the default keeps 500). SMTP auth of any user
  # is accepted, so an SMTP_URL with credentials works against it as well.
  nohup "$bin" --listen "$MAILPIT_LISTEN" --smtp "$MAILPIT_SMTP" --database "$run/mailpit.db" --max 20000 \
    --smtp-auth-accept-any --smtp-auth-allow-insecure --smtp-disable-rdns >"$run/mailpit.log" 2>&1 &
  echo $! >"$run/mailpit.pid"
  for _ in $(seq 1 100); do
    answers "$MAILPIT_SMTP" && curl -fs -m 1 "$ui/api/v1/info" >/dev/null 2>&1 && break
    sleep 0.1
  done
  answers "$MAILPIT_SMTP" || { echo "services: Mailpit did not start, see $run/mailpit.log" >&2; exit 1; }
fi
flock -u 9
echo "MAILPIT_URL=$ui"
