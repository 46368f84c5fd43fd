#!/usr/bin/env bash
# Benchmark: the front chain, side by side in one run with wrk. The lab's LVS director (NAT) in
# front of two lab Nginx nodes, which proxy to two real nginx backends (`return 200`, external
# nodes), against haproxy in TCP mode in front of two real nginx proxies to the same backends.
# Both chains do the same work per request: one layer-4 relay, one HTTP proxy hop (HTTP/1.1 with
# an upstream keepalive cache, round-robin over two servers), the same backend. Runs alternate
# (real, lab, real, lab, ...) so noise hits both alike. CPU per request is the relays' user +
# system time from /proc (haproxy + both nginx proxy workers, against the lab's whole JVM with its
# GC and JIT threads); the backends run in a process of their own and count for neither.
# Binds 127.0.0.1 only; stops what it started by PID.
#
#   bench/front-chain.sh     defaults: DUR=10s WARM=10s REPS=3 CONC=64 KEEPALIVE=64 IO_THREADS=2
#
# IO_THREADS: the lab's event loop threads. The real chain is three single-threaded processes on
# this machine's cores; 2 gives the lab the machine's two cores too (1: one loop for the chain).
set -euo pipefail
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
HERE=$(cd "$(dirname "$0")/.." && pwd)
DUR=${DUR:-10s}; WARM=${WARM:-10s}; REPS=${REPS:-3}; CONC=${CONC:-64}; IO_THREADS=${IO_THREADS:-2}; KEEPALIVE=${KEEPALIVE:-$CONC}
BASE_PORT=${BASE_PORT:-18420}
B1=$BASE_PORT; B2=$((BASE_PORT + 1)); P1=$((BASE_PORT + 2)); P2=$((BASE_PORT + 3)); HAP=$((BASE_PORT + 4))
OUTDIR=${OUTDIR:-/tmp/flowlab-bench/front-chain-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
. "$(dirname "$0")/lib.sh"
bench_require nginx haproxy wrk java python3 curl

cat > "$T/backends.conf" <<NGX
worker_processes 1;
daemon off;
pid $T/backends.pid;
error_log $T/backends.err warn;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 100000;
    server { listen 127.0.0.1:$B1 backlog=4096; location / { add_header X-Served-By b1; return 200 "ok\n"; } }
    server { listen 127.0.0.1:$B2 backlog=4096; location / { add_header X-Served-By b2; return 200 "ok\n"; } }
}
NGX
# two nginx proxies, each its own single-worker process, as the lab's two Nginx nodes are two nodes
for i in 1 2; do
    port=$P1; [ $i = 2 ] && port=$P2
    cat > "$T/proxy$i.conf" <<NGX
worker_processes 1;
daemon off;
pid $T/proxy$i.pid;
error_log $T/proxy$i.err warn;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 100000;
    upstream backends { server 127.0.0.1:$B1; server 127.0.0.1:$B2; keepalive $KEEPALIVE; }
    server {
        listen 127.0.0.1:$port backlog=4096;
        location / {
            proxy_pass http://backends;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Real-IP \$remote_addr;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        }
    }
}
NGX
done
nginx -c "$T/backends.conf" -p "$T" & PIDS+=($!)
nginx -c "$T/proxy1.conf" -p "$T" & PIDS+=($!)
nginx -c "$T/proxy2.conf" -p "$T" & PIDS+=($!)

cat > "$T/haproxy.cfg" <<HAP
global
    nbthread 1
    maxconn 8000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend vip
    bind 127.0.0.1:$HAP
    default_backend proxies
backend proxies
    balance roundrobin
    server p1 127.0.0.1:$P1
    server p2 127.0.0.1:$P2
HAP
haproxy -db -f "$T/haproxy.cfg" > "$OUTDIR/haproxy.log" 2>&1 & HAPPID=$!; PIDS+=($HAPPID)

ngx_node() {
    cat <<JSON
    {"id": "$1", "kind": "nginx", "position": {"x": 200, "y": $2}, "config": {
      "upstreams": [{"name": "backends", "keepalive": $KEEPALIVE, "servers": [{"node": "b1"}, {"node": "b2"}]}],
      "locations": [{"prefix": "/", "proxyPass": "backends"}],
      "proxyHttpVersion": "1.1", "proxySetHeaders": ["Connection:", "X-Real-IP: \$remote_addr", "X-Forwarded-For: \$proxy_add_x_forwarded_for"],
      "keepaliveRequests": 100000}}
JSON
}
cat > "$T/scenario.json" <<JSON
{ "format": 1, "name": "bench: LVS NAT -> two Nginx -> two real nginx backends", "description": "bench/front-chain.sh",
  "nodes": [
    {"id": "client", "kind": "client", "position": {"x": 0, "y": 0}},
    {"id": "lvs-1", "kind": "lvs", "position": {"x": 100, "y": 0},
      "config": {"mode": "nat", "scheduler": "rr", "healthCheck": {"type": "NONE"}}},
$(ngx_node nginx-1 0),
$(ngx_node nginx-2 100),
    {"id": "b1", "kind": "external", "position": {"x": 300, "y": 0}, "config": {"address": "127.0.0.1:$B1"}},
    {"id": "b2", "kind": "external", "position": {"x": 300, "y": 100}, "config": {"address": "127.0.0.1:$B2"}}
  ],
  "links": [
    {"from": "client", "to": "lvs-1"},
    {"from": "lvs-1", "to": "nginx-1"}, {"from": "lvs-1", "to": "nginx-2"},
    {"from": "nginx-1", "to": "b1"}, {"from": "nginx-1", "to": "b2"},
    {"from": "nginx-2", "to": "b1"}, {"from": "nginx-2", "to": "b2"}
  ] }
JSON

