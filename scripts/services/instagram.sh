#!/usr/bin/env bash
# Ensures the local stand-in of the Instagram Graph API (packages/testkit/src/graph-standin.ts) answers at
# INSTAGRAM_STANDIN_URL (default http://127.0.0.1:3990), so the quick start can verify a post without Meta.
# A no-op when it answers, or when INSTAGRAM_GRAPH_URL names a server that is not local. Compiles the test kit
# first when its build is missing or older than its sources. Log and pid in .run/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
INSTAGRAM_STANDIN_URL=${INSTAGRAM_STANDIN_URL:-http://127.0.0.1:3990}
if [ -n "${INSTAGRAM_GRAPH_URL:-}" ]; then
  read -r base_host _ < <(hostport "$INSTAGRAM_GRAPH_URL" 443)
  is_local "$base_host" || exit 0
fi
read -r host port < <(hostport "$INSTAGRAM_STANDIN_URL" 80)
is_local "$host" || die "INSTAGRAM_STANDIN_URL must be a loopback address, not $host"
health() { curl -fs -m 2 "http://$host:$port/_control/health" >/dev/null 2>&1; }
health && { echo "INSTAGRAM_STANDIN_URL=$INSTAGRAM_STANDIN_URL"; exit 0; }
src="$root/packages/testkit/src/graph-standin.ts"
main="$root/packages/testkit/dist/graph-standin-main.js"
# A copy of the scripts alone (test/deploy/services.int.test.ts) has no test kit to run.
[ -f "$src" ] || exit 0
exec 9>"$run/instagram-standin.lock"
flock 9
health && { echo "INSTAGRAM_STANDIN_URL=$INSTAGRAM_STANDIN_URL"; exit 0; }
if [ ! -f "$main" ] || [ -n "$(find "$root/packages/testkit/src" -newer "$main" -name 'graph-*.ts' 2>/dev/null)" ]; then
  say "compiling the test kit for the Instagram Graph API stand-in"
  (cd "$root" && npx tsc -p packages/testkit/tsconfig.build.json) >"$run/instagram-standin-build.log" 2>&1 \
    || die "compiling packages/testkit failed, see $run/instagram-standin-build.log"
fi
answers "$host" "$port" && die "something other than the Instagram stand-in answers on $host:$port"
INSTAGRAM_STANDIN_PORT=$port nohup node "$main" >>"$run/instagram-standin.log" 2>&1 &
echo $! >"$run/instagram-standin.pid"
wait_for "$host" "$port" 50 || die "the Instagram stand-in did not start, see $run/instagram-standin.log"
echo "INSTAGRAM_STANDIN_URL=$INSTAGRAM_STANDIN_URL"
