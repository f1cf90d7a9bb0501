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
RECIPE=2
dir="$cache/mailpit-$VERSION-r$RECIPE"
bin="$dir/mailpit"
api_answers() { curl -fs -m 2 "$ui/api/v1/info" >/dev/null 2>&1; }

# Built once per version (and RECIPE); a lock keeps two concurrent runs (two CI clones) from building it twice. The
# Go module holds the server but not its web UI (a release step bundles that with esbuild), so the UI is built
# here from the module's own sources (npm, install scripts off), then embedded by go build.
mkdir -p "$dir"
exec 8>"$dir/.build.lock"
flock 8
if [ ! -x "$bin" ]; then
  say "building Mailpit $VERSION (github.com/axllent/mailpit from the Go module proxy, its web UI with npm; once, a few minutes) into $dir"
  log="$run/mailpit-build.log"
  : >"$log"
  src=$(mktemp -d "$dir/.src-XXXXXX")
  module=$(cd "$src" && go mod download -json "github.com/axllent/mailpit@$VERSION" 2>>"$log" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$module" ] || { rm -rf "$src"; die "downloading the Mailpit module failed, see $log"; }
  cp -R "$module/." "$src/" && chmod -R u+w "$src"
  # Only what the mail UI needs (not its test and lint tools, nor rapidoc for its API reference page, which the
  # registry does not serve at the version asked for), resolved within its package.json ranges: its lockfile pins a
  # sass-embedded that the registry no longer serves either.
  (cd "$src" && rm -f package-lock.json && node -e '
    const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const keep = ["esbuild", "esbuild-plugin-vue-next", "esbuild-sass-plugin", "@vue/compiler-sfc"];
    p.devDependencies = Object.fromEntries(Object.entries(p.devDependencies).filter(([name]) => keep.includes(name)));
    delete p.dependencies.rapidoc;
    fs.writeFileSync("package.json", JSON.stringify(p, null, 2));
    const c = fs.readFileSync("esbuild.config.mjs", "utf8");
    fs.writeFileSync("esbuild.config.mjs", c.replace(/, "server\/ui-src\/docs\.js"/, ""));')
  { (cd "$src" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error && npm run package) \
    && (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$VERSION" -o "$src/mailpit.bin" .); } >>"$log" 2>&1 \
    || { rm -rf "$src"; die "building Mailpit failed, see $log"; }
  mv "$src/mailpit.bin" "$bin"
  rm -rf "$src"
  say "Mailpit $VERSION built"
fi
flock -u 8
# Where the binary is, for tests and scripts that start a Mailpit of their own (even when one already answers).
echo "$bin" >"$run/mailpit.bin"

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
