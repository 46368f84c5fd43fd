"""Reads wrk's --latency output: requests/s, p50 and p99 in microseconds, errors (socket + non-2xx)."""
import re


def us(s):
    m = re.match(r"([\d.]+)(us|ms|s)$", s)
    v, u = float(m.group(1)), m.group(2)
    return v * {"us": 1, "ms": 1e3, "s": 1e6}[u]


def parse(path):
    t = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p50 = us(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1))
    p99 = us(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1))
    err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    non2 = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    return rps, p50, p99, (sum(map(int, err.groups())) if err else 0) + (int(non2.group(1)) if non2 else 0)
