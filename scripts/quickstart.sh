#!/usr/bin/env bash
# One command from a fresh clone: installs, ensures Redis and the MongoDB-compatible server, builds, starts the
# stack in the background (logs in .run/stack.log), seeds a demo campaign and prints URLs, a key and links.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .run
# npm ci, as CI and the Dockerfile install: exactly the lockfile, and only when it changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› installing dependencies (npm ci)"; npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
echo "› ensuring services (the first run builds FerretDB, DocumentDB and Mailpit: a few minutes, once)"
bash scripts/services.sh
# The Instagram Graph API stand-in that services started: the demo brand connects to it and one post is verified.
if [ -z "${INSTAGRAM_GRAPH_URL:-}" ] && curl -fs -m 2 http://127.0.0.1:3990/_control/health >/dev/null 2>&1; then
  export INSTAGRAM_GRAPH_URL=http://127.0.0.1:3990/v25.0 INSTAGRAM_APP_ID=1234567890
  export INSTAGRAM_APP_SECRET=standin-app-secret-0123456789 INSTAGRAM_VERIFY_TOKEN=seedline-demo-verify-token
  export IG_VERIFY_RETRY_SECONDS=${IG_VERIFY_RETRY_SECONDS:-5} IG_SWEEP_SECONDS=${IG_SWEEP_SECONDS:-5}
fi
# The PayPal Payouts stand-in that services started: the demo's reimbursed influencer is paid through it.
if [ -z "${PAYPAL_BASE_URL:-}" ] && curl -fs -m 2 http://127.0.0.1:8091/__standin/health >/dev/null 2>&1; then
  export PAYPAL_BASE_URL=http://127.0.0.1:8091 PAYPAL_CLIENT_ID=seedline-standin-client
  export PAYPAL_CLIENT_SECRET=seedline-standin-secret PAYOUT_SWEEP_SECONDS=${PAYOUT_SWEEP_SECONDS:-5}
fi
echo "› building";                npx turbo run build --output-logs=errors-only >/dev/null
bash scripts/stop.sh >/dev/null 2>&1 || true
echo "› starting the stack (logs: .run/stack.log; stop with: npm run stop)"
# Due reminders are looked for every 10 s (60 s by default), so the demo's reminder email shows within a minute.
REMINDER_SWEEP_SECONDS=${REMINDER_SWEEP_SECONDS:-10} nohup node scripts/start.mjs >.run/stack.log 2>&1 &
echo $! >.run/stack.pid
for url in "http://127.0.0.1:${API_PORT:-3000}/healthz" "http://127.0.0.1:${INGEST_PORT:-3001}/healthz"; do
  for _ in $(seq 1 100); do curl -fs "$url" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "$url" >/dev/null || { echo "the stack did not start; see .run/stack.log" >&2; tail -20 .run/stack.log >&2; exit 1; }
done
node scripts/seed-demo.mjs
