# Shared by the bench scripts (source it): tool checks, a temporary directory $T, and stopping
# everything the script started, by PID, on exit or Ctrl-C. Put each started PID in PIDS.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BENCH_DIR   # the python summaries import wrkstats.py from here

bench_require() {
    local b
    for b in "$@"; do
        command -v "$b" >/dev/null || { echo "missing $b (apt-get install -y nginx haproxy wrk)" >&2; exit 1; }
    done
}

T=$(mktemp -d /tmp/flowlab-bench.XXXXXX); chmod 755 "$T"
PIDS=()
cleanup() {
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
