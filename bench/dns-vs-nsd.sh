#!/usr/bin/env bash
# Benchmark: the lab's DNS tier next to nsd, both authoritative for the same zone (the lab's own,
# written by `lab export`), on this machine, in the same run, with dnsperf over UDP. The lab's
# DNS node answers the site's name with 3 VIPs in cyclic order (nsd: round-robin: yes); nsd runs
# one server process (server-count: 1), the lab one event loop thread (IO_THREADS=1). Runs
# alternate (nsd, lab, nsd, lab, ...) so that noise hits both alike. Two parts:
#   (a) flat out: dnsperf -c $CLIENTS -q $INFLIGHT (queries in flight) for $DUR: queries/s, and
#       the CPU time each server spends per query (user + system from /proc/PID/stat; nsd's is the
#       sum over its processes, the JVM's includes GC and JIT): the robust figure when other jobs
#       share the machine;
#   (b) a fixed rate, dnsperf -Q $RATE: latency p50/p99/p99.9, computed from dnsperf -v (one line
#       per query with its latency; dnsperf itself prints only min/avg/max/stddev, kept too).
# The query file is the site's A record (most of it, one line in mixed case as 0x20 resolvers
# send) plus a mix: AAAA (NODATA), a name that does not exist (NXDOMAIN), SOA and NS at the apex,
# ns1's A. Binds 127.0.0.1 (nsd) and the lab's 127.0.5.x only; stops what it started by PID.
#
#   bench/dns-vs-nsd.sh        defaults: DUR=10 WARM=5 REPS=3 CLIENTS=4 INFLIGHT=100 RATE=10000 IO_THREADS=1
#
# PARTS: "max rate" (default), "max" or "rate" alone.
# LAB_JAR: another build of the lab to measure (a copy of app/target/flowlab-app.jar with its lib/
# next to it, e.g. the one before a change); by default this checkout's, built if out of date.
# LAB_JVM (default -Xmx1g -XX:+UseParallelGC) and LAB_JAVA_OPTS (e.g. a JFR recording) go to the
# lab's JVM; DNSPERF_OPTS to both dnsperf runs (e.g. -e for EDNS queries). Results go to $OUTDIR
# (default /tmp/flowlab-bench/dns-<time>).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
DUR=${DUR:-10}; WARM=${WARM:-5}; REPS=${REPS:-3}; CLIENTS=${CLIENTS:-4}; INFLIGHT=${INFLIGHT:-100}
RATE=${RATE:-10000}; IO_THREADS=${IO_THREADS:-1}; NSD_PORT=${NSD_PORT:-18453}; DNSPERF_OPTS=${DNSPERF_OPTS:-}
NSD=${NSD:-/usr/sbin/nsd}; PARTS=${PARTS:-max rate}
OUTDIR=${OUTDIR:-/tmp/flowlab-bench/dns-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
. "$(dirname "$0")/lib.sh"
bench_require dnsperf java python3 dig
[ -x "$NSD" ] || { echo "missing nsd (apt-get install -y nsd)" >&2; exit 1; }

cat > "$T/scenario.json" <<JSON
{ "format": 1, "name": "bench: one DNS node, the site's name on 3 VIPs in cyclic order", "description": "bench/dns-vs-nsd.sh",
  "nodes": [
    { "id": "client", "kind": "client", "position": {"x": 0, "y": 0} },
    { "id": "dns", "kind": "dns", "position": {"x": 100, "y": 0},
      "config": { "ttl": 10, "rrsetOrder": "cyclic", "addresses": ["127.0.10.1", "127.0.10.2", "127.0.10.3"] } }
  ],
  "links": [ { "from": "client", "to": "dns" } ] }
JSON
cat > "$T/queries.txt" <<Q
www.taobao.lab A
www.taobao.lab A
www.taobao.lab A
www.taobao.lab A
WwW.TaoBao.LAB A
www.taobao.lab AAAA
nope.taobao.lab A
taobao.lab SOA
taobao.lab NS
ns1.taobao.lab A
Q

if [ -z "${LAB_JAR:-}" ]; then
    "$HERE/lab" --version > /dev/null  # builds the jar if it is missing or older than the sources
    LAB_JAR="$HERE/app/target/flowlab-app.jar"
fi
java -jar "$LAB_JAR" export "$T/scenario.json" --to "$T/export" > /dev/null
mkdir -p "$T/nsd"
cp "$T/export/dns/taobao.lab.zone" "$T/nsd/"
cat > "$T/nsd/nsd.conf" <<NSD
server:
    ip-address: 127.0.0.1
    port: $NSD_PORT
    do-ip6: no
    server-count: 1
    round-robin: yes
    ipv4-edns-size: 1232
    zonesdir: "$T/nsd"
    pidfile: "$T/nsd/nsd.pid"
    xfrdfile: "$T/nsd/xfrd.state"
    zonelistfile: "$T/nsd/zone.list"
    database: ""
    username: ""
    verbosity: 0
    # nsd's response rate limiting (on by default in Debian's build: 200 q/s per /24) would drop or
    # truncate a benchmark's replies; the lab has none
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "taobao.lab"
    zonefile: "taobao.lab.zone"
NSD
"$NSD" -d -c "$T/nsd/nsd.conf" > "$OUTDIR/nsd.log" 2>&1 & NSDPID=$!; PIDS+=($NSDPID)

JOPTS=""
[ "$IO_THREADS" != auto ] && JOPTS="-Dflowlab.io.threads=$IO_THREADS"
java $JOPTS ${LAB_JVM:--Xmx1g -XX:+UseParallelGC} ${LAB_JAVA_OPTS:-} -jar "$LAB_JAR" serve "$T/scenario.json" \
    --endpoints "$T/endpoints.json" > "$OUTDIR/lab.log" 2>&1 & LABPID=$!; PIDS+=($LABPID)
for i in $(seq 200); do [ -s "$T/endpoints.json" ] && break; sleep 0.1; done
[ -s "$T/endpoints.json" ] || { echo "lab did not start; see $OUTDIR/lab.log" >&2; exit 1; }
LAB=$(python3 -c "import json; d=json.load(open('$T/endpoints.json')); print([n['address'] for n in d['nodes'] if n['id']=='dns'][0])")
LAB_HOST=${LAB%:*}; LAB_PORT=${LAB##*:}
for i in $(seq 100); do dig +short +time=1 +tries=1 @127.0.0.1 -p "$NSD_PORT" www.taobao.lab A | grep -q . && break; sleep 0.1; done
dig +short +time=1 +tries=1 @127.0.0.1 -p "$NSD_PORT" www.taobao.lab A | grep -q . || { echo "nsd does not answer; see $OUTDIR/nsd.log" >&2; exit 1; }
dig +short +time=1 +tries=1 @"$LAB_HOST" -p "$LAB_PORT" www.taobao.lab A | grep -q . || { echo "lab DNS does not answer; see $OUTDIR/lab.log" >&2; exit 1; }
{
    echo "nsd $("$NSD" -v 2>&1 | head -1): 127.0.0.1:$NSD_PORT (server-count 1)   lab DNS node: $LAB (io threads: $IO_THREADS)"
    echo "(a) dnsperf -c $CLIENTS -q $INFLIGHT -l $DUR $DNSPERF_OPTS; (b) dnsperf -c $CLIENTS -Q $RATE -l $DUR -v $DNSPERF_OPTS; $REPS reps each, alternating"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUTDIR/setup.txt"

# CPU ticks of a process and all its descendants (nsd -d: the started process becomes xfrd, its
# child "main" and that one's child "server 1" does the answering).
cpu_ticks() {
    local t=0 p
    for p in $(descendants "$1"); do
        # utime + stime: fields 14 and 15, counted after the command name, which holds spaces ("nsd: server 1")
        [ -r "/proc/$p/stat" ] && t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
    done
    echo "$t"
}
descendants() {
    local c
    echo "$1"
    for c in $(pgrep -P "$1" || true); do descendants "$c"; done
}
target() { # name -> "server port pid"
    if [ "$1" = nsd ]; then echo "127.0.0.1 $NSD_PORT $NSDPID"; else echo "$LAB_HOST $LAB_PORT $LABPID"; fi
}
for t in nsd lab; do
    read -r s p pid <<< "$(target $t)"
    dnsperf -s "$s" -p "$p" -d "$T/queries.txt" -c "$CLIENTS" -q "$INFLIGHT" -l "$WARM" $DNSPERF_OPTS > /dev/null
done
for r in $(seq "$REPS"); do
    for t in nsd lab; do
        [[ " $PARTS " == *" max "* ]] || continue
        read -r s p pid <<< "$(target $t)"
        before=$(cpu_ticks "$pid")
        dnsperf -s "$s" -p "$p" -d "$T/queries.txt" -c "$CLIENTS" -q "$INFLIGHT" -l "$DUR" $DNSPERF_OPTS > "$OUTDIR/max_${t}_r$r.txt"
        echo "$(( $(cpu_ticks "$pid") - before )) $(getconf CLK_TCK)" > "$OUTDIR/cpu_${t}_r$r.txt"
    done
    for t in nsd lab; do
        [[ " $PARTS " == *" rate "* ]] || continue
        read -r s p pid <<< "$(target $t)"
        dnsperf -s "$s" -p "$p" -d "$T/queries.txt" -c "$CLIENTS" -Q "$RATE" -l "$DUR" -v $DNSPERF_OPTS > "$OUTDIR/rate_${t}_r$r.txt"
        # keep the summary, drop the per-query lines once the percentiles are out
        python3 - "$OUTDIR/rate_${t}_r$r.txt" <<'PY'
import re, sys
p = sys.argv[1]
lat, rest = [], []
for line in open(p):
    m = re.match(r"> \S+ .* ([\d.]+)$", line)
    if m:
        lat.append(float(m.group(1)) * 1e6)
    else:
        rest.append(line)
lat.sort()
def pct(q):
    return lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")
with open(p, "w") as f:
    f.writelines(rest)
    f.write("per-query latencies: %d p50_us %.1f p99_us %.1f p999_us %.1f max_us %.1f\n" % (len(lat), pct(.5), pct(.99), pct(.999), lat[-1] if lat else float("nan")))
PY
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUTDIR/setup.txt"

python3 - "$OUTDIR" "$RATE" <<'PY'
import glob, re, statistics, sys, json
out, rate = sys.argv[1], sys.argv[2]
def num(t, pat):
    m = re.search(pat, t)
    return float(m.group(1)) if m else float("nan")
res = {}
for t in ("nsd", "lab"):
    qps, cpu, lost = [], [], 0
    for p in sorted(glob.glob(f"{out}/max_{t}_r*.txt")):
        txt = open(p).read()
        qps.append(num(txt, r"Queries per second:\s+([\d.]+)"))
        done = num(txt, r"Queries completed:\s+(\d+)")
        lost += int(num(txt, r"Queries lost:\s+(\d+)"))
        ticks, hz = map(int, open(p.replace("/max_", "/cpu_")).read().split())
        cpu.append(ticks * 1e6 / hz / max(1, done))
    p50, p99, p999, avg, mx, lost_r, qps_r = [], [], [], [], [], 0, []
    for p in sorted(glob.glob(f"{out}/rate_{t}_r*.txt")):
        txt = open(p).read()
        m = re.search(r"p50_us ([\d.]+) p99_us ([\d.]+) p999_us ([\d.]+)", txt)
        p50.append(float(m.group(1))); p99.append(float(m.group(2))); p999.append(float(m.group(3)))
        avg.append(num(txt, r"Average Latency \(s\):\s+([\d.]+)") * 1e6)
        mx.append(num(txt, r"Average Latency \(s\):.*max ([\d.]+)") * 1e6)
        lost_r += int(num(txt, r"Queries lost:\s+(\d+)"))
        qps_r.append(num(txt, r"Queries per second:\s+([\d.]+)"))
    med = lambda v: statistics.median(v) if v else float("nan")
    res[t] = {"qps": med(qps), "qps_runs": [round(q) for q in qps], "lost": lost,
              "cpu_us_per_query": med(cpu), "cpu_runs": [round(c, 2) for c in cpu],
              "rate_qps": med(qps_r), "rate_lost": lost_r,
              "p50_us": med(p50), "p99_us": med(p99), "p999_us": med(p999), "p99_runs": [round(x) for x in p99],
              "avg_us": med(avg), "max_us": med(mx)}
print("\n%-10s %9s %-20s %5s %9s %-16s | at -Q %s: %8s %7s %7s %8s %8s %5s" % ("server", "q/s", "runs", "lost", "cpu/q", "cpu runs", rate,
      "q/s", "p50", "p99", "p99.9", "avg", "lost"))
for t, r in res.items():
    print("%-10s %9.0f %-20s %5d %7.2fus %-16s | %16.0f %6.0fus %6.0fus %7.0fus %7.0fus %5d" % (t, r["qps"], "/".join(map(str, r["qps_runs"])),
          r["lost"], r["cpu_us_per_query"], "/".join(map(str, r["cpu_runs"])), r["rate_qps"], r["p50_us"], r["p99_us"], r["p999_us"],
          r["avg_us"], r["rate_lost"]))
ratio = res["lab"]["qps"] / res["nsd"]["qps"]
cpu = res["lab"]["cpu_us_per_query"] / res["nsd"]["cpu_us_per_query"]
p99 = res["lab"]["p99_us"] / res["nsd"]["p99_us"]
print("p99 runs at the fixed rate, nsd / lab: %s / %s" % ("/".join(map(str, res["nsd"]["p99_runs"])), "/".join(map(str, res["lab"]["p99_runs"]))))
print(f"\nlab/nsd: queries/s {ratio:.2f}   CPU per query {cpu:.2f}   p99 at {rate} q/s {p99:.2f}")
json.dump(res | {"ratio_qps": ratio, "ratio_cpu_per_query": cpu, "ratio_p99": p99}, open(f"{out}/summary.json", "w"), indent=1)
PY
echo "raw output: $OUTDIR"
