#!/usr/bin/env bash
# Benchmark: the lab's LVS director in NAT mode next to haproxy in TCP mode, both in front of the
# same two real nginx backends, on this machine, in the same run, with wrk. Runs alternate
# (haproxy, lab, haproxy, lab, ...) so that noise hits both alike; the figure to compare is the
# ratio of requests/s (goal: lab/haproxy >= 1.0). A second part measures what direct routing
# costs per NEW connection: wrk with "Connection: close" to a lab Tomcat through the DR director
# and straight to the same Tomcat. Binds 127.0.0.1 only; stops what it started by PID.
#
#   bench/lvs-vs-haproxy.sh          defaults: DUR=10s WARM=3s REPS=3 CONC=64 IO_THREADS=1
#
# IO_THREADS: the lab's event loop threads (1 = like-for-like with haproxy nbthread 1 and nginx
# worker_processes 1). Results go to $OUTDIR (default /tmp/flowlab-bench/lvs-<time>).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
DUR=${DUR:-10s}; WARM=${WARM:-3s}; REPS=${REPS:-3}; CONC=${CONC:-64}; IO_THREADS=${IO_THREADS:-1}
NGX1=${NGX1:-18381}; NGX2=${NGX2:-18382}; HAP=${HAP:-18383}
OUTDIR=${OUTDIR:-/tmp/flowlab-bench/lvs-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
. "$(dirname "$0")/lib.sh"
bench_require nginx haproxy wrk java python3 curl


cat > "$T/nginx.conf" <<NGX
worker_processes 1;
daemon off;
master_process on;
user root;
pid $T/nginx.pid;
error_log $T/nginx.err warn;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 100000;
    server { listen 127.0.0.1:$NGX1 backlog=4096; location / { return 200 "ok\n"; } }
    server { listen 127.0.0.1:$NGX2 backlog=4096; location / { return 200 "ok\n"; } }
}
NGX
nginx -c "$T/nginx.conf" & PIDS+=($!)

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
    default_backend nginx
backend nginx
    balance roundrobin
    server n1 127.0.0.1:$NGX1
    server n2 127.0.0.1:$NGX2
HAP
haproxy -db -f "$T/haproxy.cfg" > "$OUTDIR/haproxy.log" 2>&1 & HAPPID=$!; PIDS+=($HAPPID)

# The lab: an LVS director in NAT mode whose real servers are the two nginx (external nodes),
# and a DR director in front of one lab Tomcat, with the Tomcat also reachable directly.
cat > "$T/scenario.json" <<JSON
{ "format": 1, "name": "bench: LVS NAT to two nginx, LVS DR to a Tomcat", "description": "bench",
  "nodes": [
    { "id": "client", "kind": "client", "position": {"x": 0, "y": 0} },
    { "id": "lvs-nat", "kind": "lvs", "position": {"x": 100, "y": 0},
      "config": { "mode": "nat", "scheduler": "rr", "healthCheck": { "type": "NONE" } } },
    { "id": "nginx-1", "kind": "external", "position": {"x": 200, "y": 0}, "config": { "address": "127.0.0.1:$NGX1" } },
    { "id": "nginx-2", "kind": "external", "position": {"x": 200, "y": 100}, "config": { "address": "127.0.0.1:$NGX2" } },
    { "id": "lvs-dr", "kind": "lvs", "position": {"x": 100, "y": 200},
      "config": { "mode": "dr", "scheduler": "rr", "healthCheck": { "type": "NONE" } } },
    { "id": "tomcat-1", "kind": "tomcat", "position": {"x": 200, "y": 200} }
  ],
  "links": [
    { "from": "client", "to": "lvs-nat" },
    { "from": "lvs-nat", "to": "nginx-1" }, { "from": "lvs-nat", "to": "nginx-2" },
    { "from": "lvs-dr", "to": "tomcat-1" }
  ] }
JSON
(cd "$HERE" && ./mvnw -B -q -o -pl engine compile dependency:build-classpath -Dmdep.outputFile="$T/cp.txt" >/dev/null)
JOPTS=""
[ "$IO_THREADS" != auto ] && JOPTS="-Dflowlab.io.threads=$IO_THREADS"
java $JOPTS ${LAB_JVM:--Xmx1g -XX:+UseParallelGC} ${LAB_JAVA_OPTS:-} -cp "$HERE/engine/target/classes:$(cat "$T/cp.txt")" dev.flowlab.cli.LabCli \
    serve "$T/scenario.json" --endpoints "$T/endpoints.json" > "$OUTDIR/lab.log" 2>&1 & LABPID=$!; PIDS+=($LABPID)
for i in $(seq 200); do [ -s "$T/endpoints.json" ] && break; sleep 0.1; done
[ -s "$T/endpoints.json" ] || { echo "lab did not start; see $OUTDIR/lab.log" >&2; exit 1; }
addr() { python3 -c "import json; d=json.load(open('$T/endpoints.json')); print([n['address'] for n in d['nodes'] if n['id']=='$1'][0])"; }
LAB_NAT="http://$(addr lvs-nat)/"; LAB_DR="http://$(addr lvs-dr)/health"; TOMCAT="http://$(addr tomcat-1)/health"
HAP_URL="http://127.0.0.1:$HAP/"
for u in "$HAP_URL" "$LAB_NAT" "$LAB_DR" "$TOMCAT"; do
    for i in $(seq 100); do curl -s -o /dev/null "$u" && break; sleep 0.05; done
