#!/usr/bin/env python3
"""Turns a bench/run TSV into a Markdown table: every target's value per workload, and this
project's ratio to the local directory and to the best peer (s3fs, rclone, with and without
cache). Ratios are speed factors: above 1 means curvefs is faster (for times: takes less).
A write result of a target that had not put the data in S3 by the time close returned is
marked * and left out of the best peer. Ends with the targets of issue 5, met or not."""
import sys
from collections import OrderedDict

TARGETS = ["local", "bindfs", "curvefs", "s3fs", "s3fs-cache", "rclone", "rclone-cache"]
PEERS = ["s3fs", "s3fs-cache", "rclone", "rclone-cache"]
# (workload, metric, higher is better, label, which durability check covers it)
ROWS = [
    ("seq_write", "MiB/s", True, "big file write (fsync+close)", "seq_write"),
    ("seq_read_cold", "MiB/s", True, "big file read, cold", None),
    ("seq_reread_warm", "MiB/s", True, "big file re-read, warm", None),
    ("rand_read_4k_cold", "ops/s", True, "4 KiB random reads, cold", None),
    ("small_write", "files/s", True, "small files write (fsync+close)", "small_write"),
    ("small_read_cold", "files/s", True, "small files read, cold", None),
    ("small_reread_warm", "files/s", True, "small files re-read, warm", None),
    ("meta_create", "ops/s", True, "create empty files", "small_write"),
    ("meta_stat", "ops/s", True, "stat", None),
    ("meta_rename", "ops/s", True, "rename", "small_write"),
    ("meta_unlink", "ops/s", True, "unlink", "small_write"),
    ("ls_lR_cold", "s", False, "ls -lR of the tree, cold", None),
    ("ls_lR_warm", "s", False, "ls -lR of the tree, warm", None),
    ("untar", "s", False, "untar (+ syncfs)", "small_write"),
    ("tar", "s", False, "tar, cold", None),
    ("untar_tar", "s", False, "untar + tar", "small_write"),
    ("mount", "rss_peak_MiB", False, "peak RSS of the mount process", None),
]
# (label, workload, metric, reference, factor needed)
GOALS = [
    ("small-file writes >= 3x best peer", "small_write", "files/s", "peer", 3.0),
    ("large-file writes >= 3x best peer", "seq_write", "MiB/s", "peer", 3.0),
    ("creates >= 2x best peer", "meta_create", "ops/s", "peer", 2.0),
    ("renames >= 2x best peer", "meta_rename", "ops/s", "peer", 2.0),
    ("unlinks >= 2x best peer", "meta_unlink", "ops/s", "peer", 2.0),
    ("cold small-file reads >= 2x best peer", "small_read_cold", "files/s", "peer", 2.0),
    ("cold large-file reads >= 1.5x best peer", "seq_read_cold", "MiB/s", "peer", 1.5),
    ("untar + tar in <= 1/3 of the best peer's time", "untar_tar", "s", "peer", 3.0),
    ("warm small-file re-reads >= 70% of local", "small_reread_warm", "files/s", "local", 0.7),
    ("warm large-file re-reads >= 70% of local", "seq_reread_warm", "MiB/s", "local", 0.7),
    ("warm stat >= 80% of the FUSE floor (bindfs)", "meta_stat", "ops/s", "bindfs", 0.8),
    ("creates >= 50% of the FUSE floor (bindfs)", "meta_create", "ops/s", "bindfs", 0.5),
]


