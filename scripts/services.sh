#!/usr/bin/env bash
# Ensures every service the stack and the tests need, starting local ones when nothing answers: Redis at
# REDIS_URL; a MongoDB-compatible server at MONGO_URL (FerretDB 2 over our own PostgreSQL cluster with
# DocumentDB, built once and cached); Mailpit, the local inbox, at SMTP_URL; the PayPal Payouts stand-in at
# PAYPAL_STANDIN_URL. Idempotent: a no-op (well under a second) when all run. Prints their URLs; progress and build notes go to stderr, logs to .run/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)/services"
bash "$here/redis.sh"
bash "$here/ferretdb.sh"
[ -f "$here/mailpit.sh" ] && bash "$here/mailpit.sh"
bash "$here/paypal.sh"
bash "$here/instagram.sh"
echo "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}"
echo "MONGO_URL=${MONGO_URL:-mongodb://127.0.0.1:27017/seedline}"
