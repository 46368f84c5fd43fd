#!/usr/bin/env bash
# Benchmark: the lab's Tomcat tier (zero service time) next to a real nginx `return 200`, on this
# machine, in the same run, with wrk. Runs alternate (nginx, lab, nginx, lab, ...) so that noise
# hits both alike; the figures to compare are the ratios. Binds 127.0.0.1 only; stops what it
# started by PID.
#
#   bench/tomcat-vs-nginx.sh            defaults: DUR=10s WARM=5s REPS=3 CONC=64 IO_THREADS=1
#
# IO_THREADS: the lab's event loop threads (1 = like-for-like with nginx worker_processes 1;
# "auto" = the lab's default, one per core). Results go to $OUTDIR (default /tmp/flowlab-bench/<time>).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
DUR=${DUR:-10s}; WARM=${WARM:-5s}; REPS=${REPS:-3}; CONC=${CONC:-64}; IO_THREADS=${IO_THREADS:-1}
NGINX_PORT=${NGINX_PORT:-18281}
OUTDIR=${OUTDIR:-/tmp/flowlab-bench/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
. "$(dirname "$0")/lib.sh"
bench_require nginx wrk java python3


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
    server {
        listen 127.0.0.1:$NGINX_PORT reuseport backlog=4096;
        location / { return 200 "ok\n"; }
    }
}
NGX
nginx -c "$T/nginx.conf" & PIDS+=($!)

"$HERE/lab" --version > /dev/null  # builds the jar if it is missing or older than the sources
JOPTS=""
[ "$IO_THREADS" != auto ] && JOPTS="-Dflowlab.io.threads=$IO_THREADS"
java $JOPTS ${LAB_JVM:--Xmx1g -XX:+UseParallelGC} ${LAB_JAVA_OPTS:-} -jar "$HERE/app/target/flowlab-app.jar" serve "$HERE/bench/tomcat-zero.json" \
    --endpoints "$T/endpoints.json" > "$OUTDIR/lab.log" 2>&1 & PIDS+=($!)
for i in $(seq 200); do [ -s "$T/endpoints.json" ] && break; sleep 0.1; done
[ -s "$T/endpoints.json" ] || { echo "lab did not start; see $OUTDIR/lab.log" >&2; exit 1; }
LAB=$(python3 -c "import json,sys; d=json.load(open('$T/endpoints.json')); print([n['address'] for n in d['nodes'] if n['kind']=='tomcat'][0])")
NGX="127.0.0.1:$NGINX_PORT"
for i in $(seq 100); do curl -s -o /dev/null "http://$NGX/" && break; sleep 0.05; done

# The lab's zero-service-time path: the shop's health endpoint (a small fixed JSON body).
LAB_URL="http://$LAB/health"; NGX_URL="http://$NGX/"
echo "lab tomcat tier: $LAB_URL   nginx: $NGX_URL   (io threads: $IO_THREADS, wrk -t1 -c$CONC -d$DUR, $REPS reps)" | tee "$OUTDIR/setup.txt"
wrk -t1 -c"$CONC" -d"$WARM" "$LAB_URL" > /dev/null
wrk -t1 -c"$CONC" -d"$WARM" "$NGX_URL" > /dev/null
for r in $(seq "$REPS"); do
    for t in nginx lab; do
        url=$NGX_URL; [ $t = lab ] && url=$LAB_URL
        wrk -t1 -c"$CONC" -d"$DUR" --latency "$url" > "$OUTDIR/wrk_${t}_c${CONC}_r$r.txt"
        wrk -t1 -c1 -d"$DUR" --latency "$url" > "$OUTDIR/wrk_${t}_c1_r$r.txt"
    done
done

python3 - "$OUTDIR" "$CONC" <<'PY'
import glob, re, statistics, sys, json
out, conc = sys.argv[1], sys.argv[2]
import os
sys.path.insert(0, os.environ["BENCH_DIR"])
from wrkstats import parse
res = {}
for t in ("nginx", "lab"):
    for c in (conc, "1"):
        rows = [parse(p) for p in sorted(glob.glob(f"{out}/wrk_{t}_c{c}_r*.txt"))]
        res[(t, c)] = {"rps": statistics.median(r[0] for r in rows), "p50_us": statistics.median(r[1] for r in rows),
                       "p99_us": statistics.median(r[2] for r in rows), "errors": sum(r[3] for r in rows),
                       "rps_runs": [round(r[0]) for r in rows]}
print("\n%-28s %6s %10s %-22s %9s %9s %6s" % ("target", "conns", "req/s", "runs", "p50", "p99", "errs"))
for (t, c), r in res.items():
    name = "nginx return 200" if t == "nginx" else "lab tomcat tier (0 ms)"
    print("%-28s %6s %10.0f %-22s %8.0fus %8.0fus %6d" % (name, c, r["rps"], "/".join(map(str, r["rps_runs"])), r["p50_us"], r["p99_us"], r["errors"]))
ratio = res[("lab", conc)]["rps"] / res[("nginx", conc)]["rps"]
lat = res[("lab", "1")]["p50_us"] / res[("nginx", "1")]["p50_us"]
print(f"\nthroughput ratio lab/nginx at c={conc}: {ratio:.2f}   p50 latency ratio lab/nginx at c=1: {lat:.2f}")
json.dump({f"{t}_c{c}": r for (t, c), r in res.items()} | {"ratio_rps": ratio, "ratio_p50_c1": lat}, open(f"{out}/summary.json", "w"), indent=1)
PY
echo "raw output: $OUTDIR"
