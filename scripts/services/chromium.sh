#!/usr/bin/env bash
# Ensures Debian's Chromium for the browser tests and screenshots (a test tool's own browser download cannot
# reach the internet here). Prints its path.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
path=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$path" ] || { ensure_debs chromium; }
[ -x "$path" ] || die "Chromium not found at $path"
echo "$path"
