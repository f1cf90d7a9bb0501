# Shared by the scripts in scripts/services: where things live and how to wait for a port.
# Progress goes to stderr so that it shows even when a caller discards the URLs printed on stdout.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
run="$root/.run"
cache="${SEEDLINE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/seedline}"
mkdir -p "$run" "$cache"
export PATH="$PATH:/usr/local/go/bin"

say() { echo "services: $*" >&2; }
die() { echo "services: $*" >&2; exit 1; }
hostport() { # URL default-port -> "host port"
  local rest=${1#*://}; rest=${rest##*@}; rest=${rest%%/*}; rest=${rest%%\?*}; rest=${rest%%,*}
  local host=${rest%:*} port=${rest##*:}
  [ "$host" = "$rest" ] && port=$2
  echo "$host $port"
}
answers() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
is_local() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ]; }
wait_for() { for _ in $(seq 1 "${3:-150}"); do answers "$1" "$2" && return 0; sleep 0.2; done; return 1; }
# Debian packages, installed only when missing (needs root, as on the go-svc machine kind).
ensure_debs() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (install them: sudo apt-get install ${missing[*]})"
  say "installing ${missing[*]} (apt-get, once)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$run/apt.log" 2>&1 \
    || die "apt-get install failed, see $run/apt.log"
}
# A hash of files' contents: the cache key of a build.
content_key() { cat "$@" | sha256sum | cut -c1-16; }