def load(path):
    header, values, errors, counters = [], {}, [], {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                header.append(line[1:].strip())
                continue
            parts = line.split("\t")
            if len(parts) != 4 or parts[0] == "target":
                continue
            target, workload, metric, value = parts
            if metric.startswith("n:"):
                if target == "curvefs":
                    counters.setdefault(workload, {})[metric[2:]] = float(value)
                continue
            if metric == "error":
                errors.append(f"{target} {workload}: {value}")
                continue
            try:
                values[(target, workload, metric)] = float(value)
            except ValueError:
                errors.append(f"{target} {workload} {metric}: {value}")
    return header, values, errors, counters


def label(name, key):
    """The value of label `key` in a Prometheus series name, or None."""
    marker = key + '="'
    at = name.find(marker)
    if at < 0:
        return None
    start = at + len(marker)
    return name[start:name.index('"', start)]


def cost(counters, count_prefix, seconds_prefix, key):
    """'name count (seconds s)' per label value, biggest count first."""
    counts, seconds = {}, {}
    for name, value in counters.items():
        if name.startswith(count_prefix):
            counts[label(name, key)] = counts.get(label(name, key), 0) + value
        elif name.startswith(seconds_prefix):
            seconds[label(name, key)] = seconds.get(label(name, key), 0) + value
    items = sorted(counts.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v:,.0f} ({seconds.get(k, 0):.1f} s)" for k, v in items) or "–"


def where_time_goes(counters):
    out = ["", "Where curvefs spends each workload (requests counted on the mount and the metaserver; "
           "seconds are summed over concurrent requests):", "",
           "| workload | FUSE ops | metaserver RPCs | S3 requests |", "|---|---|---|---|"]
    for workload, _, _, _, _ in ROWS:
        c = counters.get(workload)
        if not c:
            continue
        out.append(f"| {workload} | "
                   + cost(c, "curvefs_fuse_ops_total", "curvefs_fuse_op_duration_seconds_sum", "op") + " | "
                   + cost(c, "curvefs_rpc_server_requests_total", "curvefs_rpc_server_duration_seconds_sum",
                          "method") + " | "
                   + cost(c, "curvefs_s3_requests_total", "curvefs_s3_request_duration_seconds_sum", "op") + " |")
    return out if len(out) > 5 else []


def fmt(v):
    if v is None:
        return "–"
    if 0 < v < 0.1:
        return f"{v:.2g}"
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def durable(values, target, check):
    if check is None or target in ("local", "bindfs"):
        return True
    flag = values.get((target, check, "durable_after_close"))
    return flag is None or flag >= 1


def speedup(values, workload, metric, higher, reference):
    c = values.get(("curvefs", workload, metric))
    r = values.get((reference, workload, metric))
    if c is None or r is None or c == 0 or r == 0:
        return None
    return c / r if higher else r / c


def best_peer(values, workload, metric, higher, check):
    best = None
    for p in PEERS:
        v = values.get((p, workload, metric))
        if v is None or not durable(values, p, check):
            continue
        if best is None or (v > best[1] if higher else v < best[1]):
            best = (p, v)
    return best


def main():
    header, values, errors, counters = load(sys.argv[1])
    present = [t for t in TARGETS if any(k[0] == t for k in values)]
    out = ["### Benchmark results", ""]
    out += [f"- {h}" for h in header]
    out.append("")
    out.append("| workload | unit | " + " | ".join(present) + " | curvefs vs local | curvefs vs best peer |")
    out.append("|---|---|" + "---:|" * (len(present) + 2))
    checks = {(w, m): (h, c) for w, m, h, _, c in ROWS}
    for workload, metric, higher, label, check in ROWS:
        cells = []
        for t in present:
            v = values.get((t, workload, metric))
            mark = "" if v is None or durable(values, t, check) else "*"
            cells.append(fmt(v) + mark)
        if all(c == "–" for c in cells):
            continue
        local = speedup(values, workload, metric, higher, "local")
        peer = best_peer(values, workload, metric, higher, check)
        vs_peer = None
        if peer is not None:
            vs_peer = speedup(values, workload, metric, higher, peer[0])
        out.append(f"| {label} | {metric} | " + " | ".join(cells)
                   + f" | {fmt(local) + 'x' if local else '–'}"
                   + f" | {(fmt(vs_peer) + 'x (' + peer[0] + ')') if vs_peer else '–'} |")
    out.append("")
    out.append("Speed factors: above 1 means curvefs is faster (for times: needs less). "
               "\\* = data not in S3 when close returned (not durable): left out of the best peer. "
               "Cold = kernel page cache dropped; client caches kept.")
    out.append("")
    out.append("| target of issue 5 | measured | met |")
    out.append("|---|---:|:---:|")
    for label, workload, metric, reference, needed in GOALS:
        higher, check = checks[(workload, metric)]
        if reference == "peer":
            peer = best_peer(values, workload, metric, higher, check)
            factor = speedup(values, workload, metric, higher, peer[0]) if peer else None
            where = f" vs {peer[0]}" if peer else ""
        else:
            factor = speedup(values, workload, metric, higher, reference)
            where = ""
        met = "–" if factor is None else ("yes" if factor >= needed else "no")
        out.append(f"| {label} | {fmt(factor) + 'x' + where if factor else '–'} | {met} |")
    rss = values.get(("curvefs", "mount", "rss_peak_MiB"))
    out.append(f"| mount RSS < 1 GiB | {fmt(rss) + ' MiB' if rss else '–'} | "
               + ("–" if rss is None else ("yes" if rss < 1024 else "no")) + " |")
    out += where_time_goes(counters)
    if errors:
        out.append("")
        out.append("Errors:")
        out += [f"- {e}" for e in errors]
    print("\n".join(out))


if __name__ == "__main__":
    main()
