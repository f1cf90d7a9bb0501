#!/usr/bin/env bash
# Builds and installs, once, the PostgreSQL extensions behind FerretDB 2 into the installed PostgreSQL 15:
# pgvector, pg_cron (>= 1.5; Debian 12 has 1.4) and DocumentDB (documentdb_core, documentdb). Sources come from
# SEEDLINE_VENDOR_DIR (default: ../shared/vendor beside the checkout, when present) or else from their upstream
# repositories at the pinned commits; either way their SHA-256 must match tools/documentdb/SHA256SUMS.
# A stamp in the extension directory records what was installed, so a second run is a no-op.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
sums="$root/tools/documentdb/SHA256SUMS"
[ -x "$PG_CONFIG" ] || ensure_debs postgresql-15
ensure_debs postgresql-server-dev-15 libbson-dev libpcre2-dev libintelrdfpmath-dev libkrb5-dev pkg-config \
  postgresql-15-postgis-3 postgresql-15-rum make gcc
extdir="$("$PG_CONFIG" --sharedir)/extension"
stamp="$extdir/seedline-documentdb.stamp"
want=$(content_key "$sums")
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$extdir/documentdb.control" ] && exit 0

[ -w "$extdir" ] || die "cannot write $extdir: run 'npm run services' once as root (or with sudo) to install the DocumentDB extensions"
say "building the embedded database's PostgreSQL extensions (pgvector, pg_cron, DocumentDB; once, ~3 min; log: $run/documentdb-build.log)"
vendor=${SEEDLINE_VENDOR_DIR:-$root/../shared/vendor}
src="$cache/documentdb-src"
rm -rf "$src" && mkdir -p "$src"
log="$run/documentdb-build.log"; : >"$log"
while read -r sum file; do
  name=${file%-*}; commit=${file##*-}; commit=${commit%.tar.gz}
  if [ -f "$vendor/$file" ]; then cp "$vendor/$file" "$src/$file"
  else
    case $name in
      documentdb) repo=microsoft/documentdb ;; pg_cron) repo=citusdata/pg_cron ;; pgvector) repo=pgvector/pgvector ;;
      *) die "unknown archive $file in $sums" ;;
    esac
    say "downloading $repo at $commit"
    curl -fsSL "https://codeload.github.com/$repo/tar.gz/$commit" -o "$src/$file" || die "download of $repo failed"
  fi
  echo "$sum  $src/$file" | sha256sum -c --quiet - || die "checksum mismatch for $file"
  mkdir -p "$src/$name" && tar xzf "$src/$file" -C "$src/$name" --strip-components=1
done <"$sums"

# Debian's libintelrdfpmath ships no pkg-config file; DocumentDB asks for one.
mkdir -p "$src/pkgconfig"
cat >"$src/pkgconfig/intelmathlib.pc" <<PC
Name: intelmathlib
Description: Intel decimal floating point math library
Version: 2.0u2
Cflags: -I/usr/include
Libs: -L/usr/lib/$(gcc -print-multiarch) -lbidgcc000
PC
export PKG_CONFIG_PATH="$src/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# One job at a time: DocumentDB's makefiles race on creating object folders under -j.
mk() { make with_llvm=no PG_CONFIG="$PG_CONFIG" "$@" >>"$log" 2>&1 || die "build failed: make $*; see $log"; }
mk -C "$src/pgvector" install
mk -C "$src/pg_cron" install
mk -C "$src/documentdb/pg_documentdb_core" install
# Debian 12's libbson is 1.23; DocumentDB wants 1.28 for this one constant only.
mk -C "$src/documentdb/pg_documentdb" COPT="-DBSON_SUBTYPE_SENSITIVE=8 -Wno-error=switch" install
echo "$want" >"$stamp"
rm -rf "$src"
say "DocumentDB extensions installed into $extdir"
