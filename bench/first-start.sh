#!/usr/bin/env bash
# The desktop app's first Start, measured as a user gets it: a fresh app (./lab --start: the
# default scenario, started at once) on its own Xvfb display records its first run from the start
# (-Dflowlab.record=FILE); after SECONDS of traffic it is stopped and the recording's report
# (rebuilt from its events: lab replay --report) gives each second's p99, the first against the
# later ones, the failures and the nodes marked down. Each run is a new JVM (a cold JIT);
# FLOWLAB_WARMUP=0 turns the app's warm-up off for the comparison.
#   bench/first-start.sh [RUNS] [SECONDS]
set -euo pipefail
RUNS="${1:-3}"
SECONDS_OF_TRAFFIC="${2:-10}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$HERE/bench/lib.sh"
bench_require Xvfb
n=110
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
PIDS+=($!)
until [ -S "/tmp/.X11-unix/X$n" ]; do sleep 0.05; done
export DISPLAY=":$n"
"$HERE/lab" --version >/dev/null   # builds if needed, outside the measured runs
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
    rec="$T/first-$i.flowrec"
    opts="-Dflowlab.record=$rec"
    [ -n "${FLOWLAB_WARMUP:-}" ] && opts="$opts -Dflowlab.warmup=$FLOWLAB_WARMUP"
    HOME="$T/home-$i" LAB_JAVA_OPTS="$opts" "$HERE/lab" --start >"$T/app-$i.log" 2>&1 &
    app=$!
    PIDS+=($app)
    # until the lab runs (its log says so), then SECONDS of traffic: nothing else runs meanwhile (a
    # poll that starts a JVM would compete with the lab's threads, which ./lab runs at nice 19)
    deadline=$(( $(date +%s) + 120 ))
    until grep -q "lab Running" "$T/app-$i.log" 2>/dev/null; do
        kill -0 "$app" 2>/dev/null || { cat "$T/app-$i.log" >&2; echo "first-start: the app exited" >&2; exit 1; }
        [ "$(date +%s)" -lt "$deadline" ] || { echo "first-start: the lab did not start in time" >&2; exit 1; }
        sleep 0.1
    done
    sleep $((SECONDS_OF_TRAFFIC + 1))
    kill -TERM "$app"; wait "$app" 2>/dev/null || true
    echo "== run $i (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    "$HERE/lab" replay "$rec" --report 2>/dev/null | grep -E "requests|ok \(|failed|first second|p50 |^ +[0-9]|connect_|timeout|reset" | grep -v node_killed || true
    "$HERE/lab" replay "$rec" --events 2>/dev/null | awk '$3 == "server_down" { d++ } END { print "  nodes marked down: " d + 0 }'
done
