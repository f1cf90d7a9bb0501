#!/usr/bin/env bash
# Stops the stack started by the quick start (SIGTERM: each app shuts down gracefully).
cd "$(dirname "$0")/.."
[ -f .run/stack.pid ] || exit 0
pid=$(cat .run/stack.pid)
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
rm -f .run/stack.pid
