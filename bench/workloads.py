#!/usr/bin/env python3
"""Timed file-system workloads on one directory, for bench/run.

Prints one TSV line per measurement: target, workload, metric, value. Writes count only once
durable: each file is fsynced before close (untar ends with syncfs). "Cold" means the kernel
page cache, dentries and inodes were dropped first (needs root); a client's own caches (block
cache, rclone's VFS cache, s3fs's use_cache) are not cleared. With --s3-dir (the S3 server's
directory of the target's bucket) each write workload also reports whether the data is in S3
right after close.

Sizes come from the environment (see bench/run): BENCH_BIG_MB, BENCH_SMALL_FILES,
BENCH_SMALL_KB, BENCH_THREADS, BENCH_META_FILES, BENCH_RANDOM_READS, BENCH_RANDOM_SECONDS,
BENCH_TARBALL, and BENCH_WORKLOADS (a comma-separated subset of: seq, small, meta, tree).
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

MIB = 1 << 20


def env_int(name, default):
    return int(os.environ.get(name, default))


COUNTERS = ("curvefs_fuse_ops_total", "curvefs_fuse_op_duration_seconds_sum", "curvefs_s3_requests_total",
            "curvefs_s3_request_duration_seconds_sum", "curvefs_rpc_server_requests_total",
            "curvefs_rpc_server_duration_seconds_sum")


class Report:
    """Prints measurements; with metrics URLs (Prometheus text) also what each timed section cost
    in FUSE ops, S3 requests and metaserver RPCs, as rows with metric "n:<counter{labels}>"."""

    def __init__(self, target, metrics_urls=()):
        self.target = target
        self.metrics_urls = metrics_urls
        self.before = {}

    def __call__(self, workload, metric, value):
        if isinstance(value, float):
            value = f"{value:.3f}"
        print(f"{self.target}\t{workload}\t{metric}\t{value}", flush=True)

    def scrape(self):
        values = {}
        for url in self.metrics_urls:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    text = response.read().decode()
            except OSError:
                continue
            for line in text.splitlines():
                if line.startswith(COUNTERS):
                    name, _, value = line.rpartition(" ")
                    values[name] = values.get(name, 0.0) + float(value)
        return values

    def mark(self):
        """Starts a timed section: remembers the counters."""
        if self.metrics_urls:
            self.before = self.scrape()

    def counters(self, workload):
        """Ends a timed section: reports how much each counter grew."""
        if not self.metrics_urls:
            return
        for name, value in sorted(self.scrape().items()):
            delta = value - self.before.get(name, 0.0)
            if delta > 0:
                self(workload, "n:" + name, round(delta, 3) if "seconds" in name else int(delta))


def drop_caches():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3")


def bucket_bytes(s3_dir):
    total = 0
    for dirpath, _, files in os.walk(s3_dir):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except FileNotFoundError:
                pass
    return total


def durable_check(report, workload, s3_dir, before, expected):
    """Reports whether the S3 bucket grew by the bytes just written (data in S3 after close)."""
    if s3_dir is None:
        return
    grown = bucket_bytes(s3_dir) - before
    report(workload, "s3_MiB_after_close", grown / MIB)
    report(workload, "durable_after_close", 1 if grown >= expected else 0)


def write_file(path, size, chunk):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        done = 0
        view = memoryview(chunk)
        while done < size:
            n = min(len(chunk), size - done)
            done += os.write(fd, view[:n])
        os.fsync(fd)
    finally:
        os.close(fd)


def read_file(path, bufsize):
    fd = os.open(path, os.O_RDONLY)
    try:
        total = 0
        while True:
            data = os.read(fd, bufsize)
            if not data:
                return total
            total += len(data)
    finally:
        os.close(fd)


def seq(report, base, s3_dir):
    size = env_int("BENCH_BIG_MB", 1024) * MIB
    chunk = os.urandom(MIB)
    path = os.path.join(base, "big.bin")
    before = bucket_bytes(s3_dir) if s3_dir else 0
    report.mark()
    start = time.monotonic()
    write_file(path, size, chunk)
    elapsed = time.monotonic() - start
    report.counters("seq_write")
    report("seq_write", "MiB/s", size / MIB / elapsed)
    report("seq_write", "s", elapsed)
    durable_check(report, "seq_write", s3_dir, before, size)

    drop_caches()
    report.mark()
    start = time.monotonic()
    got = read_file(path, MIB)
    elapsed = time.monotonic() - start
    report.counters("seq_read_cold")
    if got != size:
        raise RuntimeError(f"read {got} bytes of {size}")
    report("seq_read_cold", "MiB/s", size / MIB / elapsed)

    report.mark()
    start = time.monotonic()
    read_file(path, MIB)
    report("seq_reread_warm", "MiB/s", size / MIB / (time.monotonic() - start))
    report.counters("seq_reread_warm")

    drop_caches()
    limit = env_int("BENCH_RANDOM_READS", 10000)
    seconds = env_int("BENCH_RANDOM_SECONDS", 20)
    rng = random.Random(7)
    blocks = size // 4096
    report.mark()
    fd = os.open(path, os.O_RDONLY)
    try:
        n = 0
        start = time.monotonic()
        deadline = start + seconds
        while n < limit and time.monotonic() < deadline:
            if len(os.pread(fd, 4096, rng.randrange(blocks) * 4096)) != 4096:
                raise RuntimeError("short 4 KiB read")
            n += 1
        elapsed = time.monotonic() - start
    finally:
        os.close(fd)
    report("rand_read_4k_cold", "ops/s", n / elapsed)
    report("rand_read_4k_cold", "avg_ms", elapsed / n * 1000)
    report.counters("rand_read_4k_cold")
    os.unlink(path)


def parallel(threads, items, work):
    """Runs work(item) over items on `threads` threads; returns the wall time."""
    errors = []
    lock = threading.Lock()
    it = iter(items)

    def worker():
        while True:
            with lock:
                item = next(it, None)
            if item is None or errors:
                return
            try:
                work(item)
            except Exception as e:  # noqa: BLE001 - reported below, once
                errors.append(e)
                return

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    start = time.monotonic()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise errors[0]
    return time.monotonic() - start


def small(report, base, s3_dir):
    count = env_int("BENCH_SMALL_FILES", 2000)
    size = env_int("BENCH_SMALL_KB", 128) * 1024
    threads = env_int("BENCH_THREADS", 8)
    root = os.path.join(base, "dataset")
    dirs = [os.path.join(root, f"d{i:03d}") for i in range((count + 99) // 100)]
    for d in dirs:
        os.makedirs(d)
    files = [os.path.join(dirs[i // 100], f"f{i:05d}.bin") for i in range(count)]
    chunk = os.urandom(size)
    before = bucket_bytes(s3_dir) if s3_dir else 0
    report.mark()
    elapsed = parallel(threads, files, lambda p: write_file(p, size, chunk))
    report.counters("small_write")
    report("small_write", "files/s", count / elapsed)
    report("small_write", "MiB/s", count * size / MIB / elapsed)
    durable_check(report, "small_write", s3_dir, before, count * size)

    def check_read(p):
        if read_file(p, MIB) != size:
            raise RuntimeError(f"short read of {p}")

    drop_caches()
    report.mark()
    elapsed = parallel(threads, files, check_read)
    report("small_read_cold", "files/s", count / elapsed)
    report("small_read_cold", "MiB/s", count * size / MIB / elapsed)
    report.counters("small_read_cold")
    report.mark()
    elapsed = parallel(threads, files, check_read)
    report.counters("small_reread_warm")
    report("small_reread_warm", "files/s", count / elapsed)
    report("small_reread_warm", "MiB/s", count * size / MIB / elapsed)
    shutil.rmtree(root, ignore_errors=True)


def meta(report, base, _s3_dir):
    count = env_int("BENCH_META_FILES", 10000)
    root = os.path.join(base, "meta")
    os.makedirs(root)
    names = [os.path.join(root, f"e{i:06d}") for i in range(count)]

    def timed(workload, op):
        report.mark()
        start = time.monotonic()
        for name in names:
            op(name)
        report(workload, "ops/s", count / (time.monotonic() - start))
        report.counters(workload)

    timed("meta_create", lambda p: os.close(os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)))
    timed("meta_stat", os.stat)
    timed("meta_rename", lambda p: os.rename(p, p + ".r"))
    names = [n + ".r" for n in names]
    timed("meta_unlink", os.unlink)
    os.rmdir(root)


def run(command, **kwargs):
    subprocess.run(command, check=True, **kwargs)


def tree(report, base, _s3_dir):
    tarball = os.environ["BENCH_TARBALL"]
    root = os.path.join(base, "tree")
    os.makedirs(root)
    report.mark()
    start = time.monotonic()
    run(["tar", "xf", tarball, "-C", root, "--no-same-owner"])
    run(["sync", "-f", root])
    untar = time.monotonic() - start
    report("untar", "s", untar)
    report.counters("untar")

    drop_caches()
    report.mark()
    start = time.monotonic()
    run(["ls", "-lR", root], stdout=subprocess.DEVNULL)
    report("ls_lR_cold", "s", time.monotonic() - start)
    report.counters("ls_lR_cold")
    report.mark()
    start = time.monotonic()
    run(["ls", "-lR", root], stdout=subprocess.DEVNULL)
    report("ls_lR_warm", "s", time.monotonic() - start)
    report.counters("ls_lR_warm")

    drop_caches()
    report.mark()
    start = time.monotonic()
    # through a pipe: GNU tar writing to /dev/null itself skips reading the files
    tar = subprocess.Popen(["tar", "cf", "-", "-C", root, "."], stdout=subprocess.PIPE)
    while tar.stdout.read(MIB):
        pass
    # status 1: a file changed while tar read it (a cache still uploading); the archive is complete
    if tar.wait() not in (0, 1):
        raise RuntimeError(f"tar exited with {tar.returncode}")
    if tar.returncode == 1:
        report("tar", "files_changed_while_read", 1)
    elapsed = time.monotonic() - start
    report("tar", "s", elapsed)
    report.counters("tar")
    report("untar_tar", "s", untar + elapsed)
    shutil.rmtree(root, ignore_errors=True)


WORKLOADS = {"seq": seq, "small": small, "meta": meta, "tree": tree}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target")
    parser.add_argument("dir")
    parser.add_argument("--s3-dir")
    parser.add_argument("--metrics", action="append", default=[], help="Prometheus URL to count requests from")
    args = parser.parse_args()
    report = Report(args.target, args.metrics)
    base = os.path.join(args.dir, f"bench-{os.getpid()}")
    os.makedirs(base)
    failed = False
    try:
        for name in os.environ.get("BENCH_WORKLOADS", "seq,small,meta,tree").split(","):
            print(f"{args.target}: {name} ...", file=sys.stderr, flush=True)
            try:
                WORKLOADS[name](report, base, args.s3_dir)
            except Exception as e:  # noqa: BLE001 - one failed workload must not hide the others
                failed = True
                report(name, "error", str(e).replace("\t", " ").replace("\n", " ")[:200])
    finally:
        shutil.rmtree(base, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
