#!/usr/bin/env bash
# Ensures the local stand-in of the PayPal Payouts API (packages/testkit/src/paypal) answers at
# PAYPAL_STANDIN_URL (default http://127.0.0.1:8091), so the quick start can pay an influencer without PayPal.
# A no-op when it answers, or when PAYPAL_BASE_URL names a server that is not local (a real PayPal). Compiles the
# test kit first when its build is missing or older than its sources. Log and pid in .run/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PAYPAL_STANDIN_URL=${PAYPAL_STANDIN_URL:-http://127.0.0.1:8091}
if [ -n "${PAYPAL_BASE_URL:-}" ]; then
  read -r base_host _ < <(hostport "$PAYPAL_BASE_URL" 443)
  is_local "$base_host" || exit 0
fi
read -r host port < <(hostport "$PAYPAL_STANDIN_URL" 80)
is_local "$host" || die "PAYPAL_STANDIN_URL must be a loopback address, not $host"
health() { curl -fs -m 2 "http://$host:$port/__standin/health" >/dev/null 2>&1; }
health && { echo "PAYPAL_STANDIN_URL=$PAYPAL_STANDIN_URL"; exit 0; }
src="$root/packages/testkit/src/paypal"
main="$root/packages/testkit/dist/paypal/main.js"
# A copy of the scripts alone (test/deploy/services.int.test.ts) has no test kit to run.
[ -d "$src" ] || exit 0
exec 9>"$run/paypal-standin.lock"
flock 9
health && { echo "PAYPAL_STANDIN_URL=$PAYPAL_STANDIN_URL"; exit 0; }
if [ ! -f "$main" ] || [ -n "$(find "$src" -newer "$main" -name '*.ts' 2>/dev/null)" ]; then
  say "compiling the test kit for the PayPal stand-in"
  (cd "$root" && npx tsc -p packages/testkit/tsconfig.build.json) >"$run/paypal-standin-build.log" 2>&1 \
    || die "compiling packages/testkit failed, see $run/paypal-standin-build.log"
fi
answers "$host" "$port" && die "something other than the PayPal stand-in answers on $host:$port"
nohup node "$main" "$port" >>"$run/paypal-standin.log" 2>&1 &
echo $! >"$run/paypal-standin.pid"
wait_for "$host" "$port" 50 || die "the PayPal stand-in did not start, see $run/paypal-standin.log"
echo "PAYPAL_STANDIN_URL=$PAYPAL_STANDIN_URL"
