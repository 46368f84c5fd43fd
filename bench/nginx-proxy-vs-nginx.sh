#!/usr/bin/env bash
# Benchmark: the lab's Nginx tier next to a real nginx, both proxying to the same two real nginx
# backends (`return 200`), side by side in one run with wrk. The lab reaches the backends as
# `external` nodes, so both proxies do the same work: HTTP/1.1 to the upstreams over a keepalive
# cache of 32, round-robin over two servers. Runs alternate (nginx, lab, nginx, lab, ...) so noise
# hits both alike. Then the memory of idle keep-alive client connections: N idle connections are
# opened to each proxy and the growth of its resident set is divided by N. Binds 127.0.0.1 only;
# stops what it started by PID.
#
#   bench/nginx-proxy-vs-nginx.sh     defaults: DUR=10s WARM=10s REPS=3 CONC=64 KEEPALIVE=64 IO_THREADS=1 IDLE=2000
#
# KEEPALIVE: both proxies' upstream `keepalive`. At the default (= CONC) neither proxy churns
# upstream connections; set it below CONC (e.g. 32) to measure the cost of that churn too.
# IO_THREADS: the lab's event loop threads (1 = like-for-like with nginx worker_processes 1).
# IDLE: idle keep-alive connections for the memory figure (0 skips it). IDLE_ONLY=1: only that
# figure (no wrk runs). The open-file limit is raised to its hard limit for it (both the client,
# which holds IDLE sockets, and each proxy need one descriptor per connection).
set -euo pipefail
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
IDLE_ONLY=${IDLE_ONLY:-0}
HERE=$(cd "$(dirname "$0")/.." && pwd)
DUR=${DUR:-10s}; WARM=${WARM:-10s}; REPS=${REPS:-3}; CONC=${CONC:-64}; IO_THREADS=${IO_THREADS:-1}; IDLE=${IDLE:-2000}; KEEPALIVE=${KEEPALIVE:-$CONC}
WORKER_CONNECTIONS=$(( IDLE + 1024 > 16384 ? IDLE + 1024 : 16384 ))
BASE_PORT=${BASE_PORT:-18390}
PROXY_PORT=$BASE_PORT; B1=$((BASE_PORT + 1)); B2=$((BASE_PORT + 2))
OUTDIR=${OUTDIR:-/tmp/flowlab-bench/nginx-proxy-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
. "$(dirname "$0")/lib.sh"
bench_require nginx wrk java python3


# The backends get a process of their own so the proxy's worker can be measured alone.
cat > "$T/backends.conf" <<NGX
worker_processes 1;
daemon off;
pid $T/backends.pid;
error_log $T/backends.err warn;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 100000;
    server { listen 127.0.0.1:$B1 reuseport backlog=4096; location / { add_header X-Served-By b1; return 200 "ok\n"; } }
    server { listen 127.0.0.1:$B2 reuseport backlog=4096; location / { add_header X-Served-By b2; return 200 "ok\n"; } }
}
NGX
cat > "$T/proxy.conf" <<NGX
worker_processes 1;
daemon off;
pid $T/proxy.pid;
error_log $T/proxy.err warn;
events { worker_connections $WORKER_CONNECTIONS; }
http {
    access_log off;
    keepalive_requests 100000;
    upstream backends { server 127.0.0.1:$B1; server 127.0.0.1:$B2; keepalive $KEEPALIVE; }
    server {
        listen 127.0.0.1:$PROXY_PORT reuseport backlog=4096;
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
nginx -c "$T/backends.conf" -p "$T" & PIDS+=($!)
nginx -c "$T/proxy.conf" -p "$T" & PIDS+=($!)

cat > "$T/scenario.json" <<JSON
{
  "format": 1,
  "name": "bench: lab nginx in front of two real nginx backends",
  "description": "bench/nginx-proxy-vs-nginx.sh",
  "nodes": [
    {"id": "nginx-1", "kind": "nginx", "position": {"x": 100, "y": 100}, "config": {
      "upstreams": [{"name": "backends", "keepalive": $KEEPALIVE, "servers": [{"node": "b1"}, {"node": "b2"}]}],
      "locations": [{"prefix": "/", "proxyPass": "backends"}],
      "proxyHttpVersion": "1.1", "proxySetHeaders": ["Connection:", "X-Real-IP: \$remote_addr", "X-Forwarded-For: \$proxy_add_x_forwarded_for"],
      "keepaliveRequests": 100000, "workerConnections": $WORKER_CONNECTIONS}},
    {"id": "b1", "kind": "external", "position": {"x": 300, "y": 50}, "config": {"address": "127.0.0.1:$B1"}},
    {"id": "b2", "kind": "external", "position": {"x": 300, "y": 150}, "config": {"address": "127.0.0.1:$B2"}}
  ],
  "links": [{"from": "nginx-1", "to": "b1"}, {"from": "nginx-1", "to": "b2"}]
}
JSON

# LAB_JAR: another build of the lab to measure (e.g. a base commit's), used as it is
LAB_JAR=${LAB_JAR:-}
[ -z "$LAB_JAR" ] && { "$HERE/lab" --version > /dev/null; LAB_JAR="$HERE/app/target/flowlab-app.jar"; }  # builds the jar if it is missing or older than the sources
JOPTS=""
[ "$IO_THREADS" != auto ] && JOPTS="-Dflowlab.io.threads=$IO_THREADS"
java $JOPTS ${LAB_JVM:--Xmx1g -XX:+UseParallelGC} ${LAB_JAVA_OPTS:-} -jar "$LAB_JAR" serve "$T/scenario.json" \
    --endpoints "$T/endpoints.json" > "$OUTDIR/lab.log" 2>&1 & LABPID=$!; PIDS+=($LABPID)
for i in $(seq 200); do [ -s "$T/endpoints.json" ] && break; sleep 0.1; done
[ -s "$T/endpoints.json" ] || { echo "lab did not start; see $OUTDIR/lab.log" >&2; exit 1; }
LAB=$(python3 -c "import json; d=json.load(open('$T/endpoints.json')); print([n['address'] for n in d['nodes'] if n['id']=='nginx-1'][0])")
NGX="127.0.0.1:$PROXY_PORT"
for i in $(seq 100); do curl -s -o /dev/null "http://$NGX/" && break; sleep 0.05; done
curl -sf -o /dev/null "http://$LAB/" || { echo "lab nginx does not answer; see $OUTDIR/lab.log" >&2; exit 1; }

LAB_URL="http://$LAB/"; NGX_URL="http://$NGX/"
NGX_WORKER=$(pgrep -P "$(cat "$T/proxy.pid")" | head -1)
if [ "$IDLE_ONLY" != 1 ]; then
echo "lab nginx tier: $LAB_URL   real nginx: $NGX_URL   backends: $B1 $B2   (io threads: $IO_THREADS, upstream keepalive $KEEPALIVE, wrk -t1 -c$CONC -d$DUR, $REPS reps)" | tee "$OUTDIR/setup.txt"
wrk -t1 -c"$CONC" -d"$WARM" "$LAB_URL" > /dev/null
wrk -t1 -c"$CONC" -d"$WARM" "$NGX_URL" > /dev/null
# CPU time each proxy spends per request (user + system, from /proc; the JVM's figure includes its
# GC and JIT threads): unlike req/s, it hardly moves when other jobs share the machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for r in $(seq "$REPS"); do
    for t in nginx lab; do
        url=$NGX_URL; pid=$NGX_WORKER; [ $t = lab ] && { url=$LAB_URL; pid=$LABPID; }
        before=$(cpu_ticks "$pid")
        wrk -t1 -c"$CONC" -d"$DUR" --latency "$url" > "$OUTDIR/wrk_${t}_c${CONC}_r$r.txt"
        echo "$(( $(cpu_ticks "$pid") - before )) $(getconf CLK_TCK)" > "$OUTDIR/cpu_${t}_c${CONC}_r$r.txt"
    done
done
fi

# Idle keep-alive client connections: resident-set growth per connection; for the JVM also the
# heap in use after a full GC (its resident set hardly moves: the heap is reserved up front).
# IDLE=0 skips this part.
[ "$IDLE" -gt 0 ] && python3 - "$IDLE" "$NGX" "$NGX_WORKER" "$LAB" "$LABPID" "$OUTDIR" > "$OUTDIR/idle.txt" <<'PY'
import os, socket, sys, time
n, targets = int(sys.argv[1]), [(sys.argv[2], int(sys.argv[3]), "nginx"), (sys.argv[4], int(sys.argv[5]), "lab")]
outdir = sys.argv[6]
import subprocess, re
def heap_kb(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    return sum(int(m) for m in re.findall(r"(?:PSYoungGen|ParOldGen)\s+total \d+K, used (\d+)K", out))
def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
for addr, pid, name in targets:
    host, port = addr.rsplit(":", 1)
    time.sleep(1); before = rss_kb(pid); heap_before = heap_kb(pid) if name == "lab" else 0
    socks = []
    for i in range(n):
        s = socket.create_connection((host, int(port)))
        s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n")
        socks.append(s)
    for s in socks:
        s.recv(4096)
    time.sleep(2); after = rss_kb(pid)
    line = f"{name} idle_conns {n} rss_before_kb {before} rss_after_kb {after} rss_per_conn_bytes {(after - before) * 1024 / n:.0f}"
    if name == "lab":
        heap_after = heap_kb(pid)
        # the live objects by class with the connections held (jcmd runs a full GC first)
        with open(f"{outdir}/lab-histogram.txt", "w") as h:
            h.write(subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True).stdout)
        if os.environ.get("HEAPDUMP") == "1":
            subprocess.run(["jcmd", str(pid), "GC.heap_dump", f"{outdir}/lab.hprof"], capture_output=True)
        line += f" heap_before_kb {heap_before} heap_after_kb {heap_after} heap_per_conn_bytes {(heap_after - heap_before) * 1024 / n:.0f}"
    print(line)
    for s in socks:
        s.close()
PY
[ "$IDLE" -gt 0 ] && cat "$OUTDIR/idle.txt"
[ "$IDLE_ONLY" = 1 ] && { echo "raw output: $OUTDIR"; exit 0; }

python3 - "$OUTDIR" "$CONC" <<'PY'
import glob, re, statistics, sys, json
out, conc = sys.argv[1], sys.argv[2]
def us(s):
    m = re.match(r"([\d.]+)(us|ms|s)$", s); v, u = float(m.group(1)), m.group(2)
    return v * {"us": 1, "ms": 1e3, "s": 1e6}[u]
def parse(p):
    t = open(p).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p50 = us(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1))
    p99 = us(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
    err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    non2 = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    n = int(re.search(r"(\d+) requests in", t).group(1))
    cpu_file = p.replace("/wrk_", "/cpu_")
    ticks, hz = map(int, open(cpu_file).read().split())
    cpu_us = ticks * 1e6 / hz / max(1, n)
    return rps, p50, p99, (sum(map(int, err.groups())) if err else 0) + (int(non2.group(1)) if non2 else 0), cpu_us
res = {}
for t in ("nginx", "lab"):
    rows = [parse(p) for p in sorted(glob.glob(f"{out}/wrk_{t}_c{conc}_r*.txt"))]
    res[t] = {"rps": statistics.median(r[0] for r in rows), "p50_us": statistics.median(r[1] for r in rows),
              "p99_us": statistics.median(r[2] for r in rows), "errors": sum(r[3] for r in rows),
              "rps_runs": [round(r[0]) for r in rows], "cpu_us_per_req": statistics.median(r[4] for r in rows)}
print("\n%-30s %6s %10s %-22s %9s %9s %6s %12s" % ("proxy", "conns", "req/s", "runs", "p50", "p99", "errs", "cpu/req"))
for t, r in res.items():
    name = "real nginx proxy" if t == "nginx" else "lab nginx tier"
    print("%-30s %6s %10.0f %-22s %8.0fus %8.0fus %6d %10.1fus" % (name, conc, r["rps"], "/".join(map(str, r["rps_runs"])), r["p50_us"], r["p99_us"], r["errors"], r["cpu_us_per_req"]))
ratio = res["lab"]["rps"] / res["nginx"]["rps"]
p99 = res["lab"]["p99_us"] / res["nginx"]["p99_us"]
cpu = res["lab"]["cpu_us_per_req"] / res["nginx"]["cpu_us_per_req"]
print(f"\nthroughput ratio lab/nginx at c={conc}: {ratio:.2f}   p99 ratio lab/nginx: {p99:.2f}   CPU per request lab/nginx: {cpu:.2f}")
json.dump(res | {"ratio_rps": ratio, "ratio_p99": p99, "ratio_cpu_per_req": cpu}, open(f"{out}/summary.json", "w"), indent=1)
PY
echo "raw output: $OUTDIR"
