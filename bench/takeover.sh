#!/usr/bin/env bash
# Benchmark: keepalived-style VIP takeover time over repeated kills of the master, against
# keepalived's formula master_down_interval = 3 * advert_int + skew. Starts from
# lab-scenarios/06-keepalived-nginx.json (an Nginx pair sharing one VIP), replaces its script with
# KILLS cycles of "kill nginx-master, wait for the backup to take over, start nginx-master again
# (it preempts back)", runs it under traffic with `lab run`, and reads the failovers of the report.
# Two configurations: keepalived's default (VRRPv2, advert_int 1s) and a demo one (VRRPv3, 200ms).
#
#   bench/takeover.sh            defaults: KILLS=20 RPS=100
#
# detection = kill -> backup enters MASTER; takeover = kill -> VIP bound at the backup (it answers).
# A kill lands at a random point of the master's advert cycle, so detection is expected between
# master_down_interval - advert_int and master_down_interval (plus event-loop lag).
# Results go to $OUTDIR (default /tmp/flowlab-bench/takeover-<time>).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
KILLS=${KILLS:-20}; RPS=${RPS:-100}
OUTDIR=${OUTDIR:-/tmp/flowlab-bench/takeover-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTDIR"
for b in java python3; do command -v $b >/dev/null || { echo "missing $b" >&2; exit 1; }; done

# version advert_int(ms) label
for config in "2 1000 keepalived-default" "3 200 demo-200ms"; do
    set -- $config
    version=$1; advert_ms=$2; label=$3
    scenario="$OUTDIR/$label.json"
    python3 - "$HERE/lab-scenarios/06-keepalived-nginx.json" "$scenario" "$version" "$advert_ms" "$KILLS" "$RPS" <<'PY'
import json, sys
src, dst, version, advert_ms, kills, rps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
s = json.load(open(src))
g = s["haGroups"][0]
g["vrrp_version"] = version
g["advert_int"] = f"{advert_ms}ms" if advert_ms % 1000 else f"{advert_ms // 1000}s"
g.pop("track_script", None)
mdi = 3 * advert_ms + (256 - 100) * (advert_ms if version == 3 else 1000) / 256
# One cycle: kill, wait well past the takeover, start (preempts back), let it settle. The restarted
# master starts a new advert cycle, so a random offset (seeded: runs are repeatable) puts each kill
# at another point of that cycle.
import random
rng = random.Random(6)
cycle = int(mdi + 1500 + 2 * advert_ms)
steps, t = [], 1000
for i in range(kills):
    kill_at = t + rng.randrange(advert_ms)
    steps.append({"at": f"{kill_at}ms", "action": "kill", "node": "nginx-master"})
    steps.append({"at": f"{kill_at + int(mdi) + 700}ms", "action": "start", "node": "nginx-master"})
    t += cycle
s["script"] = steps
s["traffic"] = {"mode": "open", "rps": rps, "duration": f"{t + 500}ms"}
s["name"] = f"takeover bench ({sys.argv[2]})"
json.dump(s, open(dst, "w"), indent=2)
PY
    echo "== $label: VRRPv$version, advert_int ${advert_ms}ms, $KILLS kills at $RPS req/s" >&2
    "$HERE/lab" run "$scenario" --report "$OUTDIR/$label-report.json" > "$OUTDIR/$label.out" 2>&1 || { tail -20 "$OUTDIR/$label.out" >&2; exit 1; }
    python3 - "$OUTDIR/$label-report.json" "$label" "$advert_ms" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1])); label = sys.argv[2]; advert = float(sys.argv[3])
kills = [f for f in r.get("failovers", []) if f["cause"] == "killed"]
if not kills:
    sys.exit(f"{label}: no failovers in the report")
det = [f["detection_ms"] for f in kills]; tko = [f["takeover_ms"] for f in kills]
mdi = kills[0]["master_down_interval_ms"]
errs = [f["errors_in_window"] for f in kills]
print(f"{label}: {len(kills)} kills; master_down_interval (formula) {mdi:.1f} ms, expected detection "
      f"{mdi - advert:.1f}..{mdi:.1f} ms")
print(f"  detection ms: median {statistics.median(det):8.1f}  worst {max(det):8.1f}  best {min(det):8.1f}")
print(f"  takeover  ms: median {statistics.median(tko):8.1f}  worst {max(tko):8.1f}  best {min(tko):8.1f}")
print(f"  client failures per takeover window: median {statistics.median(errs):.0f}, worst {max(errs)}; "
      f"failures outside every window: {r.get('errors_outside_failovers')}")
PY
done | tee "$OUTDIR/summary.txt"
echo "results in $OUTDIR" >&2