done
echo "haproxy tcp: $HAP_URL  lab lvs nat: $LAB_NAT  lab lvs dr: $LAB_DR  tomcat direct: $TOMCAT" | tee "$OUTDIR/setup.txt"
echo "(io threads: $IO_THREADS, wrk -t1 -c$CONC -d$DUR, $REPS reps; new-connection runs: -c8 with Connection: close)" | tee -a "$OUTDIR/setup.txt"

wrk -t1 -c"$CONC" -d"$WARM" "$HAP_URL" > /dev/null
wrk -t1 -c"$CONC" -d"$WARM" "$LAB_NAT" > /dev/null
wrk -t1 -c8 -d"$WARM" -H "Connection: close" "$LAB_DR" > /dev/null
# CPU time per request of each relay (user + system from /proc; the JVM's includes GC and JIT).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for r in $(seq "$REPS"); do
    for t in haproxy lab; do
        url=$HAP_URL; pid=$HAPPID; [ $t = lab ] && { url=$LAB_NAT; pid=$LABPID; }
        before=$(cpu_ticks "$pid")
        wrk -t1 -c"$CONC" -d"$DUR" --latency "$url" > "$OUTDIR/wrk_${t}_r$r.txt"
        echo "$(( $(cpu_ticks "$pid") - before )) $(getconf CLK_TCK)" > "$OUTDIR/cpu_${t}_r$r.txt"
    done
    for t in direct dr; do
        url=$TOMCAT; [ $t = dr ] && url=$LAB_DR
        wrk -t1 -c8 -d"$DUR" --latency -H "Connection: close" "$url" > "$OUTDIR/wrk_new_${t}_r$r.txt"
    done
done

python3 - "$OUTDIR" "$CONC" <<'PY'
import glob, re, statistics, sys, json
out, conc = sys.argv[1], sys.argv[2]
import os
sys.path.insert(0, os.environ["BENCH_DIR"])
from wrkstats import parse
res = {}
names = {"haproxy": f"haproxy tcp -> 2 nginx (c={conc})", "lab": f"lab LVS NAT -> 2 nginx (c={conc})",
         "new_direct": "tomcat direct, new conn/req (c=8)", "new_dr": "lab LVS DR -> tomcat, new conn/req (c=8)"}
for t in names:
    rows = [parse(p) for p in sorted(glob.glob(f"{out}/wrk_{t}_r*.txt"))]
    res[t] = {"rps": statistics.median(r[0] for r in rows), "p50_us": statistics.median(r[1] for r in rows),
              "p99_us": statistics.median(r[2] for r in rows), "errors": sum(r[3] for r in rows),
              "rps_runs": [round(r[0]) for r in rows]}
print("\n%-44s %10s %-22s %9s %9s %6s" % ("target", "req/s", "runs", "p50", "p99", "errs"))
for t, r in res.items():
    print("%-44s %10.0f %-22s %8.0fus %8.0fus %6d" % (names[t], r["rps"], "/".join(map(str, r["rps_runs"])), r["p50_us"], r["p99_us"], r["errors"]))
def cpu_per_req(t):
    vals = []
    for p in sorted(glob.glob(f"{out}/cpu_{t}_r*.txt")):
        ticks, hz = map(int, open(p).read().split())
        n = int(re.search(r"(\d+) requests in", open(p.replace("/cpu_", "/wrk_")).read()).group(1))
        vals.append(ticks * 1e6 / hz / max(1, n))
    return statistics.median(vals)
for t in ("haproxy", "lab"):
    res[t]["cpu_us_per_req"] = cpu_per_req(t)
print("CPU per request: haproxy %.1fus, lab LVS NAT %.1fus (lab/haproxy %.2f)" % (res["haproxy"]["cpu_us_per_req"],
      res["lab"]["cpu_us_per_req"], res["lab"]["cpu_us_per_req"] / res["haproxy"]["cpu_us_per_req"]))
ratio = res["lab"]["rps"] / res["haproxy"]["rps"]
dr = res["new_dr"]["rps"] / res["new_direct"]["rps"]
per_conn_us = (1 / res["new_dr"]["rps"] - 1 / res["new_direct"]["rps"]) * 1e6 * 8
print(f"\nthroughput ratio lab LVS NAT / haproxy tcp at c={conc}: {ratio:.2f}")
print(f"DR new-connection throughput vs direct: {dr:.2f} (about {per_conn_us:.0f} us more per new connection, at 8 in parallel)")
json.dump(res | {"ratio_nat_vs_haproxy": ratio, "ratio_dr_new_conn_vs_direct": dr, "dr_extra_us_per_conn": per_conn_us},
          open(f"{out}/summary.json", "w"), indent=1)
PY
echo "raw output: $OUTDIR"