# LAB_JAR: another build of the lab to measure (e.g. a base commit's), used as it is
LAB_JAR=${LAB_JAR:-}
[ -z "$LAB_JAR" ] && { "$HERE/lab" --version > /dev/null; LAB_JAR="$HERE/app/target/flowlab-app.jar"; }  # builds the jar if it is missing or older than the sources
JOPTS=""
[ "$IO_THREADS" != auto ] && JOPTS="-Dflowlab.io.threads=$IO_THREADS"
java $JOPTS ${LAB_JVM:--Xmx1g -XX:+UseParallelGC} ${LAB_JAVA_OPTS:-} -jar "$LAB_JAR" serve "$T/scenario.json" \
    --endpoints "$T/endpoints.json" > "$OUTDIR/lab.log" 2>&1 & LABPID=$!; PIDS+=($LABPID)
for i in $(seq 300); do [ -s "$T/endpoints.json" ] && break; sleep 0.1; done
[ -s "$T/endpoints.json" ] || { echo "lab did not start; see $OUTDIR/lab.log" >&2; exit 1; }
LAB=$(python3 -c "import json; d=json.load(open('$T/endpoints.json')); print([n['address'] for n in d['nodes'] if n['id']=='lvs-1'][0])")
LAB_URL="http://$LAB/"; REAL_URL="http://127.0.0.1:$HAP/"
for u in "$REAL_URL" "$LAB_URL"; do
    for i in $(seq 100); do curl -sf -o /dev/null "$u" && break; sleep 0.05; done
    curl -sf -o /dev/null "$u" || { echo "$u does not answer; see $OUTDIR" >&2; exit 1; }
done
workers() { for i in 1 2; do pgrep -P "$(cat "$T/proxy$i.pid")" | head -1; done; }
REAL_PIDS="$HAPPID $(workers | tr '\n' ' ')"
echo "real chain: haproxy tcp $REAL_URL -> nginx :$P1, :$P2 -> backends :$B1, :$B2" | tee "$OUTDIR/setup.txt"
echo "lab chain:  LVS NAT $LAB_URL -> lab nginx-1, nginx-2 -> the same backends (io threads: $IO_THREADS)" | tee -a "$OUTDIR/setup.txt"
echo "(upstream keepalive $KEEPALIVE, wrk -t1 -c$CONC -d$DUR, $REPS reps, load before: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUTDIR/setup.txt"

wrk -t1 -c"$CONC" -d"$WARM" "$REAL_URL" > /dev/null
wrk -t1 -c"$CONC" -d"$WARM" "$LAB_URL" > /dev/null
cpu_ticks() { local s=0 p; for p in "$@"; do s=$(( s + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo $s; }
for r in $(seq "$REPS"); do
    for t in real lab; do
        url=$REAL_URL; pids=$REAL_PIDS; [ $t = lab ] && { url=$LAB_URL; pids=$LABPID; }
        before=$(cpu_ticks $pids)
        wrk -t1 -c"$CONC" -d"$DUR" --latency "$url" > "$OUTDIR/wrk_${t}_r$r.txt"
        echo "$(( $(cpu_ticks $pids) - before )) $(getconf CLK_TCK)" > "$OUTDIR/cpu_${t}_r$r.txt"
    done
done
echo "(load after: $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUTDIR/setup.txt"

python3 - "$OUTDIR" "$CONC" <<'PY'
import glob, re, statistics, sys, json, os
out, conc = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.environ["BENCH_DIR"])
from wrkstats import parse
names = {"real": "haproxy tcp -> 2 nginx -> 2 backends", "lab": "lab LVS NAT -> 2 Nginx -> 2 backends"}
res = {}
for t in names:
    runs = sorted(glob.glob(f"{out}/wrk_{t}_r*.txt"))
    rows = [parse(p) for p in runs]
    cpu = []
    for p in runs:
        ticks, hz = map(int, open(p.replace("/wrk_", "/cpu_")).read().split())
        n = int(re.search(r"(\d+) requests in", open(p).read()).group(1))
        cpu.append(ticks * 1e6 / hz / max(1, n))
    res[t] = {"rps": statistics.median(r[0] for r in rows), "p50_us": statistics.median(r[1] for r in rows),
              "p99_us": statistics.median(r[2] for r in rows), "errors": sum(r[3] for r in rows),
              "rps_runs": [round(r[0]) for r in rows], "cpu_us_per_req": statistics.median(cpu)}
print("\n%-40s %10s %-22s %9s %9s %6s %10s" % ("chain", "req/s", "runs", "p50", "p99", "errs", "cpu/req"))
for t, r in res.items():
    print("%-40s %10.0f %-22s %8.0fus %8.0fus %6d %8.1fus" % (names[t], r["rps"], "/".join(map(str, r["rps_runs"])),
          r["p50_us"], r["p99_us"], r["errors"], r["cpu_us_per_req"]))
ratio = res["lab"]["rps"] / res["real"]["rps"]
p99 = res["lab"]["p99_us"] / res["real"]["p99_us"]
cpu = res["lab"]["cpu_us_per_req"] / res["real"]["cpu_us_per_req"]
print(f"\nlab/real at c={conc}: throughput {ratio:.2f}   p99 {p99:.2f}   CPU per request {cpu:.2f}")
json.dump(res | {"ratio_rps": ratio, "ratio_p99": p99, "ratio_cpu_per_req": cpu}, open(f"{out}/summary.json", "w"), indent=1)
PY
echo "raw output: $OUTDIR"
[ "${HOLD:-0}" = 1 ] && { echo "holding (HOLD=1): endpoints $T/endpoints.json"; cp "$T/endpoints.json" "$OUTDIR/"; sleep infinity & PIDS+=($!); wait $!; }
