#!/usr/bin/env bash
# Start-up time of the installed app (the .deb's /usr/bin/flowlab) to its first drawn window, on a
# fresh Xvfb display: per run, the time from starting the launcher until the app's log line
# "window shown" (logged at the first laid-out frame, just before it is rendered) appears, polled
# every 10 ms; the app's own figure (ms since the JVM started); and the CPU time the process had
# used by then (user + system, from /proc: on a loaded machine the wall time mostly measures the
# other processes, the CPU time much less so). One warm-up run first (the
# first start unpacks JavaFX's native libraries into ~/.openjfx), then RUNS rounds; each round runs
# every configuration once, in turn, so a machine's changing load falls on all of them alike.
#   installers/startup-bench.sh [RUNS] [LABEL=JAVA_TOOL_OPTIONS ...]
#   installers/startup-bench.sh 7 installed= 'no-cds=-Xshare:off' 'appcds=-XX:SharedArchiveFile=/tmp/app.jsa'
# Default: 7 rounds of the app as installed. Needs Xvfb and the installed package.
set -euo pipefail
RUNS="${1:-7}"
shift || true
[ $# -gt 0 ] || set -- "installed="
APP="${FLOWLAB_BIN:-/usr/bin/flowlab}"
WORK=$(mktemp -d)
n=90
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true; rm -rf "$WORK"' EXIT
until [ -S "/tmp/.X11-unix/X$n" ]; do sleep 0.05; done
export DISPLAY=":$n" HOME="$WORK/home"
mkdir -p "$HOME"
TICK=$(getconf CLK_TCK)
one() { # JAVA_TOOL_OPTIONS -> "launcher_ms jvm_ms cpu_ms"
    local log="$WORK/run.log" t0 t1 pid cpu
    rm -f "$log"   # else the loop below may read the last run's line before the new run truncates the file
    t0=$(date +%s%N)
    if [ -n "$1" ]; then JAVA_TOOL_OPTIONS="$1" "$APP" >"$log" 2>&1 & else "$APP" >"$log" 2>&1 & fi
    pid=$!
    until grep -q 'window shown' "$log" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "startup-bench: the app exited" >&2; exit 1; }
        sleep 0.01
    done
    t1=$(date +%s%N)
    cpu=$(awk -v t="$TICK" '{sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / t)}' "/proc/$pid/stat")
    kill -TERM "$pid"
    wait "$pid" || true
    echo "$(( (t1 - t0) / 1000000 )) $(sed -n 's/.*window shown after \([0-9]*\) ms.*/\1/p' "$log") $cpu"
}
median() { sort -n | awk '{a[NR]=$1} END {printf "%d (%d..%d)", a[int((NR+1)/2)], a[1], a[NR]}'; }
first=$(one "${1#*=}")
echo "warm-up (first start: JavaFX unpacks its natives): ${first%% *} ms"
declare -A all
for i in $(seq 1 "$RUNS"); do
    for cfg in "$@"; do
        label="${cfg%%=*}"
        r=$(one "${cfg#*=}")
        all[$label]+="$r"$'\n'
        read -r wall jvm cpu <<<"$r"
        echo "round $i, $label: $wall ms to the drawn window (JVM: $jvm ms since its start; CPU used: $cpu ms)"
    done
done
echo "medians (min..max) over $RUNS runs, ms:"
for cfg in "$@"; do
    label="${cfg%%=*}"
    rows=$(printf '%s' "${all[$label]}")
    printf '  %-10s to the window %s, JVM figure %s, CPU %s  [JAVA_TOOL_OPTIONS=%s]\n' "$label" \
        "$(awk '{print $1}' <<<"$rows" | median)" "$(awk '{print $2}' <<<"$rows" | median)" "$(awk '{print $3}' <<<"$rows" | median)" "${cfg#*=}"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
