#!/usr/bin/env bash
# Ensures the project's own PostgreSQL 15 cluster (under .run/pg, port SEEDLINE_PG_PORT, 54329 by default) runs
# with the DocumentDB extensions preloaded and created. The system's clusters and /etc are never touched.
# initdb refuses to run as root, so as root the cluster belongs to the unprivileged user `postgres`.
# Prints the PostgreSQL URL FerretDB should use. SEEDLINE_PG_DIR puts a cluster elsewhere (the fault suite crashes
# one of its own); only the default one is remembered for `npm run services:stop`. The data directory used is
# written to <dir>/datadir (a folder of its own under the temporary directory when `postgres` cannot reach <dir>).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bin=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
port=${SEEDLINE_PG_PORT:-54329}
url="postgres://postgres@127.0.0.1:$port/postgres"
[ -x "$bin/initdb" ] || ensure_debs postgresql-15
bash "$(dirname "$0")/documentdb.sh"

if [ "$(id -u)" = 0 ]; then
  owner=postgres
  id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  as_owner() { runuser -u "$owner" -- "$@"; }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi
requested=$(realpath -m "${SEEDLINE_PG_DIR:-$run/pg}")
pgdir=$requested
mkdir -p "$pgdir"
[ "$(id -u)" = 0 ] && chown "$owner" "$pgdir"
# The owner must reach the data directory through every parent: a checkout under /root or in a `mktemp -d`
# folder (0700) is out of its reach. The fallback is one per requested directory, never one per checkout, or
# a second cluster (the fault suite's own) would start on the first one's data.
if ! as_owner test -w "$pgdir"; then
  pgdir="/var/tmp/seedline-pg-$(echo "$requested" | sha256sum | cut -c1-16)"
  mkdir -p "$pgdir" && chown "$owner" "$pgdir" && chmod 0700 "$pgdir"
  as_owner test -w "$pgdir" || die "neither $requested nor $pgdir is writable by $owner"
fi
data="$pgdir/data"
# Where the cluster really is, for whoever asked for this directory (the fault suite reads postmaster.pid there).
echo "$data" >"$requested/datadir"

if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating the project's PostgreSQL cluster in $data (port $port)"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >"$requested/initdb.log" 2>&1 \
      || die "initdb failed, see $requested/initdb.log"
    cat >>"$data/postgresql.conf" <<CONF
# Seedline's embedded database (scripts/services/postgres.sh)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 400
shared_buffers = 512MB
shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'
cron.database_name = 'postgres'
CONF
  fi
fi
grep -q "^include_if_exists = 'seedline.conf'" "$data/postgresql.conf" \
  || echo "include_if_exists = 'seedline.conf'" | as_owner tee -a "$data/postgresql.conf" >/dev/null
# The settings for our write pattern, rewritten on every run (and reloaded below when the cluster runs), so an
# older cluster gets them too (issue 24, measured in the README's db-cost table):
# - DocumentDB's composite index op class: one ordered index term per document and index, where the classic
#   one keeps a term per indexed path, each logged as a ~2 KB page delta; 6-9x less WAL per write measured here.
#   It applies to indexes created from then on; a cluster's older indexes stay as they were built.
# - lz4 for full-page images, and checkpoints spaced out so fewer pages need one.
# - no JIT: our statements are short, and DocumentDB's row estimates (a bitmap scan of a partial index guessed at
#   200k rows) pushed the summary's counter read past jit_above_cost: ~90 ms compiling for ~2 ms of work at 1M
#   documents (summary p50 96 ms; 2.0 ms with jit off, same database).
# Durability is untouched: fsync, full_page_writes and synchronous_commit stay on, wal_level stays replica.
as_owner tee "$data/seedline.conf" >/dev/null <<CONF
# Written by scripts/services/postgres.sh on every run: edit it there.
documentdb.defaultUseCompositeOpClass = on
wal_compression = lz4
checkpoint_timeout = 15min
max_wal_size = 4GB
jit = off
CONF
if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  answers 127.0.0.1 "$port" && die "port $port is taken by another server; set SEEDLINE_PG_PORT"
  as_owner "$bin/pg_ctl" -D "$data" -l "$pgdir/postgresql.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start, see $pgdir/postgresql.log"
else
  as_owner "$bin/pg_ctl" -D "$data" reload >/dev/null
fi
psql "$url" -qAtc "CREATE EXTENSION IF NOT EXISTS documentdb CASCADE" >/dev/null 2>"$requested/psql.log" \
  || die "CREATE EXTENSION documentdb failed, see $requested/psql.log"
# DocumentDB polls a background index-build queue every 2 s (pg_cron jobs build_index_concurrently), which FerretDB
# 2.7 never fills (it builds indexes in the createIndexes call); upstream (documentdb#635) found those jobs racing
# aggregation cursors into the segfault our benchmarks hit. Paused, not dropped: cron.job still lists them.
psql "$url" -qAtc "SELECT cron.alter_job(jobid, active := false) FROM cron.job
  WHERE command LIKE '%build_index_concurrently%' AND active" >/dev/null 2>>"$requested/psql.log" \
  || die "pausing DocumentDB's index-build jobs failed, see $requested/psql.log"
[ -z "${SEEDLINE_PG_DIR:-}" ] && echo "$data" >"$run/pg.datadir"
echo "$url"
