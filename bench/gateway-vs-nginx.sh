#!/usr/bin/env bash
# Benchmark: the gateway hop against the Nginx hop, side by side in one lab and one run. Four ways
# to the same Tomcat (zero service time), each a hop of its own: Tomcat directly (the baseline),
# through the Nginx tier (HTTP, upstream keepalive), through a gateway with no filters (routing
# and the HTTP -> RPC -> HTTP conversion only), and through a gateway with the full chain
# (risk control, bearer-token auth, rate limit, circuit breaker with its time limiter, retry).
# A hop's added latency is its p50 at one connection minus the baseline's; throughput is wrk's
# at CONC connections. Runs alternate (tomcat, nginx, gw-plain, gw-full, ...) so noise hits all
# alike. Binds 127.0.0.1 only; stops what it started by PID.
#
#   bench/gateway-vs-nginx.sh     defaults: DUR=10s WARM=8s REPS=3 CONC=64 IO_THREADS=1
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
DUR=${DUR:-10s}; WARM=${WARM:-8s}; REPS=${REPS:-3}; CONC=${CONC:-64}; IO_THREADS=${IO_THREADS:-1}
OUTDIR=${OUTDIR:-/tmp/flowlab-bench/gateway-$(date +%Y%m%d-%H%M%S)}
PATH_Q=${PATH_Q:-/api/item/42}
mkdir -p "$OUTDIR"
. "$(dirname "$0")/lib.sh"
bench_require wrk java python3 curl


cat > "$T/scenario.json" <<JSON
{
  "format": 1,
  "name": "bench: gateway hop vs nginx hop",
  "description": "bench/gateway-vs-nginx.sh",
  "nodes": [
    {"id": "nginx-1", "kind": "nginx", "config": {
      "upstreams": [{"name": "tomcats", "keepalive": $CONC, "servers": [{"node": "tomcat-1"}]}],
      "locations": [{"prefix": "/", "proxyPass": "tomcats"}], "keepaliveRequests": 10000000,
      "proxyHttpVersion": "1.1", "proxySetHeaders": ["Connection:", "X-Real-IP: \$remote_addr", "X-Forwarded-For: \$proxy_add_x_forwarded_for"]}},
    {"id": "gw-plain", "kind": "gateway"},
    {"id": "gw-full", "kind": "gateway", "config": {
      "routes": [{"id": "api", "path": "/", "filters": {
        "riskControl": {"denyCidrs": ["10.0.0.0/8"], "rules": [{"name": "scanner", "userAgent": "sqlmap"}]},
        "auth": {},
        "rateLimit": {"replenishRate": 1000000, "burstCapacity": 10000000},
        "circuitBreaker": {},
        "retry": {}}}],
      "credentials": [{"principal": "bench", "token": "bench-token"}]}},
    {"id": "tomcat-1", "kind": "tomcat", "config": {"maxKeepAliveRequests": -1}}
  ],
  "links": [{"from": "nginx-1", "to": "tomcat-1"}, {"from": "gw-plain", "to": "tomcat-1"}, {"from": "gw-full", "to": "tomcat-1"}]
}
JSON

"$HERE/lab" --version > /dev/null  # builds the jar if it is missing or older than the sources
JOPTS=""
[ "$IO_THREADS" != auto ] && JOPTS="-Dflowlab.io.threads=$IO_THREADS"
java $JOPTS -Xmx1g -XX:+UseParallelGC -jar "$HERE/app/target/flowlab-app.jar" serve "$T/scenario.json" \
    --endpoints "$T/endpoints.json" > "$OUTDIR/lab.log" 2>&1 & PIDS+=($!)
for i in $(seq 300); do [ -s "$T/endpoints.json" ] && break; sleep 0.1; done
[ -s "$T/endpoints.json" ] || { echo "lab did not start; see $OUTDIR/lab.log" >&2; exit 1; }
addr() { python3 -c "import json; d=json.load(open('$T/endpoints.json')); print([n['address'] for n in d['nodes'] if n['id']=='$1'][0])"; }
declare -A URL=([tomcat]="http://$(addr tomcat-1)$PATH_Q" [nginx]="http://$(addr nginx-1)$PATH_Q"
                [gw-plain]="http://$(addr gw-plain)$PATH_Q" [gw-full]="http://$(addr gw-full)$PATH_Q")
AUTH=(-H "Authorization: Bearer bench-token")
for t in tomcat nginx gw-plain gw-full; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" "${URL[$t]}")
    [ "$code" = 200 ] || { echo "$t answers $code at ${URL[$t]}; see $OUTDIR/lab.log" >&2; exit 1; }
done
echo "targets: ${URL[*]}  (io threads: $IO_THREADS, wrk -t1 -c1 and -c$CONC, -d$DUR, $REPS reps)" | tee "$OUTDIR/setup.txt"
for t in tomcat nginx gw-plain gw-full; do
    wrk -t1 -c"$CONC" -d"$WARM" "${AUTH[@]}" "${URL[$t]}" > /dev/null
done
for r in $(seq "$REPS"); do
    for c in 1 "$CONC"; do
        for t in tomcat nginx gw-plain gw-full; do
            wrk -t1 -c"$c" -d"$DUR" --latency "${AUTH[@]}" "${URL[$t]}" > "$OUTDIR/wrk_${t}_c${c}_r$r.txt"
        done
    done
done

python3 - "$OUTDIR" "$CONC" <<'PY'
import glob, re, statistics, sys, json
out, conc = sys.argv[1], sys.argv[2]
import os
sys.path.insert(0, os.environ["BENCH_DIR"])
from wrkstats import parse
res = {}
for t in ("tomcat", "nginx", "gw-plain", "gw-full"):
    for c in ("1", conc):
        rows = [parse(p) for p in sorted(glob.glob(f"{out}/wrk_{t}_c{c}_r*.txt"))]
        res[f"{t}@{c}"] = {"rps": statistics.median(r[0] for r in rows), "p50_us": statistics.median(r[1] for r in rows),
                           "p99_us": statistics.median(r[2] for r in rows), "errors": sum(r[3] for r in rows),
                           "rps_runs": [round(r[0]) for r in rows]}
base = res["tomcat@1"]["p50_us"]
names = {"tomcat": "Tomcat directly (baseline)", "nginx": "via Nginx tier", "gw-plain": "via gateway, no filters",
         "gw-full": "via gateway, full chain"}
print("\n%-28s %9s %12s %9s %12s %-22s %6s" % ("path", "p50 c=1", "added p50", "p99 c=1", f"req/s c={conc}", "runs", "errs"))
for t in ("tomcat", "nginx", "gw-plain", "gw-full"):
    one, many = res[f"{t}@1"], res[f"{t}@{conc}"]
    added = "" if t == "tomcat" else f"+{one['p50_us'] - base:.0f}us"
    print("%-28s %7.0fus %12s %7.0fus %12.0f %-22s %6d" % (names[t], one["p50_us"], added, one["p99_us"], many["rps"],
          "/".join(map(str, many["rps_runs"])), one["errors"] + many["errors"]))
g = res["gw-full@1"]["p50_us"] - base; n = res["nginx@1"]["p50_us"] - base
print(f"\ngateway (full chain) hop / nginx hop, added p50 at c=1: {g:.0f}us / {n:.0f}us;"
      f" throughput at c={conc}: {res['gw-full@' + conc]['rps'] / res['nginx@' + conc]['rps']:.2f}x nginx's")
json.dump(res, open(f"{out}/summary.json", "w"), indent=1)
PY
echo "raw output: $OUTDIR"
